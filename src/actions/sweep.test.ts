import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { loadActionsDemo } from '../cli/demo-actions.js';
import type { Insight } from '../insights/schemas.js';
import { buildInsight } from '../insights/testing.js';
import { putScores } from '../listening/capture.js';
import { createProgramme } from '../listening/programmes.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { getAction } from './actions.js';
import { raiseForHighConcern } from './auto.js';
import { putLoopSettings, readLoopSettings } from './settings.js';
import { escalateStaleActions } from './sweep.js';
import { buildAction } from './testing.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const asCtx = (t: TestApp, u: User): ServiceContext => ({ db: t.database.db, actor: { id: u.id, role: u.role, name: u.name, email: u.email } });

for (const dialect of DIALECTS) {
  describe(`the loop's jobs (${dialect})`, () => {
    let t: TestApp;
    let lead: User;
    let otherLead: User;
    let interviewer: User;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      otherLead = await buildUser(t, 'programme_lead', { name: 'Aaron Lead' });
      lead = await buildUser(t, 'programme_lead', { name: 'Zoe Lead' });
      interviewer = await buildUser(t, 'member');
    }, 60_000);
    afterAll(async () => t.close());

    const detractorActions = (sessionId: string) =>
      t.database.db.selectFrom('actions').selectAll().where('session_id', '=', sessionId).where('origin', '=', 'detractor').execute();

    describe('detractor follow-ups (putScores hook)', () => {
      it('raises one action for the first relationship partner by name, due in the configured days, once per session', async () => {
        const sys = systemContext(t.database.db);
        const bea = await buildUser(t, 'partner', { name: 'Bea Partner' });
        const adam = await buildUser(t, 'partner', { name: 'Adam Partner' });
        const { client } = await buildClientWithTeam(sys, { partnerIds: [bea.id, adam.id], contacts: ['Olive Okafor'] });
        const session = await buildCompletedSession(asCtx(t, lead), { clientId: client.id, interviewerId: interviewer.id, contactIds: [] });
        await putScores(asCtx(t, lead), session.id, { nps: 8 });
        expect(await detractorActions(session.id)).toHaveLength(0);
        await putScores(asCtx(t, lead), session.id, { nps: 3 });
        const [raised, ...more] = await detractorActions(session.id);
        expect(more).toHaveLength(0);
        expect(raised).toMatchObject({ owner_id: adam.id, status: 'open', client_id: client.id, created_by: null });
        expect(raised?.title).toBe(`Follow up: detractor score (NPS 3) from ${client.name}`);
        const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
        expect(raised?.due_on).toBe(due);
        // Re-saving the score, or another detractor score, raises nothing more.
        await putScores(asCtx(t, lead), session.id, { nps: 3 });
        await putScores(asCtx(t, lead), session.id, { nps: 2 });
        expect(await detractorActions(session.id)).toHaveLength(1);
        const audit = await t.database.db
          .selectFrom('audit_log')
          .select(['action', 'actor_label'])
          .where('entity_id', '=', raised?.id ?? '')
          .execute();
        expect(audit).toEqual([{ action: 'action.create', actor_label: 'loop' }]);
      });

      it('names the contact, and goes to the programme lead when the client has no partner', async () => {
        const sys = systemContext(t.database.db);
        const { client, contacts } = await buildClientWithTeam(sys, { contacts: ['Olive Okafor'] });
        const programme = await createProgramme(asCtx(t, lead), { name: 'FY26 listening', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'draft' });
        const session = await buildCompletedSession(asCtx(t, lead), {
          clientId: client.id,
          interviewerId: interviewer.id,
          contactIds: contacts.map((c) => c.id),
          programmeId: programme.id,
        });
        await putScores(asCtx(t, lead), session.id, { nps: 0 });
        const [raised] = await detractorActions(session.id);
        expect(raised).toMatchObject({ owner_id: lead.id, title: 'Follow up: detractor score (NPS 0) from Olive Okafor' });
      });

      it('raises nothing when the setting is off', async () => {
        const sys = systemContext(t.database.db);
        const admin = await buildUser(t, 'admin');
        const settings = await readLoopSettings(t.database.db);
        await putLoopSettings(asCtx(t, admin), { ...settings, autoActionOnDetractor: false });
        try {
          const p = await buildUser(t, 'partner');
          const { client } = await buildClientWithTeam(sys, { partnerIds: [p.id] });
          const session = await buildCompletedSession(asCtx(t, lead), { clientId: client.id, interviewerId: interviewer.id, scores: { nps: 1 } });
          expect(await detractorActions(session.id)).toHaveLength(0);
        } finally {
          await putLoopSettings(asCtx(t, admin), settings);
        }
      });
    });

    describe('high-severity concerns (raiseForHighConcern)', () => {
      it('raises one action per high concern, none for other insights', async () => {
        const sys = systemContext(t.database.db);
        const p = await buildUser(t, 'partner');
        const { client } = await buildClientWithTeam(sys, { partnerIds: [p.id] });
        const high = await buildInsight(sys, { clientId: client.id, type: 'concern', severity: 'high', summary: 'Partner unreachable during the deal' });
        const medium = await buildInsight(sys, { clientId: client.id, type: 'concern', severity: 'medium' });
        const risk = await buildInsight(sys, { clientId: client.id, type: 'risk', severity: 'high' });
        const asRow = (i: Insight) => ({
          id: i.id,
          client_id: i.client.id,
          type: i.type,
          severity: i.severity,
          summary: i.summary,
          session_id: i.session?.id ?? null,
        });
        // Recording the high concern through the service raised its follow-up already.
        const raised = await t.database.db
          .selectFrom('actions')
          .select(['id', 'insight_id'])
          .where('client_id', '=', client.id)
          .where('origin', '=', 'high_concern')
          .execute();
        expect(raised.map((a) => a.insight_id)).toEqual([high.id]);
        expect(await raiseForHighConcern(sys, asRow(high))).toEqual({ raised: false, reason: 'this concern already has a follow-up' });
        expect((await raiseForHighConcern(sys, asRow(medium))).raised).toBe(false);
        expect((await raiseForHighConcern(sys, asRow(risk))).raised).toBe(false);
        const result = { actionId: raised[0]?.id ?? '' };
        const action = await getAction(sys, result.actionId);
        expect(action).toMatchObject({ origin: 'high_concern', owner: { id: p.id }, insight: { id: high.id }, priority: 'high' });
        expect(action.title).toContain('Partner unreachable during the deal');
      });
    });

    describe('escalation sweep', () => {
      it('escalates stale open actions to the owner of the most recent active programme, once, audited as the system', async () => {
        const sys = systemContext(t.database.db);
        const p = await buildUser(t, 'partner');
        const { client } = await buildClientWithTeam(sys, { partnerIds: [p.id] });
        const stale = await buildAction(sys, { clientId: client.id, ownerId: p.id, title: 'Stale' });
        const staleInProgress = await buildAction(sys, { clientId: client.id, ownerId: p.id, title: 'Stale in progress', after: { status: 'in_progress' } });
        const fresh = await buildAction(sys, { clientId: client.id, ownerId: p.id, title: 'Fresh' });
        const closed = await buildAction(sys, { clientId: client.id, ownerId: p.id, title: 'Closed', after: { status: 'done' } });
        const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
        await t.database.db.updateTable('actions').set({ last_activity_at: old }).where('id', 'in', [stale.id, staleInProgress.id, closed.id]).execute();
        const programme = await createProgramme(asCtx(t, otherLead), { name: 'Most recent', startsOn: '2026-06-01', endsOn: '2027-05-31', status: 'active' });
        expect(programme.owner.id).toBe(otherLead.id);

        const first = await escalateStaleActions(t.database.db, new Date());
        const escalatedHere = first.escalated.filter((a) => a.clientId === client.id).map((a) => a.id);
        expect(escalatedHere.sort()).toEqual([stale.id, staleInProgress.id].sort());
        expect(first.escalatedTo).toBe(otherLead.id);
        expect(await getAction(sys, stale.id)).toMatchObject({ escalatedTo: { id: otherLead.id } });
        expect((await getAction(sys, fresh.id)).escalatedAt).toBeNull();
        expect((await getAction(sys, closed.id)).escalatedAt).toBeNull();

        const second = await escalateStaleActions(t.database.db, new Date());
        expect(second.escalated).toEqual([]);
        const audit = await t.database.db
          .selectFrom('audit_log')
          .select(['actor_id', 'actor_label'])
          .where('action', '=', 'action.escalate')
          .where('entity_id', '=', stale.id)
          .execute();
        expect(audit).toEqual([{ actor_id: null, actor_label: 'escalation' }]);
      });
    });

    describe('demo data', () => {
      it('loads actions in every state, with comments and one escalated', async () => {
        const sys = systemContext(t.database.db);
        const p = await buildUser(t, 'partner');
        const m = await buildUser(t, 'member');
        const a = (await buildClientWithTeam(sys, { partnerIds: [p.id], memberIds: [m.id] })).client.id;
        const b = (await buildClientWithTeam(sys, { partnerIds: [p.id] })).client.id;
        const users = new Map([p, m, lead].map((u) => [u.id, { id: u.id, role: u.role, name: u.name, email: u.email }]));
        const result = await loadActionsDemo(
          t.database.db,
          users,
          new Map([
            ['a', a],
            ['b', b],
          ]),
        );
        expect(result).toEqual({ actions: 8, escalated: 1 });
        const rows = await t.database.db.selectFrom('actions').select(['status', 'due_on', 'escalated_at']).where('client_id', 'in', [a, b]).execute();
        expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['open', 'in_progress', 'done', 'wont_do']));
        const today = new Date().toISOString().slice(0, 10);
        expect(rows.some((r) => (r.status === 'open' || r.status === 'in_progress') && r.due_on !== null && r.due_on < today)).toBe(true);
        expect(rows.filter((r) => r.escalated_at !== null)).toHaveLength(1);
      });
    });
  });
}
