import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { updateAction } from '../actions/actions.js';
import { addDays, todayUtc } from '../actions/loop.js';
import type { ActionView } from '../actions/schemas.js';
import { putLoopSettings, readLoopSettings } from '../actions/settings.js';
import { buildAction } from '../actions/testing.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { POLICY, type Scope, scopeSatisfied } from '../http/access.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { type Actor, type ServiceContext, systemContext } from '../server/context.js';
import { createCheckIn } from './check-ins.js';
import { listRecoveryChecks, onActionStatusChange } from './recovery-checks.js';

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
  const scope = (POLICY.recovery_check.read as Partial<Record<Role, Scope>>)[p.role];
  const visible = kind !== 'walled, not listed' && p.role !== 'external';
  const read = visible && scope !== undefined && scopeSatisfied(scope, p.teamRole);
  return { list: scope === undefined ? 403 : 200, listed: read, detail: read ? 200 : 404 };
}

interface CheckRow {
  id: string;
  status: string;
  owner_id: string | null;
  due_on: string;
  fixed: unknown;
  answer: string | null;
  check_in_id: string | null;
}

for (const dialect of DIALECTS) {
  describe(`recovery checks (${dialect})`, () => {
    let t: TestApp;
    const users = new Map<string, User>();
    const callers = new Map<string, Caller>();
    let sys: ServiceContext;
    const user = (label: string) => users.get(label) as User;
    const caller = (label: string) => callers.get(label) as Caller;
    let team: { partnerIds: string[]; memberIds: string[] };

    const checksOf = async (insightId: string): Promise<CheckRow[]> =>
      t.database.db
        .selectFrom('recovery_checks')
        .select(['id', 'status', 'owner_id', 'due_on', 'fixed', 'answer', 'check_in_id'])
        .where('insight_id', '=', insightId)
        .orderBy('id')
        .execute();

    /** A client with the standard team, a concern, and `n` open actions on it owned by the relationship partner. */
    async function concernWithActions(n: number, opts: { type?: 'concern' | 'risk'; clientId?: string; ownerId?: string } = {}) {
      const clientId = opts.clientId ?? (await buildClientWithTeam(sys, team)).client.id;
      const insight = await buildInsight(sys, { clientId, type: opts.type ?? 'concern', summary: 'Bills arrive with no breakdown' });
      const actions = [];
      for (let i = 0; i < n; i += 1) {
        actions.push(await buildAction(sys, { clientId, ownerId: opts.ownerId ?? user('relationship partner').id, insightId: insight.id }));
      }
      return { clientId, insight, actions };
    }

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

    describe('scheduling', () => {
      it('should schedule one check when the last action on a concern closes, not while another is open', async () => {
        const { insight, actions } = await concernWithActions(2);
        const [first, second] = actions as [ActionView, ActionView];
        const lead = asCtx(t, user('programme lead'));
        await updateAction(lead, first.id, { status: 'done', closureNote: 'Sent a breakdown' });
        expect(await checksOf(insight.id)).toEqual([]);

        const before = todayUtc(new Date());
        await updateAction(lead, second.id, { status: 'wont_do', wontDoReason: 'Covered by the first' });
        const after = todayUtc(new Date());
        const checks = await checksOf(insight.id);
        expect(checks).toHaveLength(1);
        const check = checks[0] as CheckRow;
        expect(check).toMatchObject({ status: 'scheduled', owner_id: user('relationship partner').id, check_in_id: null, answer: null });
        expect([addDays(before, 14), addDays(after, 14)]).toContain(check.due_on);

        const notes = await t.database.db
          .selectFrom('notifications')
          .select(['user_id', 'kind', 'entity_id'])
          .where('kind', '=', 'recovery.scheduled')
          .where('entity_id', '=', check.id)
          .execute();
        expect(notes).toEqual([{ user_id: user('relationship partner').id, kind: 'recovery.scheduled', entity_id: check.id }]);
        const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_id', '=', check.id).execute();
        expect(audit).toEqual([{ action: 'recovery_check.schedule', actor_id: user('programme lead').id }]);
      });

      it('should follow loop.recovery_after_days, and fall back to the closer when the client has no relationship partner', async () => {
        const admin = asCtx(t, user('admin'));
        const settings = await readLoopSettings(t.database.db);
        await putLoopSettings(admin, { ...settings, recoveryAfterDays: 3 });
        try {
          const clientId = (await buildClientWithTeam(sys, { memberIds: [user('member on the team').id] })).client.id;
          const insight = await buildInsight(sys, { clientId, type: 'concern' });
          const closer = user('member on the team');
          const action = await buildAction(sys, { clientId, ownerId: closer.id, insightId: insight.id });
          const before = todayUtc(new Date());
          await updateAction(asCtx(t, closer), action.id, { status: 'done' });
          const after = todayUtc(new Date());
          const [check] = await checksOf(insight.id);
          expect(check?.owner_id).toBe(closer.id);
          expect([addDays(before, 3), addDays(after, 3)]).toContain(check?.due_on);
          // The closer is the owner: nobody is notified of their own doing.
          const notes = await t.database.db
            .selectFrom('notifications')
            .select('id')
            .where('entity_id', '=', check?.id ?? '')
            .execute();
          expect(notes).toEqual([]);
        } finally {
          await putLoopSettings(admin, settings);
        }
      });

      it('should cancel the waiting check when an action is reopened, and schedule a fresh one on the next close', async () => {
        const { insight, actions } = await concernWithActions(1);
        const action = actions[0] as { id: string };
        await updateAction(sys, action.id, { status: 'done' });
        await updateAction(sys, action.id, { status: 'open' });
        expect((await checksOf(insight.id)).map((c) => c.status)).toEqual(['cancelled']);
        await updateAction(sys, action.id, { status: 'in_progress' });
        expect((await checksOf(insight.id)).map((c) => c.status)).toEqual(['cancelled']);
        await updateAction(sys, action.id, { status: 'done' });
        expect((await checksOf(insight.id)).map((c) => c.status)).toEqual(['cancelled', 'scheduled']);
        const audit = await t.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('entity', '=', 'recovery_check')
          .where(
            'entity_id',
            'in',
            (await checksOf(insight.id)).map((c) => c.id),
          )
          .orderBy('id')
          .execute();
        expect(audit.map((a) => a.action)).toEqual(['recovery_check.schedule', 'recovery_check.cancel', 'recovery_check.schedule']);
      });

      it('should be idempotent: editing a closed action or repeating the close never adds a second check', async () => {
        const { insight, actions } = await concernWithActions(2);
        const [first, second] = actions as [ActionView, ActionView];
        await updateAction(sys, first.id, { status: 'done' });
        await updateAction(sys, second.id, { status: 'done' });
        await updateAction(sys, second.id, { closureNote: 'Explained on the phone' });
        const outcome = await t.database.db
          .transaction()
          .execute((trx) => onActionStatusChange({ ...sys, db: trx }, { id: second.id, insight_id: insight.id, client_id: second.client.id }, 'open', 'done'));
        expect(outcome).toBe('unchanged');
        expect((await checksOf(insight.id)).map((c) => c.status)).toEqual(['scheduled']);
      });

      it('should not schedule for a risk, nor for an action with no insight', async () => {
        const { insight, actions, clientId } = await concernWithActions(1, { type: 'risk' });
        await updateAction(sys, (actions[0] as { id: string }).id, { status: 'done' });
        expect(await checksOf(insight.id)).toEqual([]);
        const loose = await buildAction(sys, { clientId, ownerId: user('relationship partner').id });
        await updateAction(sys, loose.id, { status: 'done' });
        const all = await t.database.db.selectFrom('recovery_checks').select('id').where('client_id', '=', clientId).execute();
        expect(all).toEqual([]);
      });
    });

    describe('answering through a check-in', () => {
      it('should mark the check done with the answer, and show it with the concern', async () => {
        const { clientId, insight, actions } = await concernWithActions(1);
        await updateAction(sys, (actions[0] as { id: string }).id, { status: 'done' });
        const [check] = await checksOf(insight.id);
        const me = caller('member on the team');
        const res = await me.post('/api/v1/check-ins', {
          clientId,
          heldOn: daysAgo(1),
          channel: 'call',
          recoveryForInsightId: insight.id,
          recoveryFixed: true,
          recoveryAnswer: 'Bills are clear now',
        });
        expect(res.statusCode, res.body).toBe(201);
        const checkIn = res.json() as { id: string; recovery: unknown };
        expect(checkIn.recovery).toEqual({ insightId: insight.id, fixed: true });
        const [done] = await checksOf(insight.id);
        expect({ ...done, fixed: done?.fixed === null ? null : Boolean(done?.fixed) }).toMatchObject({
          id: check?.id,
          status: 'done',
          fixed: true,
          answer: 'Bills are clear now',
          check_in_id: checkIn.id,
        });
        const shown = (await me.get(`/api/v1/insights/${insight.id}`)).json() as { recovery: unknown };
        expect(shown.recovery).toEqual({
          id: check?.id,
          status: 'done',
          dueOn: check?.due_on,
          fixed: true,
          answer: 'Bills are clear now',
          answeredOn: daysAgo(1),
          checkInId: checkIn.id,
        });
        const detail = (await me.get(`/api/v1/recovery-checks/${check?.id}`)).json() as Record<string, unknown>;
        expect(detail).toMatchObject({ status: 'done', fixed: true, checkIn: { id: checkIn.id, heldOn: daysAgo(1) }, abilities: { answer: false } });
        const audit = await t.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('entity_id', '=', check?.id ?? '')
          .orderBy('id')
          .execute();
        expect(audit.map((a) => a.action)).toEqual(['recovery_check.schedule', 'recovery_check.answer']);

        // Answered already: nothing waits for a second answer.
        const again = await me.post('/api/v1/check-ins', {
          clientId,
          heldOn: daysAgo(0),
          channel: 'call',
          recoveryForInsightId: insight.id,
          recoveryFixed: false,
        });
        expect(again.statusCode).toBe(400);
        expect(again.json()).toMatchObject({ errors: [{ field: 'recoveryForInsightId' }] });
      });

      it('should refuse an answer without its parts, or for a concern with nothing waiting, writing nothing', async () => {
        const { clientId, insight } = await concernWithActions(1);
        const me = caller('relationship partner');
        const base = { clientId, heldOn: daysAgo(0), channel: 'call' };
        for (const [body, field] of [
          [{ ...base, recoveryForInsightId: insight.id }, 'recoveryFixed'],
          [{ ...base, recoveryFixed: true }, 'recoveryForInsightId'],
          [{ ...base, recoveryForInsightId: insight.id, recoveryFixed: 'yes' }, 'recoveryFixed'],
          [{ ...base, recoveryForInsightId: insight.id, recoveryFixed: true }, 'recoveryForInsightId'],
        ] as const) {
          const res = await me.post('/api/v1/check-ins', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
        }
        const logged = await t.database.db.selectFrom('check_ins').select('id').where('client_id', '=', clientId).execute();
        expect(logged).toEqual([]);
      });

      it('should offer a follow-up when it is not fixed: the action is born from the concern, so closing it asks again', async () => {
        const { clientId, insight, actions } = await concernWithActions(1);
        await updateAction(sys, (actions[0] as { id: string }).id, { status: 'done' });
        const partner = user('relationship partner');
        const checkIn = await createCheckIn(asCtx(t, partner), {
          clientId,
          heldOn: daysAgo(0),
          channel: 'meeting',
          recoveryForInsightId: insight.id,
          recoveryFixed: false,
          recoveryAnswer: 'Still no breakdown on the last bill',
        });
        const res = await caller('relationship partner').post(`/api/v1/check-ins/${checkIn.id}/action`, {
          title: 'Send the breakdown again',
          ownerId: partner.id,
        });
        expect(res.statusCode, res.body).toBe(201);
        const action = res.json() as { id: string; origin: string; insight: { id: string } | null };
        expect(action).toMatchObject({ origin: 'insight', insight: { id: insight.id } });
        await updateAction(asCtx(t, partner), action.id, { status: 'done' });
        const checks = await checksOf(insight.id);
        expect(checks.map((c) => [c.status, c.fixed === null ? null : Boolean(c.fixed)])).toEqual([
          ['done', false],
          ['scheduled', null],
        ]);
        const shown = (await caller('relationship partner').get(`/api/v1/insights/${insight.id}`)).json() as { recovery: { status: string } };
        expect(shown.recovery.status).toBe('scheduled');
      });
    });

    describe('GET /api/v1/recovery-checks', () => {
      const fixtures = new Map<Kind, { checkId: string; clientId: string }>();
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
          const ownerId = kind === 'walled, not listed' ? stranger.id : user('relationship partner').id;
          const { insight, actions } = await concernWithActions(1, { clientId: c.client.id, ownerId });
          await updateAction(sys, (actions[0] as { id: string }).id, { status: 'done' });
          const [check] = await checksOf(insight.id);
          fixtures.set(kind, { checkId: check?.id ?? '', clientId: c.client.id });
        }
      }, 60_000);

      it('should need a signed-in caller', async () => {
        expect((await anonymous(t.app).get('/api/v1/recovery-checks')).statusCode).toBe(401);
      });

      for (const p of PERSONAS) {
        it(`${p.label}: lists and reads per POLICY.recovery_check and the walls`, async () => {
          const me = caller(p.label);
          const got: Record<string, unknown> = {};
          const want: Record<string, unknown> = {};
          for (const kind of KINDS) {
            const { checkId, clientId } = fixtures.get(kind) as { checkId: string; clientId: string };
            const e = expected(p, kind);
            const list = await me.get(`/api/v1/recovery-checks?clientId=${clientId}&total=true`);
            want[`${kind} list`] = e.list;
            got[`${kind} list`] = list.statusCode;
            const body = list.json() as { items?: { id: string }[]; total?: number };
            want[`${kind} listed`] = e.listed;
            got[`${kind} listed`] = (body.items ?? []).some((c) => c.id === checkId);
            if (e.list === 200) {
              want[`${kind} total`] = e.listed ? 1 : 0;
              got[`${kind} total`] = body.total;
            }
            want[`${kind} detail`] = e.detail;
            got[`${kind} detail`] = (await me.get(`/api/v1/recovery-checks/${checkId}`)).statusCode;
          }
          expect(got).toEqual(want);
        });
      }

      it('should hide a check on a concern its reader may not see (programme only)', async () => {
        const clientId = (await buildClientWithTeam(sys, team)).client.id;
        const lead = asCtx(t, user('programme lead'));
        const secret = await buildInsight(lead, { clientId, type: 'concern', confidentiality: 'programme_only', summary: 'SECRET concern' });
        const action = await buildAction(lead, { clientId, ownerId: user('programme lead').id, insightId: secret.id });
        await updateAction(lead, action.id, { status: 'done' });
        const [check] = await checksOf(secret.id);
        const partnerView = await caller('relationship partner').get(`/api/v1/recovery-checks?clientId=${clientId}`);
        expect(partnerView.body).not.toContain('SECRET');
        expect((partnerView.json() as { items: unknown[] }).items).toEqual([]);
        expect((await caller('relationship partner').get(`/api/v1/recovery-checks/${check?.id}`)).statusCode).toBe(404);
        const leadView = (await caller('programme lead').get(`/api/v1/recovery-checks?clientId=${clientId}`)).json() as { items: { id: string }[] };
        expect(leadView.items.map((i) => i.id)).toEqual([check?.id]);
      });

      it('should filter by due, overdue and mine, and page by cursor', async () => {
        const clientId = (await buildClientWithTeam(sys, team)).client.id;
        for (let i = 0; i < 3; i += 1) {
          const { actions } = await concernWithActions(1, { clientId });
          await updateAction(sys, (actions[0] as { id: string }).id, { status: 'done' });
        }
        const partner = asCtx(t, user('relationship partner'));
        const now = new Date();
        const later = new Date(now.getTime() + 30 * 86_400_000);
        expect((await listRecoveryChecks(partner, { clientId, limit: 50, due: true }, now)).items).toEqual([]);
        expect((await listRecoveryChecks(partner, { clientId, limit: 50, due: true }, later)).items).toHaveLength(3);
        const overdue = await listRecoveryChecks(partner, { clientId, limit: 50, overdue: true }, later);
        expect(overdue.items.map((i) => i.overdue)).toEqual([true, true, true]);
        expect((await listRecoveryChecks(partner, { clientId, limit: 50, mine: true })).items).toHaveLength(3);
        expect((await listRecoveryChecks(asCtx(t, user('member on the team')), { clientId, limit: 50, mine: true })).items).toEqual([]);

        const me = caller('relationship partner');
        const first = (await me.get(`/api/v1/recovery-checks?clientId=${clientId}&limit=2`)).json() as { items: { id: string }[]; nextCursor: string };
        expect(first.items).toHaveLength(2);
        const second = (await me.get(`/api/v1/recovery-checks?clientId=${clientId}&limit=2&cursor=${first.nextCursor}`)).json() as {
          items: { id: string }[];
          nextCursor: string | null;
        };
        expect(second.items).toHaveLength(1);
        expect(second.nextCursor).toBeNull();
        expect(new Set([...first.items, ...second.items].map((i) => i.id)).size).toBe(3);
        const bad = await me.get('/api/v1/recovery-checks?cursor=nonsense');
        expect(bad.statusCode).toBe(400);
        expect((await me.get('/api/v1/recovery-checks?status=maybe')).statusCode).toBe(400);
      });
    });
  });
}
