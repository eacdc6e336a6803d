import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { POLICY, scopeSatisfied } from '../http/access.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { type Actor, type ServiceContext, systemContext } from '../server/context.js';
import { buildAction } from './testing.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const asCtx = (t: TestApp, u: User): ServiceContext => ({ db: t.database.db, actor: { id: u.id, role: u.role, name: u.name, email: u.email } satisfies Actor });
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

interface Persona {
  label: string;
  role: Role;
  teamRole?: ClientTeamRole;
  /** Owns the fixture action (without being on the client's team). */
  owner?: boolean;
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
  { label: 'member off the team who owns the action', role: 'member', owner: true },
  { label: 'external', role: 'external' },
];
type Kind = 'open' | 'walled, listed' | 'walled, not listed';
const KINDS: Kind[] = ['open', 'walled, listed', 'walled, not listed'];

/** What the policy, the owner rule and walls say a persona gets. */
function expected(p: Persona, kind: Kind) {
  const visible = kind !== 'walled, not listed' && p.role !== 'external';
  const grant = (action: 'read' | 'create' | 'update') => {
    const scope = (POLICY.action[action] as Partial<Record<Role, 'any' | 'client_team' | 'relationship_partner'>>)[p.role];
    return scope !== undefined && scopeSatisfied(scope, p.teamRole);
  };
  const read = visible && (p.owner === true || grant('read'));
  return {
    read: read ? 200 : 404,
    update: !read ? 404 : p.owner || grant('update') ? 200 : 403,
    comment: read ? 201 : 404,
    create: !visible ? 404 : grant('create') ? 201 : 403,
    listed: read,
  };
}

for (const dialect of DIALECTS) {
  describe(`actions API (${dialect})`, () => {
    let t: TestApp;
    const users = new Map<string, User>();
    const callers = new Map<string, Caller>();
    let lead: User;
    let partner: User;
    let member: User;
    let admin: User;
    let clientId: string;
    let otherClientId: string;
    let walledId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      for (const p of PERSONAS) {
        const u = await buildUser(t, p.role, { name: `${p.label}` });
        users.set(p.label, u);
        callers.set(p.label, await signIn(t.app, u.email));
      }
      const sys = systemContext(t.database.db, 'test');
      const byLabel = (l: string) => users.get(l)?.id ?? '';
      lead = users.get('programme lead') as User;
      partner = users.get('relationship partner') as User;
      member = users.get('member on the team') as User;
      admin = users.get('admin') as User;
      const team = {
        partnerIds: [byLabel('relationship partner')],
        memberIds: [byLabel('partner on the team'), byLabel('member on the team')],
      };
      clientId = (await buildClientWithTeam(sys, { ...team, contacts: ['Olive Okafor'] })).client.id;
      otherClientId = (await buildClientWithTeam(sys, team)).client.id;
      walledId = (await buildClientWithTeam(sys, { ...team, walled: true, wallMemberIds: [byLabel('relationship partner')] })).client.id;
    }, 120_000);
    afterAll(async () => t.close());

    describe('access matrix', () => {
      const fixtures = new Map<Kind, { clientId: string; actionId: string; ownerId: string }>();
      beforeAll(async () => {
        const sys = systemContext(t.database.db, 'test');
        const all = [...users.values()].map((u) => u.id);
        const team = {
          partnerIds: [users.get('relationship partner')?.id ?? ''],
          memberIds: [users.get('partner on the team')?.id ?? '', users.get('member on the team')?.id ?? ''],
        };
        const owner = users.get('member off the team who owns the action') as User;
        const strangerPartner = await buildUser(t, 'partner');
        for (const kind of KINDS) {
          const c =
            kind === 'open'
              ? await buildClientWithTeam(sys, team)
              : kind === 'walled, listed'
                ? await buildClientWithTeam(sys, { ...team, walled: true, wallMemberIds: all })
                : await buildClientWithTeam(sys, { walled: true, wallMemberIds: [strangerPartner.id], partnerIds: [strangerPartner.id] });
          const ownerId = kind === 'walled, not listed' ? strangerPartner.id : owner.id;
          const action = await buildAction(sys, { clientId: c.client.id, ownerId, title: 'Matrix action' });
          fixtures.set(kind, { clientId: c.client.id, actionId: action.id, ownerId });
        }
      }, 60_000);

      for (const p of PERSONAS) {
        it(`${p.label}: read, list, update, comment, create per the policy, the owner rule and walls`, async () => {
          const caller = callers.get(p.label) as Caller;
          const got: Record<string, unknown> = {};
          const want: Record<string, unknown> = {};
          for (const kind of KINDS) {
            const f = fixtures.get(kind) as { clientId: string; actionId: string; ownerId: string };
            const e = expected(p, kind);
            want[`${kind} read`] = e.read;
            got[`${kind} read`] = (await caller.get(`/api/v1/actions/${f.actionId}`)).statusCode;
            const list = await caller.get(`/api/v1/actions?clientId=${f.clientId}&total=true`);
            want[`${kind} listed`] = p.role === 'external' ? 'none' : e.listed;
            const items = (list.json() as { items: { id: string }[] }).items ?? [];
            got[`${kind} listed`] = p.role === 'external' && items.length === 0 ? 'none' : items.some((a) => a.id === f.actionId);
            want[`${kind} update`] = e.update;
            got[`${kind} update`] = (await caller.patch(`/api/v1/actions/${f.actionId}`, { priority: 'high' })).statusCode;
            want[`${kind} comment`] = e.comment;
            got[`${kind} comment`] = (await caller.post(`/api/v1/actions/${f.actionId}/comments`, { body: 'Noted' })).statusCode;
            want[`${kind} create`] = e.create;
            got[`${kind} create`] = (await caller.post('/api/v1/actions', { clientId: f.clientId, title: 'New one', ownerId: f.ownerId })).statusCode;
          }
          expect(got).toEqual(want);
        });
      }
    });

    describe('POST /actions', () => {
      it('refuses anonymous callers', async () => {
        expect((await anonymous(t.app).post('/api/v1/actions', { clientId, title: 'x', ownerId: partner.id })).statusCode).toBe(401);
      });

      it('names the field for bad input: title, impossible or malformed due date, priority', async () => {
        const c = callers.get('programme lead') as Caller;
        const cases: [Record<string, unknown>, string][] = [
          [{ clientId, ownerId: partner.id }, 'title'],
          [{ clientId, ownerId: partner.id, title: '   ' }, 'title'],
          [{ clientId, ownerId: partner.id, title: 'x', dueOn: '2026-02-30' }, 'dueOn'],
          [{ clientId, ownerId: partner.id, title: 'x', dueOn: '30/01/2026' }, 'dueOn'],
          [{ clientId, ownerId: partner.id, title: 'x', priority: 'asap' }, 'priority'],
        ];
        for (const [body, field] of cases) {
          const res = await c.post('/api/v1/actions', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
        }
      });

      it('refuses an owner without access to the client, an external or unknown owner (400 naming ownerId)', async () => {
        const c = callers.get('programme lead') as Caller;
        const notOnWall = await c.post('/api/v1/actions', { clientId: walledId, title: 'x', ownerId: member.id });
        // The lead is not on the wall either: the client does not exist for them.
        expect(notOnWall.statusCode).toBe(404);
        const rp = callers.get('relationship partner') as Caller;
        const res = await rp.post('/api/v1/actions', { clientId: walledId, title: 'x', ownerId: member.id });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ errors: [{ field: 'ownerId' }] });
        for (const ownerId of [users.get('external')?.id, '019a0000-0000-7000-8000-000000000000']) {
          const r = await c.post('/api/v1/actions', { clientId, title: 'x', ownerId });
          expect(r.statusCode).toBe(400);
          expect(r.json()).toMatchObject({ errors: [{ field: 'ownerId' }] });
        }
      });

      it('creates an open action with normal priority, audited', async () => {
        const c = callers.get('member on the team') as Caller;
        const res = await c.post('/api/v1/actions', { clientId, title: 'Send the revised fee estimate', ownerId: partner.id, dueOn: '2026-04-30' });
        expect(res.statusCode).toBe(201);
        const body = res.json() as Record<string, unknown>;
        expect(body).toMatchObject({
          title: 'Send the revised fee estimate',
          status: 'open',
          priority: 'normal',
          origin: 'manual',
          dueOn: '2026-04-30',
          owner: { id: partner.id },
          createdBy: { id: member.id },
          closedAt: null,
        });
        const audit = await t.database.db
          .selectFrom('audit_log')
          .selectAll()
          .where('entity_id', '=', body.id as string)
          .execute();
        expect(audit.map((a) => a.action)).toEqual(['action.create']);
      });

      it('links an insight of the client (origin insight) and refuses one of another client', async () => {
        const insight = await buildInsight(systemContext(t.database.db), { clientId, summary: 'Invoices arrive late' });
        const c = callers.get('relationship partner') as Caller;
        const wrong = await c.post('/api/v1/actions', { clientId: otherClientId, title: 'x', ownerId: partner.id, insightId: insight.id });
        expect(wrong.statusCode).toBe(400);
        expect(wrong.json()).toMatchObject({ errors: [{ field: 'insightId' }] });
        const res = await c.post('/api/v1/actions', { clientId, title: 'Fix invoicing', ownerId: partner.id, insightId: insight.id });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({ origin: 'insight', insight: { id: insight.id, summary: 'Invoices arrive late', type: 'concern' } });
        const listed = await c.get(`/api/v1/actions?insightId=${insight.id}`);
        expect((listed.json() as { items: unknown[] }).items).toHaveLength(1);
      });

      it('never shows a programme-only insight to a reader who may not see it: the link is null', async () => {
        const secret = await buildInsight(asCtx(t, lead), {
          clientId,
          confidentiality: 'programme_only',
          summary: 'SECRET: the GC is looking at other firms',
        });
        const c = callers.get('programme lead') as Caller;
        const res = await c.post('/api/v1/actions', { clientId, title: 'Call the GC', ownerId: partner.id, insightId: secret.id });
        expect(res.statusCode).toBe(201);
        const id = (res.json() as { id: string }).id;
        expect(res.json()).toMatchObject({ insight: { id: secret.id } });
        for (const reader of ['relationship partner', 'member on the team', 'management']) {
          const seen = await (callers.get(reader) as Caller).get(`/api/v1/actions/${id}`);
          expect(seen.statusCode).toBe(200);
          expect(seen.json()).toMatchObject({ insight: null, origin: 'insight' });
          expect(seen.body).not.toContain('SECRET');
          const list = await (callers.get(reader) as Caller).get(`/api/v1/actions?clientId=${clientId}&limit=200`);
          expect(list.body).not.toContain('SECRET');
        }
        // A partner cannot link it either: for them it does not exist.
        const rp = await (callers.get('relationship partner') as Caller).post('/api/v1/actions', {
          clientId,
          title: 'x',
          ownerId: partner.id,
          insightId: secret.id,
        });
        expect(rp.statusCode).toBe(400);
      });

      it('links a session of the client the actor can read (origin session)', async () => {
        const interviewer = await buildUser(t, 'member');
        const session = await buildCompletedSession(asCtx(t, lead), { clientId, interviewerId: interviewer.id });
        const c = callers.get('relationship partner') as Caller;
        const res = await c.post('/api/v1/actions', { clientId, title: 'Send the summary', ownerId: partner.id, sessionId: session.id });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({ origin: 'session', session: { id: session.id } });
        const wrongClient = await c.post('/api/v1/actions', { clientId: otherClientId, title: 'x', ownerId: partner.id, sessionId: session.id });
        expect(wrongClient.statusCode).toBe(400);
        expect(wrongClient.json()).toMatchObject({ errors: [{ field: 'sessionId' }] });
        // A member off the team may not read the session: they cannot link it (and may not create here anyway).
        const off = await (callers.get('partner off the team') as Caller).post('/api/v1/actions', {
          clientId,
          title: 'x',
          ownerId: partner.id,
          sessionId: session.id,
        });
        expect(off.statusCode).toBe(403);
      });
    });

    describe('GET/PATCH /actions/{id}', () => {
      it('is 401 anonymous, 404 for an unknown id', async () => {
        const a = await buildAction(asCtx(t, lead), { clientId, ownerId: partner.id });
        expect((await anonymous(t.app).get(`/api/v1/actions/${a.id}`)).statusCode).toBe(401);
        expect((await anonymous(t.app).patch(`/api/v1/actions/${a.id}`, { title: 'x' })).statusCode).toBe(401);
        expect((await (callers.get('programme lead') as Caller).get('/api/v1/actions/019a0000-0000-7000-8000-000000000000')).statusCode).toBe(404);
      });

      it('moves through the statuses: won’t do needs a reason, closed ones reopen to open only', async () => {
        const a = await buildAction(asCtx(t, lead), { clientId, ownerId: member.id });
        const owner = callers.get('member on the team') as Caller;
        const url = `/api/v1/actions/${a.id}`;
        expect((await owner.patch(url, { status: 'in_progress' })).json()).toMatchObject({ status: 'in_progress' });
        const noReason = await owner.patch(url, { status: 'wont_do' });
        expect(noReason.statusCode).toBe(400);
        expect(noReason.json()).toMatchObject({ errors: [{ field: 'wontDoReason' }] });
        const blank = await owner.patch(url, { status: 'wont_do', wontDoReason: '  ' });
        expect(blank.statusCode).toBe(400);
        const wont = await owner.patch(url, { status: 'wont_do', wontDoReason: 'The client moved the work in-house' });
        expect(wont.statusCode).toBe(200);
        expect(wont.json()).toMatchObject({ status: 'wont_do', wontDoReason: 'The client moved the work in-house' });
        expect((wont.json() as { closedAt: string | null }).closedAt).not.toBeNull();
        const cleared = await owner.patch(url, { wontDoReason: '' });
        expect(cleared.statusCode).toBe(400);
        expect(cleared.json()).toMatchObject({ errors: [{ field: 'wontDoReason' }] });
        const skip = await owner.patch(url, { status: 'done' });
        expect(skip.statusCode).toBe(400);
        expect(skip.json()).toMatchObject({ errors: [{ field: 'status' }] });
        const reopened = await owner.patch(url, { status: 'open' });
        expect(reopened.json()).toMatchObject({ status: 'open', closedAt: null, wontDoReason: null });
        const done = await owner.patch(url, { status: 'done', closureNote: 'Sent the new estimate; client agreed' });
        expect(done.json()).toMatchObject({ status: 'done', closureNote: 'Sent the new estimate; client agreed' });
        const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', a.id).execute();
        expect(audit.filter((x) => x.action === 'action.update')).toHaveLength(4);
      });

      it('edits fields, checks a new owner and an impossible due date, and bumps last activity', async () => {
        const a = await buildAction(asCtx(t, lead), { clientId, ownerId: partner.id });
        const c = callers.get('relationship partner') as Caller;
        const url = `/api/v1/actions/${a.id}`;
        expect((await c.patch(url, { dueOn: '2026-02-30' })).json()).toMatchObject({ errors: [{ field: 'dueOn' }] });
        const external = await c.patch(url, { ownerId: users.get('external')?.id });
        expect(external.statusCode).toBe(400);
        expect(external.json()).toMatchObject({ errors: [{ field: 'ownerId' }] });
        await new Promise((r) => setTimeout(r, 5));
        const res = await c.patch(url, { title: 'Renamed', dueOn: '2026-05-01', priority: 'urgent', ownerId: member.id, description: 'More' });
        expect(res.statusCode).toBe(200);
        const body = res.json() as { lastActivityAt: string };
        expect(body).toMatchObject({ title: 'Renamed', dueOn: '2026-05-01', priority: 'urgent', owner: { id: member.id }, description: 'More' });
        expect(body.lastActivityAt > a.lastActivityAt).toBe(true);
      });
    });

    describe('comments', () => {
      it('adds and lists comments, names the field for an empty body, bumps last activity', async () => {
        const a = await buildAction(asCtx(t, lead), { clientId, ownerId: partner.id });
        const c = callers.get('member on the team') as Caller;
        const url = `/api/v1/actions/${a.id}/comments`;
        expect((await anonymous(t.app).get(url)).statusCode).toBe(401);
        const empty = await c.post(url, { body: ' ' });
        expect(empty.statusCode).toBe(400);
        expect(empty.json()).toMatchObject({ errors: [{ field: 'body' }] });
        await new Promise((r) => setTimeout(r, 5));
        const res = await c.post(url, { body: 'Called their GC; meeting on Friday' });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({ body: 'Called their GC; meeting on Friday', author: { id: member.id } });
        const list = await c.get(url);
        expect((list.json() as { items: { body: string }[] }).items.map((x) => x.body)).toEqual(['Called their GC; meeting on Friday']);
        const after = (await c.get(`/api/v1/actions/${a.id}`)).json() as { lastActivityAt: string; commentCount: number };
        expect(after.commentCount).toBe(1);
        expect(after.lastActivityAt > a.lastActivityAt).toBe(true);
        expect((await outsiderCaller().get(url)).statusCode).toBe(404);
      });
    });

    const outsiderCaller = () => callers.get('member off the team') as Caller;

    describe('GET /actions', () => {
      it('filters my inbox, status and overdue; sorts by due date with undated last; pages with a cursor', async () => {
        const lister = await buildUser(t, 'member');
        const sys = systemContext(t.database.db);
        const c = (await buildClientWithTeam(sys, { memberIds: [lister.id] })).client.id;
        const ctx = asCtx(t, lead);
        const late = await buildAction(ctx, { clientId: c, ownerId: lister.id, title: 'Late', dueOn: daysAgo(3) });
        const undated = await buildAction(ctx, { clientId: c, ownerId: lister.id, title: 'Undated' });
        const soon = await buildAction(ctx, { clientId: c, ownerId: lister.id, title: 'Soon', dueOn: daysAgo(-5) });
        const doneLate = await buildAction(ctx, { clientId: c, ownerId: lister.id, title: 'Done late', dueOn: daysAgo(10), after: { status: 'done' } });
        await buildAction(ctx, { clientId: c, ownerId: partner.id, title: 'Not mine' });
        const me = await signIn(t.app, lister.email);

        const mine = (await me.get('/api/v1/actions?mine=true&total=true')).json() as { items: { id: string; overdue: boolean }[]; total: number };
        expect(mine.items.map((a) => a.id)).toEqual([doneLate.id, late.id, soon.id, undated.id]);
        expect(mine.total).toBe(4);
        expect(mine.items.find((a) => a.id === late.id)?.overdue).toBe(true);

        const overdue = (await me.get(`/api/v1/actions?overdue=true&clientId=${c}`)).json() as { items: { id: string }[] };
        expect(overdue.items.map((a) => a.id)).toEqual([late.id]);

        const open = (await me.get('/api/v1/actions?mine=true&status=open,in_progress')).json() as { items: { id: string }[] };
        expect(open.items.map((a) => a.id)).toEqual([late.id, soon.id, undated.id]);

        const bad = await me.get('/api/v1/actions?status=open,finished');
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({ errors: [{ field: 'status' }] });

        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await me.get(`/api/v1/actions?mine=true&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
          const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
          seen.push(...page.items.map((a) => a.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual([doneLate.id, late.id, soon.id, undated.id]);

        const byUpdate = (await me.get('/api/v1/actions?mine=true&sort=updatedAt&limit=2')).json() as { items: { id: string }[]; nextCursor: string };
        const rest = (await me.get(`/api/v1/actions?mine=true&sort=updatedAt&limit=2&cursor=${byUpdate.nextCursor}`)).json() as { items: { id: string }[] };
        expect(new Set([...byUpdate.items, ...rest.items].map((a) => a.id)).size).toBe(4);
        expect(byUpdate.items[0]?.id).toBe(doneLate.id);
        expect((await anonymous(t.app).get('/api/v1/actions')).statusCode).toBe(401);
      });
    });

    describe('GET /actions/unactioned', () => {
      it('lists old concerns and risks the reader may see with no action, with days waiting', async () => {
        const sys = systemContext(t.database.db);
        const c = (await buildClientWithTeam(sys, { partnerIds: [partner.id] })).client.id;
        const old = await buildInsight(sys, { clientId: c, type: 'risk', severity: 'high', summary: 'Old risk', heardOn: daysAgo(30) });
        const acted = await buildInsight(sys, { clientId: c, summary: 'Acted on', heardOn: daysAgo(30) });
        await buildInsight(sys, { clientId: c, summary: 'Too recent', heardOn: daysAgo(3) });
        await buildInsight(sys, { clientId: c, type: 'praise', summary: 'Praise', heardOn: daysAgo(30) });
        await buildInsight(sys, { clientId: c, summary: 'HIDDEN programme-only concern', heardOn: daysAgo(30), confidentiality: 'programme_only' });
        await buildAction(sys, { clientId: c, ownerId: partner.id, insightId: acted.id });

        const rp = (await (callers.get('relationship partner') as Caller).get('/api/v1/actions/unactioned')).json() as {
          items: { insightId: string; summary: string; daysWaiting: number; client: { id: string } }[];
          afterDays: number;
        };
        expect(rp.afterDays).toBe(14);
        const mineHere = rp.items.filter((i) => i.client.id === c);
        expect(mineHere.map((i) => i.summary)).toEqual(['Old risk']);
        expect(mineHere[0]).toMatchObject({ insightId: old.id, daysWaiting: 30, severity: 'high', heardOn: daysAgo(30) });

        const leadView = (await (callers.get('programme lead') as Caller).get('/api/v1/actions/unactioned')).json() as {
          items: { client: { id: string }; summary: string }[];
        };
        expect(leadView.items.filter((i) => i.client.id === c).map((i) => i.summary)).toEqual(['Old risk', 'HIDDEN programme-only concern']);
        const off = (await outsiderCaller().get('/api/v1/actions/unactioned')).json() as { items: { client: { id: string } }[] };
        expect(off.items.filter((i) => i.client.id === c)).toEqual([]);
        expect((await (callers.get('external') as Caller).get('/api/v1/actions/unactioned')).statusCode).toBe(403);
        expect((await anonymous(t.app).get('/api/v1/actions/unactioned')).statusCode).toBe(401);
      });
    });

    describe('loop settings', () => {
      const valid = {
        unactionedAfterDays: 10,
        escalateAfterDays: 30,
        autoActionOnDetractor: false,
        autoActionOnHighConcern: true,
        autoActionDueDays: 5,
        recoveryAfterDays: 21,
      };

      it('reads for admins, leads and management; 403 for others; 401 anonymous', async () => {
        expect((await anonymous(t.app).get('/api/v1/settings/loop')).statusCode).toBe(401);
        expect((await (callers.get('member on the team') as Caller).get('/api/v1/settings/loop')).statusCode).toBe(403);
        const res = await (callers.get('management') as Caller).get('/api/v1/settings/loop');
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          unactionedAfterDays: 14,
          escalateAfterDays: 21,
          autoActionOnDetractor: true,
          autoActionOnHighConcern: true,
          autoActionDueDays: 7,
          recoveryAfterDays: 14,
        });
      });

      it('is changed by admins only, with named field errors, audited', async () => {
        expect((await (callers.get('programme lead') as Caller).put('/api/v1/settings/loop', valid)).statusCode).toBe(403);
        const a = callers.get('admin') as Caller;
        for (const [field, value] of [
          ['escalateAfterDays', 0],
          ['unactionedAfterDays', 366],
          ['autoActionDueDays', 91],
          ['autoActionDueDays', 2.5],
          ['recoveryAfterDays', 0],
          ['recoveryAfterDays', 181],
          ['recoveryAfterDays', 1.5],
          ['autoActionOnDetractor', 'yes'],
        ] as const) {
          const res = await a.put('/api/v1/settings/loop', { ...valid, [field]: value });
          expect(res.statusCode, field).toBe(400);
          expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
        }
        const res = await a.put('/api/v1/settings/loop', valid);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual(valid);
        expect((await a.get('/api/v1/settings/loop')).json()).toEqual(valid);
        const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'settings.loop.update').execute();
        expect(audit).toEqual([{ action: 'settings.loop.update', actor_id: admin.id }]);
      });
    });
  });
}
