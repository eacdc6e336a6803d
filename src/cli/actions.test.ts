import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createAction, updateAction } from '../actions/actions.js';
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

  describe(`${dialect}: hearken actions list`, () => {
    let database: TestDatabase;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const ctx = systemContext(database.db, 'test');
      const user = async (name: string) =>
        (await createUser(ctx, { email: `${name.split(' ')[0]?.toLowerCase()}@firm.test`, name, title: null, office: null, role: 'partner' })).user;
      const ann = await user('Ann Able');
      const bob = await user('Bob Bright');
      const client = await createClient(ctx, { name: 'Listed Co', status: 'active', isKeyClient: false, competitors: [], walled: false });
      await putTeam(ctx, client.id, {
        members: [
          { userId: ann.id, teamRole: 'relationship_partner' },
          { userId: bob.id, teamRole: 'member' },
        ],
      });
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      const make = async (title: string, ownerId: string, dueOn: string | null) =>
        (await createAction(ctx, { clientId: client.id, title, ownerId, priority: 'normal', dueOn })).id;
      ids.late = await make('Send the fee breakdown', ann.id, day(-5));
      ids.soon = await make('Book the review', bob.id, day(10));
      ids.undated = await make('Think about secondments', ann.id, null);
      ids.done = await make('Already done', ann.id, day(-9));
      await updateAction(ctx, ids.done, { status: 'done' });
    });
    afterAll(async () => {
      await database.drop();
    });

    it('lists open actions earliest due first, filters overdue and by owner, and prints JSON', async () => {
      const all = await runCli(['actions', 'list'], cliEnv(database));
      expect(all.stderr).toBe('');
      expect(all.code).toBe(0);
      expect(all.stdout).toContain('3 open action(s), earliest due first:');
      const order = ['Send the fee breakdown', 'Book the review', 'Think about secondments'].map((title) => all.stdout.indexOf(title));
      expect(order.every((i) => i > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(all.stdout).not.toContain('Already done');
      expect(all.stdout).toMatch(/OVERDUE open +Listed Co: Send the fee breakdown \(Ann Able;/);

      const overdue = await runCli(['actions', 'list', '--overdue', '--format', 'json'], cliEnv(database));
      expect(overdue.code).toBe(0);
      expect((JSON.parse(overdue.stdout) as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([ids.late]);

      const bobs = await runCli(['actions', 'list', '--owner', 'bob@firm.test', '--format', 'json'], cliEnv(database));
      expect((JSON.parse(bobs.stdout) as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([ids.soon]);
    });

    it('refuses an unknown owner and an unknown format with exit 1', async () => {
      const nobody = await runCli(['actions', 'list', '--owner', 'nobody@firm.test'], cliEnv(database));
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toContain('--owner: no user with the email nobody@firm.test');
      const format = await runCli(['actions', 'list', '--format', 'xml'], cliEnv(database));
      expect(format.code).toBe(1);
      expect(format.stderr).toContain('--format: must be text or json');
    });
  });
}
