import type { FastifyInstance } from 'fastify';
import { startLoopScheduler } from '../actions/sweep.js';
import { startHealthSnapshotScheduler } from '../analytics/health-service.js';
import { type DbHandle, openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { countUsers, createUser } from '../firm/users.js';
import { startDigestScheduler } from '../notifications/digest.js';
import { buildApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { systemContext } from './context.js';

export const FIRST_ADMIN_EMAIL = 'admin@hearken.local';

/** Opens the configured database and brings its schema up to date. */
export async function openAndMigrate(config: Config): Promise<DbHandle> {
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/**
 * On an empty database, creates the first admin and returns its password, so that a newcomer
 * can sign in without reading any documentation first.
 */
export async function ensureFirstAdmin(
  database: DbHandle,
  email = process.env.HEARKEN_ADMIN_EMAIL ?? FIRST_ADMIN_EMAIL,
): Promise<{ email: string; password: string } | undefined> {
  if ((await countUsers(database.db)) > 0) {
    return undefined;
  }
  const created = await createUser(systemContext(database.db, 'first-run'), { email, name: 'Administrator', title: null, office: null, role: 'admin' });
  return { email, password: created.password ?? '' };
}

/** config → database → migrations → first admin → listen; stops cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config = loadConfig()): Promise<FastifyInstance> {
  const started = performance.now();
  const database = await openAndMigrate(config);
  const admin = await ensureFirstAdmin(database);
  const app = await buildApp({ config, database });
  await app.listen({ port: config.port, host: config.host });
  // Escalates stale follow-up actions hourly; unref'd, so it never holds the process open.
  const stopLoopScheduler = startLoopScheduler(database.db, app.log);
  // Queues and sends digest emails every few minutes when SMTP is configured; unref'd too.
  const stopDigestScheduler = startDigestScheduler(database.db, { smtp: config.smtp, baseUrl: config.baseUrl, log: app.log });
  // Stores each active client's health score once a day (client health history); unref'd too.
  const stopHealthSnapshots = startHealthSnapshotScheduler(database.db, app.log);
  const where = config.databaseUrl ? 'PostgreSQL' : `SQLite at ${config.dataDir}/hearken.db`;
  process.stdout.write(`\nHearken is ready at ${config.baseUrl} (${where}; started in ${Math.round(performance.now() - started)} ms)\n`);
  if (admin) {
    process.stdout.write(
      [
        '',
        'First run: an administrator account was created. Sign in with',
        `  email:    ${admin.email}`,
        `  password: ${admin.password}`,
        'and change the password under Account. (Shown once; `hearken user reset-password` makes a new one.)',
        '',
      ].join('\n'),
    );
  }
  let closing = false;
  const close = async (signal: string) => {
    if (closing) {
      return;
    }
    closing = true;
    stopLoopScheduler();
    stopDigestScheduler();
    stopHealthSnapshots();
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  return app;
}
