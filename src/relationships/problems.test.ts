import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createMatter } from '../clients/matters.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { POLICY, scopeSatisfied } from '../http/access.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { createProblem } from './problems.js';
import { createReferral } from './referrals.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const fieldsOf = (res: { json(): unknown }) => ((res.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

interface Persona {
  label: string;
  role: Role;
  teamRole?: ClientTeamRole;
  /** Owns the fixture problem (without being on the client's team). */
  owner?: boolean;
}

const PERSONAS: Persona[] = [
  { label: 'admin', role: 'admin' },
  { label: 'programme lead', role: 'programme_lead' },
  { label: 'management', role: 'management' },
  { label: 'relationship partner', role: 'partner', teamRole: 'relationship_partner' },
  { label: 'member on the team', role: 'member', teamRole: 'member' },
  { label: 'partner off the team', role: 'partner' },
  { label: 'member off the team who owns the problem', role: 'member', owner: true },
  { label: 'external', role: 'external' },
];
type Kind = 'open' | 'walled, listed' | 'walled, not listed';
const KINDS: Kind[] = ['open', 'walled, listed', 'walled, not listed'];

function grant(resource: 'problem' | 'referral', p: Persona, action: 'read' | 'create' | 'update') {
  const scope = (POLICY[resource][action] as Partial<Record<Role, 'any' | 'client_team' | 'relationship_partner'>>)[p.role];
  return scope !== undefined && scopeSatisfied(scope, p.teamRole);
}

function expected(p: Persona, kind: Kind) {
  const visible = kind !== 'walled, not listed' && p.role !== 'external';
  const owner = p.owner === true && kind !== 'walled, not listed';
  const readProblem = visible && (owner || grant('problem', p, 'read'));
  const readReferral = visible && grant('referral', p, 'read');
  return {
    problemRead: readProblem ? 200 : 404,
    problemUpdate: !readProblem ? 404 : owner || grant('problem', p, 'update') ? 200 : 403,
    problemCreate: !visible ? 404 : grant('problem', p, 'create') ? 201 : 403,
    problemListed: readProblem,
    referralRead: readReferral ? 200 : 404,
    referralUpdate: !readReferral ? 404 : grant('referral', p, 'update') ? 200 : 403,
    referralCreate: !visible ? 404 : grant('referral', p, 'create') ? 201 : 403,
    referralListed: readReferral,
  };
}

for (const dialect of DIALECTS) {
  describe(`problems and referrals API (${dialect})`, () => {
    let t: TestApp;
    const users = new Map<string, User>();
    const callers = new Map<string, Caller>();
    let partner: User;
    let lead: Caller;
    let rp: Caller;
    let clientId: string;
    let contactId: string;
    let otherClientId: string;
    let otherContactId: string;
    let walledId: string;

    const auditOf = (entityId: string) =>
      t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      for (const p of PERSONAS) {
        const u = await buildUser(t, p.role, { name: p.label });
        users.set(p.label, u);
        callers.set(p.label, await signIn(t.app, u.email));
      }
      partner = users.get('relationship partner') as User;
      lead = callers.get('programme lead') as Caller;
      rp = callers.get('relationship partner') as Caller;
      const sys = systemContext(t.database.db, 'test');
      const team = { partnerIds: [partner.id], memberIds: [users.get('member on the team')?.id ?? ''] };
      const c = await buildClientWithTeam(sys, { ...team, contacts: ['Olive Okafor'] });
      clientId = c.client.id;
      contactId = c.contacts[0]?.id ?? '';
      const o = await buildClientWithTeam(sys, team);
      otherClientId = o.client.id;
      otherContactId = o.contacts[0]?.id ?? '';
      walledId = (await buildClientWithTeam(sys, { ...team, walled: true, wallMemberIds: [partner.id] })).client.id;
    }, 120_000);
    afterAll(async () => t.close());

    describe('access matrix', () => {
      const fixtures = new Map<Kind, { clientId: string; problemId: string; referralId: string }>();
      beforeAll(async () => {
        const sys = systemContext(t.database.db, 'test');
        const all = [...users.values()].map((u) => u.id);
        const team = { partnerIds: [partner.id], memberIds: [users.get('member on the team')?.id ?? ''] };
        const owner = users.get('member off the team who owns the problem') as User;
        const stranger = await buildUser(t, 'partner');
        for (const kind of KINDS) {
          const c =
            kind === 'open'
              ? await buildClientWithTeam(sys, team)
              : kind === 'walled, listed'
                ? await buildClientWithTeam(sys, { ...team, walled: true, wallMemberIds: all })
                : await buildClientWithTeam(sys, { walled: true, wallMemberIds: [stranger.id], partnerIds: [stranger.id] });
          const ownerId = kind === 'walled, not listed' ? stranger.id : owner.id;
          const problem = await createProblem(sys, { clientId: c.client.id, title: 'Matrix problem', reportedOn: daysAgo(3), ownerId });
          const referral = await createReferral(sys, {
            referrerClientId: c.client.id,
            prospectName: 'Prospect Ltd',
            referredOn: daysAgo(2),
            outcome: 'pending',
          });
          fixtures.set(kind, { clientId: c.client.id, problemId: problem.id, referralId: referral.id });
        }
      }, 60_000);

      for (const p of PERSONAS) {
        it(`${p.label}: problems and referrals per the policy, the owner rule and walls`, async () => {
          const caller = callers.get(p.label) as Caller;
          const got: Record<string, unknown> = {};
          const want: Record<string, unknown> = {};
          for (const kind of KINDS) {
            const f = fixtures.get(kind) as { clientId: string; problemId: string; referralId: string };
            const e = expected(p, kind);
            want[`${kind} problem read`] = e.problemRead;
            got[`${kind} problem read`] = (await caller.get(`/api/v1/problems/${f.problemId}`)).statusCode;
            const list = (await caller.get(`/api/v1/problems?clientId=${f.clientId}`)).json() as { items?: { id: string }[] };
            want[`${kind} problem listed`] = e.problemListed;
            got[`${kind} problem listed`] = (list.items ?? []).some((x) => x.id === f.problemId);
            want[`${kind} problem update`] = e.problemUpdate;
            got[`${kind} problem update`] = (await caller.patch(`/api/v1/problems/${f.problemId}`, { description: 'More detail' })).statusCode;
            want[`${kind} problem create`] = e.problemCreate;
            got[`${kind} problem create`] = (await caller.post('/api/v1/problems', { clientId: f.clientId, title: 'New', reportedOn: daysAgo(1) })).statusCode;
            want[`${kind} referral read`] = e.referralRead;
            got[`${kind} referral read`] = (await caller.get(`/api/v1/referrals/${f.referralId}`)).statusCode;
            const refs = (await caller.get(`/api/v1/referrals?referrerClientId=${f.clientId}`)).json() as { items?: { id: string }[] };
            want[`${kind} referral listed`] = e.referralListed;
            got[`${kind} referral listed`] = (refs.items ?? []).some((x) => x.id === f.referralId);
            want[`${kind} referral update`] = e.referralUpdate;
            got[`${kind} referral update`] = (await caller.patch(`/api/v1/referrals/${f.referralId}`, { notes: 'Chased' })).statusCode;
            want[`${kind} referral create`] = e.referralCreate;
            got[`${kind} referral create`] = (
              await caller.post('/api/v1/referrals', { referrerClientId: f.clientId, prospectName: 'Other prospect', referredOn: daysAgo(1) })
            ).statusCode;
          }
          expect(got, JSON.stringify(got)).toEqual(want);
        });
      }
    });

    describe('POST /problems', () => {
      it('401 for anonymous callers', async () => {
        expect((await anonymous(t.app).post('/api/v1/problems', { clientId, title: 'x', reportedOn: daysAgo(1) })).statusCode).toBe(401);
      });

      it('400 naming each bad field', async () => {
        const matter = await createMatter(systemContext(t.database.db), otherClientId, { name: 'Other matter', status: 'open' });
        const cases: [Record<string, unknown>, string][] = [
          [{ clientId, reportedOn: daysAgo(1) }, 'title'],
          [{ clientId, title: '  ', reportedOn: daysAgo(1) }, 'title'],
          [{ clientId, title: 'x' }, 'reportedOn'],
          [{ clientId, title: 'x', reportedOn: '2026-02-30' }, 'reportedOn'],
          [{ clientId, title: 'x', reportedOn: daysAgo(-2) }, 'reportedOn'],
          [{ clientId, title: 'x', reportedOn: daysAgo(1), reportedByContactId: otherContactId }, 'reportedByContactId'],
          [{ clientId, title: 'x', reportedOn: daysAgo(1), ownerId: users.get('external')?.id }, 'ownerId'],
          [{ clientId, title: 'x', reportedOn: daysAgo(1), ownerId: '019a0000-0000-7000-8000-000000000000' }, 'ownerId'],
          [{ clientId, title: 'x', reportedOn: daysAgo(1), matterId: matter.id }, 'matterId'],
        ];
        for (const [body, field] of cases) {
          const res = await lead.post('/api/v1/problems', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(fieldsOf(res), JSON.stringify(body)).toContain(field);
        }
        // An owner who may not see the walled client.
        const res = await rp.post('/api/v1/problems', {
          clientId: walledId,
          title: 'x',
          reportedOn: daysAgo(1),
          ownerId: users.get('member on the team')?.id,
        });
        expect(res.statusCode).toBe(400);
        expect(fieldsOf(res)).toEqual(['ownerId']);
      });

      it('403 for a partner off the team, 404 for an unknown or walled client', async () => {
        const off = callers.get('partner off the team') as Caller;
        expect((await off.post('/api/v1/problems', { clientId, title: 'x', reportedOn: daysAgo(1) })).statusCode).toBe(403);
        expect((await lead.post('/api/v1/problems', { clientId: walledId, title: 'x', reportedOn: daysAgo(1) })).statusCode).toBe(404);
        expect((await lead.post('/api/v1/problems', { clientId: '019a0000-0000-7000-8000-000000000000', title: 'x', reportedOn: daysAgo(1) })).statusCode).toBe(
          404,
        );
      });

      it('reports an open problem with its links, audited', async () => {
        const res = await (callers.get('member on the team') as Caller).post('/api/v1/problems', {
          clientId,
          title: 'Invoice sent to the wrong entity',
          description: 'Twice this quarter',
          reportedOn: daysAgo(4),
          reportedByContactId: contactId,
          ownerId: partner.id,
        });
        expect(res.statusCode).toBe(201);
        const body = res.json() as { id: string };
        expect(body).toMatchObject({
          status: 'open',
          reportedOn: daysAgo(4),
          reportedBy: { id: contactId, name: 'Olive Okafor' },
          owner: { id: partner.id },
          recordedBy: { id: users.get('member on the team')?.id },
          daysToResolution: null,
          daysOpen: 4,
          actions: [],
        });
        expect((await auditOf(body.id)).map((a) => a.action)).toEqual(['problem.create']);
      });
    });

    describe('status, time to resolution, actions, deletion', () => {
      it('moves open → investigating → resolved (resolution required) → closed, reopens clearing resolved_on; audited', async () => {
        const created = (await rp.post('/api/v1/problems', { clientId, title: 'Late advice', reportedOn: daysAgo(10) })).json() as { id: string };
        const url = `/api/v1/problems/${created.id}`;
        expect((await rp.patch(url, { status: 'closed' })).statusCode).toBe(400);
        expect((await rp.patch(url, { status: 'investigating' })).json()).toMatchObject({ status: 'investigating' });
        const missing = await rp.patch(url, { status: 'resolved' });
        expect(missing.statusCode).toBe(400);
        expect(fieldsOf(missing)).toEqual(['resolution']);
        const future = await rp.patch(url, { status: 'resolved', resolution: 'x', resolvedOn: daysAgo(-3) });
        expect(fieldsOf(future)).toEqual(['resolvedOn']);
        const before = await rp.patch(url, { status: 'resolved', resolution: 'x', resolvedOn: daysAgo(12) });
        expect(fieldsOf(before)).toEqual(['resolvedOn']);
        const resolved = await rp.patch(url, { status: 'resolved', resolution: 'Agreed a turnaround time', resolvedOn: daysAgo(3) });
        expect(resolved.statusCode).toBe(200);
        expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedOn: daysAgo(3), daysToResolution: 7, daysOpen: 7 });
        expect((await rp.patch(url, { status: 'closed' })).json()).toMatchObject({ status: 'closed', resolvedOn: daysAgo(3), daysToResolution: 7 });
        const reopened = await rp.patch(url, { status: 'open' });
        expect(reopened.json()).toMatchObject({ status: 'open', resolvedOn: null, daysToResolution: null, daysOpen: 10 });
        // Resolved without a date: today.
        expect((await rp.patch(url, { status: 'resolved', resolution: 'Fixed for good' })).json()).toMatchObject({
          resolvedOn: daysAgo(0),
          daysToResolution: 10,
        });
        expect((await auditOf(created.id)).map((a) => a.action)).toEqual([
          'problem.create',
          'problem.update',
          'problem.update',
          'problem.update',
          'problem.update',
          'problem.update',
        ]);
      });

      it('the owner updates their own problem whatever their role; others off the team may not', async () => {
        const owner = users.get('member off the team who owns the problem') as User;
        const created = (await lead.post('/api/v1/problems', { clientId, title: 'Owned', reportedOn: daysAgo(1), ownerId: owner.id })).json() as { id: string };
        const res = await (callers.get('member off the team who owns the problem') as Caller).patch(`/api/v1/problems/${created.id}`, {
          status: 'investigating',
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ abilities: { update: true, delete: false } });
      });

      it('adds linked actions (ladder), lists them, and refuses deletion while linked (409)', async () => {
        const created = (await rp.post('/api/v1/problems', { clientId, title: 'Wrong team staffed', reportedOn: daysAgo(2) })).json() as { id: string };
        const url = `/api/v1/problems/${created.id}/actions`;
        expect((await anonymous(t.app).post(url, { title: 'x', ownerId: partner.id })).statusCode).toBe(401);
        expect(fieldsOf(await rp.post(url, { ownerId: partner.id }))).toContain('title');
        expect(fieldsOf(await rp.post(url, { title: 'x', ownerId: partner.id, dueOn: '2026-13-01' }))).toContain('dueOn');
        expect(fieldsOf(await rp.post(url, { title: 'x', ownerId: users.get('external')?.id }))).toEqual(['ownerId']);
        // Management reads the problem but may not change it; a partner off the team may not even read it.
        expect((await (callers.get('management') as Caller).post(url, { title: 'x', ownerId: partner.id })).statusCode).toBe(403);
        expect((await (callers.get('partner off the team') as Caller).post(url, { title: 'x', ownerId: partner.id })).statusCode).toBe(404);
        expect((await rp.post('/api/v1/problems/019a0000-0000-7000-8000-000000000000/actions', { title: 'x', ownerId: partner.id })).statusCode).toBe(404);
        const res = await rp.post(url, { title: 'Staff the usual team', ownerId: partner.id, dueOn: daysAgo(-7), priority: 'high' });
        expect(res.statusCode).toBe(201);
        const problem = res.json() as { actions: { id: string }[] };
        expect(problem.actions).toEqual([
          { id: expect.any(String), title: 'Staff the usual team', status: 'open', owner: { id: partner.id, name: partner.name }, dueOn: daysAgo(-7) },
        ]);
        const actionId = problem.actions[0]?.id ?? '';
        const action = (await rp.get(`/api/v1/actions/${actionId}`)).json();
        expect(action).toMatchObject({ origin: 'manual', priority: 'high', client: { id: clientId } });
        const row = await t.database.db.selectFrom('actions').select('problem_id').where('id', '=', actionId).executeTakeFirstOrThrow();
        expect(row.problem_id).toBe(created.id);
        expect((await auditOf(actionId)).map((a) => a.action)).toEqual(['action.create']);
        const del = await rp.delete(`/api/v1/problems/${created.id}`);
        expect(del.statusCode).toBe(409);
        expect((await rp.get(`/api/v1/problems/${created.id}`)).statusCode).toBe(200);
      });

      it('refuses deletion while an insight links to it; deletes an unlinked one (ladder, audited)', async () => {
        const linked = (await rp.post('/api/v1/problems', { clientId, title: 'Linked', reportedOn: daysAgo(2) })).json() as { id: string };
        const insight = await buildInsight(systemContext(t.database.db), { clientId, summary: 'From the problem' });
        await t.database.db.updateTable('insights').set({ problem_id: linked.id }).where('id', '=', insight.id).execute();
        expect((await rp.delete(`/api/v1/problems/${linked.id}`)).statusCode).toBe(409);

        const free = (await rp.post('/api/v1/problems', { clientId, title: 'Free', reportedOn: daysAgo(2) })).json() as { id: string };
        const url = `/api/v1/problems/${free.id}`;
        expect((await anonymous(t.app).delete(url)).statusCode).toBe(401);
        expect((await (callers.get('member on the team') as Caller).delete(url)).statusCode).toBe(403);
        expect((await (callers.get('partner off the team') as Caller).delete('/api/v1/problems/019a0000-0000-7000-8000-000000000000')).statusCode).toBe(404);
        expect((await rp.delete(url)).statusCode).toBe(204);
        expect((await rp.get(url)).statusCode).toBe(404);
        expect((await auditOf(free.id)).map((a) => a.action)).toEqual(['problem.create', 'problem.delete']);
      });

      it('GET/PATCH ladder: 401, 400 per field, 404', async () => {
        const created = (await rp.post('/api/v1/problems', { clientId, title: 'Ladder', reportedOn: daysAgo(2) })).json() as { id: string };
        const url = `/api/v1/problems/${created.id}`;
        expect((await anonymous(t.app).get(url)).statusCode).toBe(401);
        expect((await anonymous(t.app).patch(url, { title: 'x' })).statusCode).toBe(401);
        expect(fieldsOf(await rp.patch(url, { title: '' }))).toContain('title');
        expect(fieldsOf(await rp.patch(url, { status: 'fixed' }))).toContain('status');
        expect(fieldsOf(await rp.patch(url, { reportedOn: daysAgo(-1) }))).toEqual(['reportedOn']);
        expect(fieldsOf(await rp.patch(url, { ownerId: users.get('external')?.id }))).toEqual(['ownerId']);
        expect(fieldsOf(await rp.patch(url, { reportedByContactId: otherContactId }))).toEqual(['reportedByContactId']);
        expect((await rp.get('/api/v1/problems/019a0000-0000-7000-8000-000000000000')).statusCode).toBe(404);
      });

      it('lists newest first with filters and cursor pages', async () => {
        const sys = systemContext(t.database.db);
        const c = (await buildClientWithTeam(sys, { partnerIds: [partner.id] })).client.id;
        const ids: string[] = [];
        for (const n of [5, 3, 1]) {
          ids.push((await createProblem(sys, { clientId: c, title: `P${n}`, reportedOn: daysAgo(n), ownerId: n === 3 ? partner.id : null })).id);
        }
        const first = (await rp.get(`/api/v1/problems?clientId=${c}&limit=2&total=true`)).json() as {
          items: { title: string }[];
          nextCursor: string;
          total: number;
        };
        expect(first.items.map((p) => p.title)).toEqual(['P1', 'P3']);
        expect(first.total).toBe(3);
        const outsiderTotal = (await (callers.get('partner off the team') as Caller).get(`/api/v1/problems?clientId=${c}&total=true`)).json() as {
          total: number;
        };
        expect(outsiderTotal.total).toBe(0);
        const second = (await rp.get(`/api/v1/problems?clientId=${c}&limit=2&cursor=${first.nextCursor}`)).json() as {
          items: { title: string }[];
          nextCursor: null;
        };
        expect(second).toMatchObject({ items: [{ title: 'P5' }], nextCursor: null });
        const mine = (await rp.get(`/api/v1/problems?clientId=${c}&mine=true`)).json() as { items: { title: string }[] };
        expect(mine.items.map((p) => p.title)).toEqual(['P3']);
        const byOwner = (await lead.get(`/api/v1/problems?clientId=${c}&ownerId=${partner.id}`)).json() as { items: { title: string }[] };
        expect(byOwner.items.map((p) => p.title)).toEqual(['P3']);
        await rp.patch(`/api/v1/problems/${ids[0]}`, { status: 'investigating' });
        const investigating = (await rp.get(`/api/v1/problems?clientId=${c}&status=investigating`)).json() as { items: { title: string }[] };
        expect(investigating.items.map((p) => p.title)).toEqual(['P5']);
        expect(fieldsOf(await rp.get('/api/v1/problems?status=fixed'))).toContain('status');
        expect(fieldsOf(await rp.get('/api/v1/problems?cursor=nonsense'))).toContain('cursor');
      });
    });

    describe('referrals', () => {
      it('POST ladder: 401, 400 per field, 403, 404, then created and audited', async () => {
        const body = { referrerClientId: clientId, prospectName: 'Acme Holdings', referredOn: daysAgo(5) };
        expect((await anonymous(t.app).post('/api/v1/referrals', body)).statusCode).toBe(401);
        const cases: [Record<string, unknown>, string][] = [
          [{ referrerClientId: clientId, referredOn: daysAgo(5) }, 'prospectName'],
          [{ ...body, prospectName: '  ' }, 'prospectName'],
          [{ ...body, referredOn: '5 May' }, 'referredOn'],
          [{ ...body, outcome: 'maybe' }, 'outcome'],
          [{ ...body, outcomeOn: daysAgo(9) }, 'outcomeOn'],
          [{ ...body, referredByContactId: otherContactId }, 'referredByContactId'],
          [{ ...body, prospectClientId: '019a0000-0000-7000-8000-000000000000' }, 'prospectClientId'],
        ];
        for (const [b, field] of cases) {
          const res = await lead.post('/api/v1/referrals', b);
          expect(res.statusCode, JSON.stringify(b)).toBe(400);
          expect(fieldsOf(res), JSON.stringify(b)).toContain(field);
        }
        // The lead cannot see the walled client: as a prospect it is simply not a client they can see.
        expect(fieldsOf(await lead.post('/api/v1/referrals', { ...body, prospectClientId: walledId }))).toEqual(['prospectClientId']);
        expect((await (callers.get('partner off the team') as Caller).post('/api/v1/referrals', body)).statusCode).toBe(403);
        expect((await lead.post('/api/v1/referrals', { ...body, referrerClientId: walledId })).statusCode).toBe(404);
        const res = await (callers.get('member on the team') as Caller).post('/api/v1/referrals', {
          ...body,
          referredByContactId: contactId,
          prospectClientId: otherClientId,
          prospectName: undefined,
        });
        expect(res.statusCode).toBe(201);
        const created = res.json() as { id: string; prospectName: string | null };
        expect(created).toMatchObject({
          referrer: { id: clientId },
          referredBy: { id: contactId },
          prospectClient: { id: otherClientId },
          outcome: 'pending',
          referredOn: daysAgo(5),
        });
        expect(created.prospectName).toBeTruthy();
        expect((await auditOf(created.id)).map((a) => a.action)).toEqual(['referral.create']);
      });

      it('GET/PATCH/DELETE ladder with outcome, audited', async () => {
        const created = (await rp.post('/api/v1/referrals', { referrerClientId: clientId, prospectName: 'Beta LLP', referredOn: daysAgo(20) })).json() as {
          id: string;
        };
        const url = `/api/v1/referrals/${created.id}`;
        expect((await anonymous(t.app).get(url)).statusCode).toBe(401);
        expect((await anonymous(t.app).patch(url, { outcome: 'won' })).statusCode).toBe(401);
        expect(fieldsOf(await rp.patch(url, { outcome: 'great' }))).toContain('outcome');
        expect(fieldsOf(await rp.patch(url, { outcomeOn: daysAgo(30) }))).toEqual(['outcomeOn']);
        expect(fieldsOf(await rp.patch(url, { prospectName: '' }))).toEqual(['prospectName']);
        expect((await (callers.get('member on the team') as Caller).patch(url, { outcome: 'won' })).statusCode).toBe(403);
        expect((await rp.get('/api/v1/referrals/019a0000-0000-7000-8000-000000000000')).statusCode).toBe(404);
        const won = await rp.patch(url, { outcome: 'won', outcomeOn: daysAgo(2) });
        expect(won.json()).toMatchObject({ outcome: 'won', outcomeOn: daysAgo(2), prospectName: 'Beta LLP' });
        const filtered = (await rp.get(`/api/v1/referrals?referrerClientId=${clientId}&outcome=won`)).json() as { items: { id: string }[] };
        expect(filtered.items.map((r) => r.id)).toEqual([created.id]);
        expect((await (callers.get('member on the team') as Caller).delete(url)).statusCode).toBe(403);
        expect((await rp.delete(url)).statusCode).toBe(204);
        expect((await rp.get(url)).statusCode).toBe(404);
        expect((await auditOf(created.id)).map((a) => a.action)).toEqual(['referral.create', 'referral.update', 'referral.delete']);
      });

      it('hides a walled prospect client, link and name, from readers who may not see it', async () => {
        // The relationship partner is on the wall: they may record the walled client as the prospect.
        const res = await rp.post('/api/v1/referrals', { referrerClientId: clientId, prospectClientId: walledId, referredOn: daysAgo(1) });
        expect(res.statusCode, res.body).toBe(201);
        const created = res.json() as { id: string; prospectName: string };
        expect(res.json()).toMatchObject({ prospectClient: { id: walledId } });
        const walledName = created.prospectName;
        for (const reader of ['member on the team', 'programme lead', 'management']) {
          const caller = callers.get(reader) as Caller;
          const seen = await caller.get(`/api/v1/referrals/${created.id}`);
          expect(seen.statusCode).toBe(200);
          expect(seen.json()).toMatchObject({ prospectClient: null, prospectName: null });
          expect(seen.body).not.toContain(walledId);
          expect(seen.body).not.toContain(walledName);
          const list = await caller.get(`/api/v1/referrals?referrerClientId=${clientId}&limit=200`);
          expect(list.body).not.toContain(walledName);
          const byProspect = (await caller.get(`/api/v1/referrals?prospectClientId=${walledId}`)).json() as { items: unknown[] };
          expect(byProspect.items).toEqual([]);
        }
        const byProspect = (await rp.get(`/api/v1/referrals?prospectClientId=${walledId}`)).json() as { items: { id: string }[] };
        expect(byProspect.items.map((r) => r.id)).toEqual([created.id]);
      });
    });
  });
}
