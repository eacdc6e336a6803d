import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { updateContact } from '../clients/contacts.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { POLICY, type Scope, scopeSatisfied } from '../http/access.js';
import { themeId } from '../insights/testing.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { type Actor, type ServiceContext, systemContext } from '../server/context.js';
import { createCheckIn } from './check-ins.js';
import { createProblem } from './problems.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const asCtx = (t: TestApp, u: User): ServiceContext => ({ db: t.database.db, actor: { id: u.id, role: u.role, name: u.name, email: u.email } satisfies Actor });
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

interface Persona {
  label: string;
  role: Role;
  teamRole?: ClientTeamRole;
}

const PERSONAS: Persona[] = [
  { label: 'admin', role: 'admin' },
  { label: 'programme lead', role: 'programme_lead' },
  { label: 'management', role: 'management' },
  { label: 'relationship partner', role: 'partner', teamRole: 'relationship_partner' },
  { label: 'partner on the team', role: 'partner', teamRole: 'member' },
  { label: 'partner off the team', role: 'partner' },
  { label: 'member on the team', role: 'member', teamRole: 'member' },
  { label: 'member off the team', role: 'member' },
  { label: 'external', role: 'external' },
];
type Kind = 'open' | 'walled, listed' | 'walled, not listed';
const KINDS: Kind[] = ['open', 'walled, listed', 'walled, not listed'];

function expected(p: Persona, kind: Kind) {
  const visible = kind !== 'walled, not listed' && p.role !== 'external';
  const grant = (resource: 'check_in' | 'cadence', action: string) => {
    const scope = (POLICY[resource] as Record<string, Partial<Record<Role, Scope>>>)[action]?.[p.role];
    return scope !== undefined && scopeSatisfied(scope, p.teamRole);
  };
  const read = visible && grant('check_in', 'read');
  return {
    read: read ? 200 : 404,
    listed: read,
    update: !read ? 404 : grant('check_in', 'update') ? 200 : 403,
    create: !visible ? 404 : grant('check_in', 'create') ? 201 : 403,
    lastInteraction: !visible ? 404 : read ? 200 : 403,
    cadenceRead: !visible ? 404 : grant('cadence', 'read') ? 200 : 403,
    cadenceUpdate: !visible ? 404 : grant('cadence', 'update') ? 200 : 403,
    delete: !read ? 404 : grant('check_in', 'update') ? 204 : 403,
  };
}

for (const dialect of DIALECTS) {
  describe(`check-ins API (${dialect})`, () => {
    let t: TestApp;
    const users = new Map<string, User>();
    const callers = new Map<string, Caller>();
    let sys: ServiceContext;
    const user = (label: string) => users.get(label) as User;
    const caller = (label: string) => callers.get(label) as Caller;
    let team: { partnerIds: string[]; memberIds: string[] };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      for (const p of PERSONAS) {
        const u = await buildUser(t, p.role, { name: p.label });
        users.set(p.label, u);
        callers.set(p.label, await signIn(t.app, u.email));
      }
      sys = systemContext(t.database.db, 'test');
      team = { partnerIds: [user('relationship partner').id], memberIds: [user('partner on the team').id, user('member on the team').id] };
    }, 120_000);
    afterAll(async () => t.close());

    describe('access matrix', () => {
      const fixtures = new Map<Kind, { clientId: string }>();
      beforeAll(async () => {
        const all = [...users.values()].map((u) => u.id);
        const stranger = await buildUser(t, 'partner');
        for (const kind of KINDS) {
          const c =
            kind === 'open'
              ? await buildClientWithTeam(sys, team)
              : kind === 'walled, listed'
                ? await buildClientWithTeam(sys, { ...team, walled: true, wallMemberIds: all })
                : await buildClientWithTeam(sys, { walled: true, wallMemberIds: [stranger.id], partnerIds: [stranger.id] });
          fixtures.set(kind, { clientId: c.client.id });
        }
      }, 60_000);

      for (const p of PERSONAS) {
        it(`${p.label}: check-ins, cadence and last interaction per the policy and walls`, async () => {
          const me = caller(p.label);
          const got: Record<string, unknown> = {};
          const want: Record<string, unknown> = {};
          for (const kind of KINDS) {
            const { clientId } = fixtures.get(kind) as { clientId: string };
            const e = expected(p, kind);
            const checkIn = await createCheckIn(sys, { clientId, heldOn: daysAgo(1), channel: 'call', likes: 'Quick answers' });
            want[`${kind} read`] = e.read;
            got[`${kind} read`] = (await me.get(`/api/v1/check-ins/${checkIn.id}`)).statusCode;
            const list = (await me.get(`/api/v1/check-ins?clientId=${clientId}`)).json() as { items?: { id: string }[] };
            want[`${kind} listed`] = e.listed;
            got[`${kind} listed`] = (list.items ?? []).some((c) => c.id === checkIn.id);
            want[`${kind} update`] = e.update;
            got[`${kind} update`] = (await me.patch(`/api/v1/check-ins/${checkIn.id}`, { channel: 'video' })).statusCode;
            want[`${kind} create`] = e.create;
            got[`${kind} create`] = (await me.post('/api/v1/check-ins', { clientId, heldOn: daysAgo(0), channel: 'email' })).statusCode;
            want[`${kind} last interaction`] = e.lastInteraction;
            got[`${kind} last interaction`] = (await me.get(`/api/v1/clients/${clientId}/last-interaction`)).statusCode;
            want[`${kind} cadence read`] = e.cadenceRead;
            got[`${kind} cadence read`] = (await me.get(`/api/v1/clients/${clientId}/cadence`)).statusCode;
            want[`${kind} cadence update`] = e.cadenceUpdate;
            got[`${kind} cadence update`] = (await me.put(`/api/v1/clients/${clientId}/cadence`, { idealDays: 20, maxDays: 40 })).statusCode;
            want[`${kind} delete`] = e.delete;
            got[`${kind} delete`] = (await me.delete(`/api/v1/check-ins/${checkIn.id}`)).statusCode;
          }
          expect(got).toEqual(want);
        });
      }

      it('the person who logged a check-in may edit and delete it; another member may not', async () => {
        const other = await buildUser(t, 'member');
        const clientId = (await buildClientWithTeam(sys, { ...team, memberIds: [...team.memberIds, other.id] })).client.id;
        const logged = await createCheckIn(asCtx(t, user('member on the team')), { clientId, heldOn: daysAgo(2), channel: 'call' });
        expect(logged.heldBy?.id).toBe(user('member on the team').id);
        expect(logged.abilities).toEqual({ edit: true, delete: true });
        const otherCaller = await signIn(t.app, other.email);
        expect((await otherCaller.patch(`/api/v1/check-ins/${logged.id}`, { notes: 'x' })).statusCode).toBe(403);
        expect((await otherCaller.delete(`/api/v1/check-ins/${logged.id}`)).statusCode).toBe(403);
        expect((await caller('member on the team').patch(`/api/v1/check-ins/${logged.id}`, { notes: 'Follow up on fees' })).statusCode).toBe(200);
        expect((await caller('member on the team').delete(`/api/v1/check-ins/${logged.id}`)).statusCode).toBe(204);
      });
    });

    describe('POST, GET, PATCH /check-ins', () => {
      let clientId: string;
      let contactId: string;
      let otherContactId: string;
      beforeAll(async () => {
        const c = await buildClientWithTeam(sys, { ...team, contacts: ['Olive Okafor'] });
        clientId = c.client.id;
        contactId = c.contacts[0]?.id ?? '';
        otherContactId = (await buildClientWithTeam(sys, team)).contacts[0]?.id ?? '';
      });

      it('logs a check-in held by the caller, and audits its handling, not the words', async () => {
        const res = await caller('member on the team').post('/api/v1/check-ins', {
          clientId,
          contactId,
          heldOn: daysAgo(3),
          channel: 'meeting',
          likes: 'The weekly status calls',
          oneThingBetter: 'Fewer surprises on invoices',
          notes: '  ',
        });
        expect(res.statusCode).toBe(201);
        const body = res.json();
        expect(body).toMatchObject({
          client: { id: clientId },
          contact: { id: contactId, name: 'Olive Okafor' },
          heldOn: daysAgo(3),
          channel: 'meeting',
          heldBy: { id: user('member on the team').id },
          likes: 'The weekly status calls',
          oneThingBetter: 'Fewer surprises on invoices',
          notes: null,
        });
        const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', body.id).execute();
        expect(audit.map((a) => a.action)).toEqual(['check_in.create']);
        expect(JSON.stringify(audit)).not.toContain('status calls');
        expect(JSON.stringify(audit)).not.toContain('invoices');
      });

      it('names the field of bad input', async () => {
        const me = caller('member on the team');
        const field = async (body: Record<string, unknown>) => {
          const res = await me.post('/api/v1/check-ins', { clientId, heldOn: daysAgo(0), channel: 'call', ...body });
          expect(res.statusCode).toBe(400);
          return (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
        };
        expect(await field({ heldOn: daysAgo(-2) })).toEqual(['heldOn']);
        expect(await field({ contactId: otherContactId })).toEqual(['contactId']);
        expect(await field({ channel: 'pigeon' })).toEqual(['channel']);
        expect(await field({ heldOn: 'yesterday' })).toEqual(['heldOn']);
      });

      it('lists newest first, filtered, in cursor pages', async () => {
        const c = await buildClientWithTeam(sys, team);
        for (const n of [5, 1, 9]) {
          await createCheckIn(asCtx(t, user('relationship partner')), { clientId: c.client.id, heldOn: daysAgo(n), channel: 'call' });
        }
        const me = caller('programme lead');
        const first = (await me.get(`/api/v1/check-ins?clientId=${c.client.id}&limit=2&total=true`)).json();
        expect(first.items.map((i: { heldOn: string }) => i.heldOn)).toEqual([daysAgo(1), daysAgo(5)]);
        expect(first.total).toBe(3);
        const second = (await me.get(`/api/v1/check-ins?clientId=${c.client.id}&limit=2&cursor=${first.nextCursor}`)).json();
        expect(second.items.map((i: { heldOn: string }) => i.heldOn)).toEqual([daysAgo(9)]);
        expect(second.nextCursor).toBeNull();
        const ranged = (await me.get(`/api/v1/check-ins?clientId=${c.client.id}&from=${daysAgo(6)}&to=${daysAgo(2)}`)).json();
        expect(ranged.items).toHaveLength(1);
        const byHeld = (await me.get(`/api/v1/check-ins?heldBy=${user('relationship partner').id}&clientId=${c.client.id}`)).json();
        expect(byHeld.items).toHaveLength(3);
        expect((await me.get(`/api/v1/check-ins?from=${daysAgo(1)}&to=${daysAgo(5)}`)).statusCode).toBe(400);
      });
    });

    describe('cadence', () => {
      it('falls back to the firm default by key-client flag, then stores the client’s and its key contacts’ own', async () => {
        const c = await buildClientWithTeam(sys, { ...team, isKeyClient: true, contacts: ['Dana Decides', 'Sam Staff'] });
        const [dana] = c.contacts;
        await updateContact(sys, c.client.id, dana?.id ?? '', { isDecisionMaker: true });
        const me = caller('relationship partner');
        const before = (await me.get(`/api/v1/clients/${c.client.id}/cadence`)).json();
        expect(before).toMatchObject({ idealDays: 30, maxDays: 60, source: 'default', abilities: { edit: true } });
        expect(before.contacts).toEqual([{ contact: { id: dana?.id, name: 'Dana Decides' }, idealDays: 30, maxDays: 60, source: 'client' }]);
        const put = await me.put(`/api/v1/clients/${c.client.id}/cadence`, {
          idealDays: 14,
          maxDays: 28,
          contacts: [{ contactId: dana?.id, idealDays: 7, maxDays: 21 }],
        });
        expect(put.statusCode).toBe(200);
        expect(put.json()).toMatchObject({ idealDays: 14, maxDays: 28, source: 'client', contacts: [{ idealDays: 7, maxDays: 21, source: 'contact' }] });
        // Without contacts, only the client's own figures change.
        const again = (await me.put(`/api/v1/clients/${c.client.id}/cadence`, { idealDays: 10, maxDays: 20 })).json();
        expect(again.contacts[0]).toMatchObject({ idealDays: 7, source: 'contact' });
        const audit = await t.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('entity_id', '=', c.client.id)
          .where('entity', '=', 'cadence')
          .execute();
        expect(audit).toHaveLength(2);
        const other = await buildClientWithTeam(sys, team);
        const other2 = (await me.get(`/api/v1/clients/${other.client.id}/cadence`)).json();
        expect(other2).toMatchObject({ idealDays: 90, maxDays: 180, source: 'default' });
      });

      it('refuses ideal above max, out-of-range days and foreign contacts, naming the field', async () => {
        const c = await buildClientWithTeam(sys, team);
        const foreign = (await buildClientWithTeam(sys, team)).contacts[0]?.id;
        const me = caller('relationship partner');
        const field = async (body: Record<string, unknown>) => {
          const res = await me.put(`/api/v1/clients/${c.client.id}/cadence`, body);
          expect(res.statusCode).toBe(400);
          return (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
        };
        expect(await field({ idealDays: 40, maxDays: 30 })).toEqual(['maxDays']);
        expect(await field({ idealDays: 0, maxDays: 30 })).toEqual(['idealDays']);
        expect(await field({ idealDays: 10, maxDays: 731 })).toEqual(['maxDays']);
        expect(await field({ idealDays: 10, maxDays: 20, contacts: [{ contactId: foreign, idealDays: 5, maxDays: 10 }] })).toEqual(['contacts.0.contactId']);
        expect(await field({ idealDays: 10, maxDays: 20, contacts: [{ contactId: c.contacts[0]?.id, idealDays: 15, maxDays: 10 }] })).toEqual([
          'contacts.0.maxDays',
        ]);
      });
    });

    describe('last interaction and the losing-touch list', () => {
      it('resets the clock on a check-in, a held session and a reported problem, and lists the overdue, most overdue first', async () => {
        const partner = user('relationship partner');
        const recent = await buildClientWithTeam(sys, { ...team, isKeyClient: true, contacts: ['Kim Key'] });
        const kim = recent.contacts[0]?.id ?? '';
        await updateContact(sys, recent.client.id, kim, { isDecisionMaker: true });
        await createCheckIn(asCtx(t, partner), { clientId: recent.client.id, heldOn: daysAgo(10), channel: 'call' });
        const never = await buildClientWithTeam(sys, { ...team, name: `Never Ltd ${Date.now()}` });
        const amber = await buildClientWithTeam(sys, team);
        await createCheckIn(asCtx(t, partner), { clientId: amber.client.id, heldOn: daysAgo(100), channel: 'meeting' });
        const viaSession = await buildClientWithTeam(sys, team);
        const viaProblem = await buildClientWithTeam(sys, team);

        const due = async (who: Caller, query = '') => {
          const res = await who.get(`/api/v1/check-ins/due${query}`);
          expect(res.statusCode).toBe(200);
          return res.json() as {
            items: { client: { id: string }; contact: { id: string } | null; status: string; last: { kind: string; by: { id: string } | null } | null }[];
            scope: string;
          };
        };
        const mine = (list: Awaited<ReturnType<typeof due>>, ids: string[]) => list.items.filter((i) => ids.includes(i.client.id));
        const ids = [recent.client.id, never.client.id, amber.client.id, viaSession.client.id, viaProblem.client.id];
        const before = mine(await due(caller('relationship partner')), ids);
        // The key contact has had no interaction of their own: red, though the client is green.
        expect(before.find((i) => i.client.id === recent.client.id)).toMatchObject({ contact: { id: kim }, status: 'red', last: null });
        expect(before.some((i) => i.client.id === recent.client.id && i.contact === null)).toBe(false);
        expect(before.find((i) => i.client.id === amber.client.id)).toMatchObject({ status: 'amber', last: { kind: 'meeting', by: { id: partner.id } } });
        expect(before.findIndex((i) => i.client.id === amber.client.id)).toBe(before.length - 1);
        expect(before.filter((i) => i.status === 'red' && i.last === null).length).toBe(4);

        const interviewer = await buildUser(t, 'programme_lead');
        await buildCompletedSession(sys, {
          clientId: viaSession.client.id,
          interviewerId: interviewer.id,
          startsAt: `${daysAgo(3)}T10:00:00.000Z`,
          contactIds: [viaSession.contacts[0]?.id ?? ''],
        });
        await createProblem(asCtx(t, user('member on the team')), { clientId: viaProblem.client.id, title: 'Missed a deadline', reportedOn: daysAgo(2) });
        // Check-in on Kim resets their clock too.
        await createCheckIn(asCtx(t, partner), { clientId: recent.client.id, contactId: kim, heldOn: daysAgo(1), channel: 'video' });

        const after = mine(await due(caller('relationship partner')), ids);
        expect(after.map((i) => i.client.id).sort()).toEqual([never.client.id, amber.client.id].sort());
        const session = (await caller('relationship partner').get(`/api/v1/clients/${viaSession.client.id}/last-interaction`)).json();
        expect(session).toMatchObject({ status: 'green', daysSince: 3, last: { on: daysAgo(3), kind: 'session', by: { id: interviewer.id } } });
        const problem = (await caller('relationship partner').get(`/api/v1/clients/${viaProblem.client.id}/last-interaction`)).json();
        expect(problem).toMatchObject({ status: 'green', last: { on: daysAgo(2), kind: 'problem', by: { id: user('member on the team').id } } });
        const key = (await caller('member on the team').get(`/api/v1/clients/${recent.client.id}/last-interaction`)).json();
        expect(key).toMatchObject({
          status: 'green',
          last: { kind: 'check_in', on: daysAgo(1) },
          contacts: [{ contact: { id: kim }, status: 'green', daysSince: 1 }],
        });

        // Off the team: not in my list; programme leads may ask for all, partners may not widen.
        expect(mine(await due(caller('partner off the team')), ids)).toEqual([]);
        expect(mine(await due(caller('partner off the team'), '?all=true'), ids)).toEqual([]);
        expect(mine(await due(caller('programme lead')), ids)).toEqual([]);
        const all = await due(caller('programme lead'), '?all=true');
        expect(all.scope).toBe('all');
        expect(
          mine(all, ids)
            .map((i) => i.client.id)
            .sort(),
        ).toEqual([never.client.id, amber.client.id].sort());
        expect((await caller('admin').get('/api/v1/check-ins/due')).statusCode).toBe(403);
      });
    });

    describe('one step to an insight or an action', () => {
      it('turns an answer into an insight and opens an action, both linked to the check-in', async () => {
        const c = await buildClientWithTeam(sys, { ...team, contacts: ['Pat Praise'] });
        const checkIn = await createCheckIn(asCtx(t, user('member on the team')), {
          clientId: c.client.id,
          contactId: c.contacts[0]?.id,
          heldOn: daysAgo(4),
          channel: 'call',
          likes: 'How quickly the team replies',
          oneThingBetter: 'Clearer fee estimates',
        });
        const me = caller('member on the team');
        const responsiveness = await themeId(t.database.db, 'Responsiveness');
        const res = await me.post(`/api/v1/check-ins/${checkIn.id}/insight`, { field: 'likes', type: 'praise', themeIds: [responsiveness] });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({
          summary: 'How quickly the team replies',
          type: 'praise',
          source: 'check_in',
          heardOn: daysAgo(4),
          contact: { id: c.contacts[0]?.id },
        });
        const stored = await t.database.db.selectFrom('insights').select('check_in_id').where('id', '=', res.json().id).executeTakeFirstOrThrow();
        expect(stored.check_in_id).toBe(checkIn.id);
        const empty = await me.post(`/api/v1/check-ins/${checkIn.id}/insight`, { field: 'notes', type: 'idea', themeIds: [responsiveness] });
        expect(empty.statusCode).toBe(400);
        expect(empty.json().errors[0].field).toBe('field');

        const action = await me.post(`/api/v1/check-ins/${checkIn.id}/action`, {
          title: 'Send a fee estimate template',
          ownerId: user('relationship partner').id,
          priority: 'high',
        });
        expect(action.statusCode).toBe(201);
        expect(action.json()).toMatchObject({ origin: 'manual', priority: 'high', client: { id: c.client.id } });
        const row = await t.database.db.selectFrom('actions').select('check_in_id').where('id', '=', action.json().id).executeTakeFirstOrThrow();
        expect(row.check_in_id).toBe(checkIn.id);
        // Someone who cannot read the check-in gets a 404.
        expect(
          (await caller('partner off the team').post(`/api/v1/check-ins/${checkIn.id}/action`, { title: 'x', ownerId: user('relationship partner').id }))
            .statusCode,
        ).toBe(404);
      });
    });
  });
}
