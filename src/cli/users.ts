import type { Command } from 'commander';
import { z } from 'zod';
import { createToken } from '../firm/auth.js';
import { UserCreateBody } from '../firm/schemas.js';
import { createUser, findUserByEmail, listUsers, resetPassword } from '../firm/users.js';
import { loadConfig } from '../server/config.js';
import { systemContext } from '../server/context.js';
import { openAndMigrate } from '../server/start.js';
import { CliError, fail, readStdin } from './io.js';

/** Runs a command against the configured database, closing it afterwards whatever happens. */
async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openAndMigrate>>) => Promise<T>): Promise<T> {
  const database = await openAndMigrate(loadConfig());
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function requireUser(database: Awaited<ReturnType<typeof openAndMigrate>>, email: string) {
  const user = await findUserByEmail(database.db, email);
  if (!user) {
    throw new CliError(`--email: no user has the email ${email}`);
  }
  return user;
}

export function registerUserCommands(program: Command) {
  const user = program.command('user').description('Manage user accounts');

  user
    .command('create')
    .description('Create a user; the password is read from stdin with --password-stdin, otherwise generated and printed')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--role <role>', 'admin, programme_lead, management, partner, member or external')
    .option('--title <title>', 'job title')
    .option('--office <office>', 'office')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (opts: { email: string; name: string; role: string; title?: string; office?: string; passwordStdin?: boolean }) => {
      try {
        const password = opts.passwordStdin ? await readStdin() : undefined;
        const input = UserCreateBody.parse({ email: opts.email, name: opts.name, role: opts.role, title: opts.title, office: opts.office, password });
        const created = await withDatabase((database) => createUser(systemContext(database.db, 'cli'), input));
        process.stdout.write(`Created ${created.user.role} ${created.user.email} (${created.user.id})\n`);
        if (created.password) {
          process.stdout.write(`Password: ${created.password}\n`);
        }
      } catch (err) {
        fail(err);
      }
    });

  user
    .command('reset-password')
    .description('Give a user a new generated password (printed once) and end their sessions')
    .requiredOption('--email <email>', 'the user’s email')
    .action(async (opts: { email: string }) => {
      try {
        const { password } = await withDatabase(async (database) => {
          const found = await requireUser(database, opts.email);
          return resetPassword(systemContext(database.db, 'cli'), found.id);
        });
        process.stdout.write(`New password for ${opts.email}: ${password}\n`);
      } catch (err) {
        fail(err);
      }
    });

  user
    .command('list')
    .description('List users (tab-separated: email, name, role, active)')
    .option('--role <role>', 'only this role')
    .action(async (opts: { role?: string }) => {
      try {
        const role = z.enum(['admin', 'programme_lead', 'management', 'partner', 'member', 'external']).optional().parse(opts.role);
        await withDatabase(async (database) => {
          const ctx = systemContext(database.db, 'cli');
          let cursor: string | undefined;
          do {
            const page = await listUsers(ctx, { role, cursor, limit: 200 });
            for (const u of page.items) {
              process.stdout.write(`${u.email}\t${u.name}\t${u.role}\t${u.active ? 'active' : 'inactive'}\n`);
            }
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
        });
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('token')
    .description('Manage personal API tokens')
    .command('create')
    .description('Create a personal API token for a user and print it (shown once)')
    .requiredOption('--email <email>', 'whose token')
    .option('--name <name>', 'what the token is for', 'CLI token')
    .option('--expires-in-days <days>', 'expiry in days (default: never)')
    .action(async (opts: { email: string; name: string; expiresInDays?: string }) => {
      try {
        const expiresInDays = z.coerce.number().int().min(1).max(3650).optional().parse(opts.expiresInDays);
        const { token } = await withDatabase(async (database) => {
          const found = await requireUser(database, opts.email);
          return createToken(systemContext(database.db, 'cli'), { name: opts.name, expiresInDays }, found.id);
        });
        process.stdout.write(`${token}\n`);
      } catch (err) {
        fail(err);
      }
    });
}

export { withDatabase };
