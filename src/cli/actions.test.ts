import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createAction } from '../actions/actions.js';
import { createClient } from '../clients/clients.js';
import { putTeam } from '../clients/team.js';
import { createUser } from '../firm/users.js';
import { systemContext } from '../server/context.js';
import { cliEnv, ensureCliBuilt, removeTemporaryDirectories, runCli } from './testing.js';

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken actions sweep`, () => {
    let database: TestDatabase;
    let staleId: string;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const ctx = systemContext(database.db, 'test');
      const user = async (name: string, role: 'programme_lead' | 'partner') =>
        (await createUser(ctx, { email: `${name.split(' ')[0]?.toLowerCase()}@firm.test`, name, title: null, office: null, role })).user;
      await user('Lena Lead', 'programme_lead');
      const ann = await user('Ann Able', 'partner');
      const client = await createClient(ctx, { name: 'Stale Co', status: 'active', isKeyClient: false, competitors: [], walled: false });
      await putTeam(ctx, client.id, { members: [{ userId: ann.id, teamRole: 'relationship_partner' }] });
      const stale = await createAction(ctx, { clientId: client.id, title: 'Call the GC back', ownerId: ann.id, priority: 'normal' });
      await createAction(ctx, { clientId: client.id, title: 'Fresh one', ownerId: ann.id, priority: 'normal' });
      staleId = stale.id;
      const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
      await database.db.updateTable('actions').set({ last_activity_at: old }).where('id', '=', stale.id).execute();
    });
    afterAll(async () => {
      await database.drop();
    });

    it('escalates stale actions to the programme lead once, and says so', async () => {
      const first = await runCli(['actions', 'sweep'], cliEnv(database));
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Escalation sweep (actions untouched for more than 21 days)');
      expect(first.stdout).toContain('Escalated 1 action(s) to Lena Lead:');
      expect(first.stdout).toContain(`Call the GC back (${staleId};`);
      const second = await runCli(['actions', 'sweep', '--format', 'json'], cliEnv(database));
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ afterDays: 21, escalated: [] });
    });
  });
}
