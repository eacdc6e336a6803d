import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import type { Db } from '../db/connect.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { cliEnv, ensureCliBuilt, removeTemporaryDirectories, runCli, temporaryDirectory } from './testing.js';

async function userCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken user and token`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await database.drop();
    });

    it.each([
      ['--email', ['--email', 'not-an-email', '--name', 'Ada Lovelace', '--role', 'partner']],
      ['--role', ['--email', 'ada@firm.test', '--name', 'Ada Lovelace', '--role', 'wizard']],
      ['--name', ['--email', 'ada@firm.test', '--name', '  ', '--role', 'partner']],
    ])('should refuse a bad %s with one stderr line naming it, and create nothing', async (option, args) => {
      const result = await runCli(['user', 'create', ...args], cliEnv(database));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^hearken: ${option}: [^\\n]+\\n$`));
      expect(await userCount(database.db)).toBe(0);
    });

    it('should create a user with the password from stdin and refuse the same email twice', async () => {
      const args = ['user', 'create', '--email', 'Ada@Firm.test', '--name', 'Ada Lovelace', '--role', 'partner', '--title', 'Partner', '--password-stdin'];
      const created = await runCli(args, cliEnv(database), 'analytical engine\n');
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^Created partner ada@firm\.test \(\S+\)\n$/);

      const again = await runCli(args, cliEnv(database), 'analytical engine\n');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^hearken: .*email.*already used/);
      expect(await userCount(database.db)).toBe(1);
    });

    it('should print a token that works against the API, and nothing else', async () => {
      const result = await runCli(['token', 'create', '--email', 'ada@firm.test', '--name', 'Reporting script'], cliEnv(database));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const token = result.stdout.trim();
      expect(result.stdout).toBe(`${token}\n`);

      const config = loadConfig({ HEARKEN_DATA_DIR: temporaryDirectory('app') });
      const app = await buildApp({ config, database, logger: false, webRoot: '/nonexistent' });
      try {
        const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
        expect(me.statusCode).toBe(200);
        expect(me.json()).toMatchObject({ user: { email: 'ada@firm.test', role: 'partner' } });
        const forged = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}x` } });
        expect(forged.statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });

    it('should refuse a token for an unknown email, naming --email', async () => {
      const result = await runCli(['token', 'create', '--email', 'nobody@firm.test'], cliEnv(database));
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('hearken: --email: no user has the email nobody@firm.test\n');
    });
  });
}
