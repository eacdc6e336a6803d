import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DbHandle, openPostgres, openSqlite } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/**
 * The databases every integration suite runs against. SQLite always; PostgreSQL when
 * HEARKEN_TEST_DATABASE_URL points at a server we may create databases on. With
 * HEARKEN_TEST_REQUIRE_POSTGRES=1 (as in CI) a missing PostgreSQL fails instead of skipping.
 */
export type TestDialect = 'sqlite' | 'postgres';

const pgUrl = process.env.HEARKEN_TEST_DATABASE_URL;
if (process.env.HEARKEN_TEST_REQUIRE_POSTGRES === '1' && !pgUrl) {
  throw new Error('HEARKEN_TEST_REQUIRE_POSTGRES=1 but HEARKEN_TEST_DATABASE_URL is not set');
}

export const DIALECTS: TestDialect[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends DbHandle {
  /** Closes the connection and removes the database. */
  drop(): Promise<void>;
  /** For PostgreSQL, the URL of this database (for child processes such as the CLI). */
  url?: string;
  /** For SQLite, the file. */
  file?: string;
}

/** A fresh, migrated database of the given dialect, private to the caller. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hearken-test-'));
    const file = join(dir, 'hearken.db');
    const handle = openSqlite(file);
    await migrateToLatest(handle.db);
    return {
      ...handle,
      file,
      drop: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!pgUrl) {
    throw new Error('HEARKEN_TEST_DATABASE_URL is not set');
  }
  const name = `hearken_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), 5);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
