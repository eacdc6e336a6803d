import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { createUser } from '../firm/users.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { cliEnv, ensureCliBuilt, removeTemporaryDirectories, runCli, temporaryDirectory } from './testing.js';

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken analytics report`, () => {
    let database: TestDatabase;
    let dir: string;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      dir = temporaryDirectory('analytics-report');
      const ctx = systemContext(database.db, 'test');
      const user = async (email: string, name: string, role: 'management' | 'partner' | 'admin') =>
        (await createUser(ctx, { email, name, role, password: 'a long enough password 1' })).user.id;
      await user('mia@firm.test', 'Mia Management', 'management');
      const ann = await user('ann@firm.test', 'Ann Able', 'partner');
      const bob = await user('bob@firm.test', 'Bob Brown', 'partner');
      await user('ada@firm.test', 'Ada Admin', 'admin');
      await buildClientWithTeam(ctx, { name: 'Acme Ltd', partnerIds: [ann], contacts: [] });
      await buildClientWithTeam(ctx, { name: 'Beta Industries', partnerIds: [bob], contacts: [] });
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('writes the report as the named user sees it', async () => {
      const env = cliEnv(database);
      const mgmtFile = join(dir, `${dialect}-mia.pdf`);
      const mgmt = await runCli(['analytics', 'report', '--email', 'mia@firm.test', '--out', mgmtFile, '--from', '2026-01-01', '--to', '2026-06-30'], env);
      expect(mgmt.code, mgmt.stderr).toBe(0);
      expect(mgmt.stdout).toContain(`Wrote the management report for Mia Management to ${mgmtFile}`);
      const mgmtText = pdfText(readFileSync(mgmtFile));
      expect(mgmtText).toContain('1 January 2026 to 30 June 2026');
      expect(mgmtText).toContain('Mia Management');
      expect(mgmtText).toContain('Acme Ltd');
      expect(mgmtText).toContain('Beta Industries');

      const annFile = join(dir, `${dialect}-ann.pdf`);
      const ann = await runCli(['analytics', 'report', '--email', 'ann@firm.test', '--out', annFile], env);
      expect(ann.code, ann.stderr).toBe(0);
      const annText = pdfText(readFileSync(annFile));
      expect(annText).toContain('Acme Ltd');
      expect(annText).not.toContain('Beta Industries');
    });

    it('names a bad filter, an unknown user and a user without analytics', async () => {
      const env = cliEnv(database);
      const out = join(dir, `${dialect}-bad.pdf`);
      const reversed = await runCli(['analytics', 'report', '--email', 'mia@firm.test', '--out', out, '--from', '2026-05-01', '--to', '2026-01-01'], env);
      expect(reversed.code).toBe(1);
      expect(reversed.stderr).toContain('hearken: from: must be on or before to');
      const unknown = await runCli(['analytics', 'report', '--email', 'nobody@firm.test', '--out', out], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('--email: no active user has the email nobody@firm.test');
      const admin = await runCli(['analytics', 'report', '--email', 'ada@firm.test', '--out', out], env);
      expect(admin.code).toBe(1);
      expect(admin.stderr).toContain('You do not have permission to do that');
      expect(() => readFileSync(out)).toThrow();
    });
  });
}
