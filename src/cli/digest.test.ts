import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createAction } from '../actions/actions.js';
import { createClient } from '../clients/clients.js';
import { putTeam } from '../clients/team.js';
import { createUser } from '../firm/users.js';
import { startSmtp, type TestSmtp } from '../notifications/testing.js';
import { systemContext } from '../server/context.js';
import { cliEnv, ensureCliBuilt, removeTemporaryDirectories, runCli } from './testing.js';

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken digest send`, () => {
    let database: TestDatabase;
    let smtp: TestSmtp;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      smtp = await startSmtp();
      const ctx = systemContext(database.db, 'test');
      const ann = (await createUser(ctx, { email: 'ann@firm.test', name: 'Ann Able', title: null, office: null, role: 'partner' })).user;
      const client = await createClient(ctx, { name: 'Digest Co', status: 'active', isKeyClient: false, competitors: [], walled: false });
      await putTeam(ctx, client.id, { members: [{ userId: ann.id, teamRole: 'relationship_partner' }] });
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      await createAction(ctx, { clientId: client.id, title: 'Call the GC back', ownerId: ann.id, priority: 'normal', dueOn: yesterday });
    });
    afterAll(async () => {
      await smtp?.close();
      await database?.drop();
    });

    it('refuses without SMTP, and names a bad --frequency', async () => {
      const { HEARKEN_SMTP_URL: _a, HEARKEN_MAIL_FROM: _b, ...env } = cliEnv(database);
      const refused = await runCli(['digest', 'send'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('SMTP is not configured');
      const bad = await runCli(['digest', 'send', '--frequency', 'hourly'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--frequency: must be daily or weekly');
      const dry = await runCli(['digest', 'send', '--dry-run'], env);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('Would queue: 1');
      expect(dry.stdout).toContain('ann@firm.test (weekly');
      expect(await database.db.selectFrom('email_outbox').selectAll().execute()).toEqual([]);
    });

    it('sends the digest once through SMTP; a second run sends nothing', async () => {
      const env = {
        ...cliEnv(database),
        HEARKEN_SMTP_URL: smtp.url,
        HEARKEN_MAIL_FROM: 'Hearken <hearken@firm.test>',
        HEARKEN_BASE_URL: 'https://hearken.firm.test',
      };
      const first = await runCli(['digest', 'send', '--frequency', 'weekly'], env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Queued: 1');
      expect(first.stdout).toContain('Sent: 1; will retry: 0; failed for good: 0');
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]?.text).toContain('https://hearken.firm.test/actions?action=');
      const second = await runCli(['digest', 'send', '--frequency', 'weekly'], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('Queued: 0');
      expect(second.stdout).toContain('Already queued this period: 1');
      expect(smtp.messages).toHaveLength(1);
    });
  });
}
