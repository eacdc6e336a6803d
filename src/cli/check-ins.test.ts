import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { putTeam } from '../clients/team.js';
import { createUser } from '../firm/users.js';
import { createCheckIn } from '../relationships/check-ins.js';
import { systemContext } from '../server/context.js';
import { cliEnv, ensureCliBuilt, removeTemporaryDirectories, runCli } from './testing.js';

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken check-ins due`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const ctx = systemContext(database.db, 'test');
      const ann = (await createUser(ctx, { email: 'ann@firm.test', name: 'Ann Able', title: null, office: null, role: 'partner' })).user;
      const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
      const client = async (name: string, isKeyClient: boolean, lastDaysAgo: number | null) => {
        const c = await createClient(ctx, { name, status: 'active', isKeyClient, competitors: [], walled: false });
        await putTeam(ctx, c.id, { members: [{ userId: ann.id, teamRole: 'relationship_partner' }] });
        if (lastDaysAgo !== null) {
          await createCheckIn(
            { ...ctx, actor: { id: ann.id, role: 'partner', name: ann.name, email: ann.email } },
            {
              clientId: c.id,
              heldOn: daysAgo(lastDaysAgo),
              channel: 'call',
            },
          );
        }
        return c;
      };
      // Key clients: ideal 30, max 60 days; others 90 and 180.
      await client('Never Called Ltd', false, null);
      await client('Amber Key plc', true, 45);
      await client('Fresh Co', true, 3);
      // Nobody's team: the system's list is firm-wide.
      await createClient(ctx, { name: 'Teamless LLP', status: 'active', isKeyClient: true, competitors: [], walled: true });
    });
    afterAll(async () => {
      await database.drop();
    });

    it('prints the firm-wide losing-touch list, most overdue first, as text and JSON', async () => {
      const text = await runCli(['check-ins', 'due'], cliEnv(database));
      expect(text.stderr).toBe('');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('losing touch, most overdue first:');
      expect(text.stdout).toMatch(/RED +Never Called Ltd: never; ideal 90, max 180 days/);
      expect(text.stdout).toMatch(/AMBER +Amber Key plc \[key client\]: last check-in .* \(45 days ago, Ann Able\); ideal 30, max 60 days/);
      expect(text.stdout).toContain('Teamless LLP');
      expect(text.stdout).not.toContain('Fresh Co');

      const json = await runCli(['check-ins', 'due', '--format', 'json'], cliEnv(database));
      expect(json.code).toBe(0);
      const items = (JSON.parse(json.stdout) as { items: { client: { name: string }; status: string }[] }).items;
      const names = items.map((i) => i.client.name);
      expect(names).toContain('Amber Key plc');
      expect(names).not.toContain('Fresh Co');
      expect(names.indexOf('Amber Key plc')).toBeGreaterThan(names.indexOf('Never Called Ltd'));
    });
  });
}
