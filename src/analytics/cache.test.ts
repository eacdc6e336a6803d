import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { updateAction } from '../actions/actions.js';
import { buildAction } from '../actions/testing.js';
import { deleteClient, updateClient } from '../clients/clients.js';
import { actorOf } from '../firm/auth.js';
import { updateUser } from '../firm/users.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { createProblem } from '../relationships/problems.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { clearDirtyMarks, readDirtyMarks, resetAnalyticsCache } from './cache.js';
import type { HealthListQuery } from './health-schemas.js';
import { healthList } from './health-service.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);
const Q: HealthListQuery = { limit: 200, offset: 0 };

/**
 * The analytics cache gives firm-wide readers exactly the figures a live computation gives
 * them, stays exact after every kind of write (the triggers mark the client), and rebuilds
 * after a restore or a change of weights.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: analytics cache (client health)`, () => {
    let t: TestApp;
    let sys: ServiceContext;
    const ctx: Record<string, ServiceContext> = {};
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const db = t.database.db;
      sys = systemContext(db, 'test');
      const lead = await buildUser(t, 'programme_lead');
      const manager = await buildUser(t, 'management');
      const ann = await buildUser(t, 'partner');
      const bob = await buildUser(t, 'partner');
      for (const [name, user] of Object.entries({ lead, manager, ann, bob })) {
        ctx[name] = { db, actor: actorOf(user) };
        ids[name] = user.id;
      }
      ids.acme = (await buildClientWithTeam(sys, { name: 'Acme', partnerIds: [ann.id], contacts: ['Gina GC'] })).client.id;
      ids.beta = (await buildClientWithTeam(sys, { name: 'Beta', partnerIds: [ann.id, bob.id], contacts: ['Bea One', 'Ben Two'] })).client.id;
      ids.walled = (await buildClientWithTeam(sys, { name: 'Walled', partnerIds: [bob.id], walled: true, wallMemberIds: [bob.id, manager.id] })).client.id;
      ids.gamma = (await buildClientWithTeam(sys, { name: 'Gamma', partnerIds: [bob.id] })).client.id;
      await updateClient(sys, ids.beta, { annualFees: 2_000_000 });
      await buildCompletedSession(sys, { clientId: ids.acme, interviewerId: lead.id, scores: { nps: 4, satisfaction: 5 } });
      await buildInsight(sys, { clientId: ids.acme, severity: 'high', heardOn: daysAgo(5) });
      // Only programme leads (and whoever recorded it) count this one.
      await buildInsight(sys, { clientId: ids.beta, severity: 'high', confidentiality: 'programme_only', heardOn: daysAgo(5) });
      await buildAction(sys, { clientId: ids.walled, ownerId: bob.id, dueOn: daysAgo(4) });
    });

    afterAll(async () => {
      await t?.close();
    });

    const scores = (list: Awaited<ReturnType<typeof healthList>>) => list.items.map((i) => [i.client.name, i.score, i.band, i.reasons.map((r) => r.kind)]);

    /** The cached list (the default for firm-wide readers) equals the live one, item for item. */
    const expectCacheExact = async (who: string, query: HealthListQuery = Q) => {
      const c = ctx[who] as ServiceContext;
      const cached = await healthList(c, query, today());
      const live = await healthList(c, query, today(), 'live');
      expect(cached).toEqual(live);
      return cached;
    };

    it('should give firm-wide readers the live figures, each in their own view', async () => {
      const lead = await expectCacheExact('lead');
      const manager = await expectCacheExact('manager');
      // The lead counts the programme-only concern on Beta; management does not, but sees the
      // walled client it is listed on.
      expect(scores(lead).map(([name]) => name)).toEqual(['Acme', 'Beta', 'Gamma']);
      expect(scores(manager).map(([name]) => name)).toEqual(['Acme', 'Walled', 'Beta', 'Gamma']);
      const beta = (list: typeof lead) => list.items.find((i) => i.client.name === 'Beta');
      expect(beta(lead)?.reasons.map((r) => r.kind)).toContain('concernHigh');
      expect(beta(manager)?.reasons.map((r) => r.kind) ?? []).not.toContain('concernHigh');
      await expectCacheExact('manager', { ...Q, band: 'at_risk' });
      await expectCacheExact('lead', { ...Q, partner: ids.bob as string, limit: 1, offset: 1 });
      expect((await readDirtyMarks(t.database.db)).length).toBe(0);
    });

    it('should follow every kind of write before the next read', async () => {
      const before = await expectCacheExact('manager');
      const acme = () => before.items.find((i) => i.client.name === 'Acme');
      expect(acme()?.reasons.map((r) => r.kind)).toContain('concernHigh');

      // A new overdue action, a problem, a better answer, fees falling, a client leaving the list.
      const action = await buildAction(sys, { clientId: ids.gamma as string, ownerId: ids.bob as string, dueOn: daysAgo(2) });
      await createProblem(sys, { clientId: ids.acme as string, title: 'Late bill', reportedOn: daysAgo(1) });
      await updateClient(sys, ids.beta as string, { annualFees: 1_000_000 });
      let after = await expectCacheExact('manager');
      const gamma = after.items.find((i) => i.client.name === 'Gamma');
      expect(gamma?.reasons.find((r) => r.kind === 'overdueAction')?.ids).toEqual([action.id]);
      expect(after.items.find((i) => i.client.name === 'Acme')?.reasons.map((r) => r.kind)).toContain('openProblem');
      expect(after.items.find((i) => i.client.name === 'Beta')?.reasons.map((r) => r.kind)).toContain('feesFalling');

      await updateAction(sys, action.id, { status: 'done', closureNote: 'Sent' });
      await updateClient(sys, ids.gamma as string, { status: 'lapsed' });
      await buildCompletedSession(sys, { clientId: ids.beta as string, interviewerId: ids.lead as string, scores: { nps: 2 } });
      after = await expectCacheExact('manager');
      expect(after.items.map((i) => i.client.name)).not.toContain('Gamma');
      expect(after.items.find((i) => i.client.name === 'Beta')?.reasons.map((r) => r.kind)).toContain('npsDetractor');
      await expectCacheExact('lead');

      await deleteClient(sys, ids.gamma as string, true);
      await expectCacheExact('lead');
      await expectCacheExact('manager');
    });

    it('should keep a mark that a write renewed while a refresh was computing', async () => {
      const db = t.database.db;
      await updateClient(sys, ids.acme as string, { annualFees: 10 });
      const seen = await readDirtyMarks(db);
      expect(seen.map((m) => m.clientId)).toEqual([ids.acme]);
      await updateClient(sys, ids.acme as string, { annualFees: 20 }); // marked again, version + 1
      await clearDirtyMarks(db, seen);
      expect((await readDirtyMarks(db)).map((m) => m.clientId)).toEqual([ids.acme]);
      await expectCacheExact('manager');
    });

    it('should mark a client on changes its figures read, not on other updates (an escalation)', async () => {
      const db = t.database.db;
      await expectCacheExact('manager'); // clears the marks
      const action = await buildAction(sys, { clientId: ids.beta as string, ownerId: ids.bob as string, dueOn: daysAgo(-10) });
      await expectCacheExact('manager');
      await db
        .updateTable('actions')
        .set({ escalated_at: new Date().toISOString(), escalated_to: ids.lead as string })
        .where('id', '=', action.id)
        .execute();
      await db
        .updateTable('clients')
        .set({ name: 'Beta Renamed' })
        .where('id', '=', ids.beta as string)
        .execute();
      expect(await readDirtyMarks(db)).toEqual([]);
      await db
        .updateTable('actions')
        .set({ due_on: daysAgo(1) })
        .where('id', '=', action.id)
        .execute();
      expect((await readDirtyMarks(db)).map((m) => m.clientId)).toEqual([ids.beta]);
      const after = await expectCacheExact('manager');
      expect(after.items.find((i) => i.client.id === ids.beta)?.reasons.find((r) => r.kind === 'overdueAction')?.ids).toContain(action.id);
    });

    it('should rebuild whole after a reset (as a restore does) and count a reader’s own programme-only insight live', async () => {
      await resetAnalyticsCache(t.database.db);
      await t.database.db.deleteFrom('health_current').execute();
      await expectCacheExact('lead');
      // Ann records a programme-only concern, then becomes management: she still reads her own
      // concern, which the shared view leaves out, so her list must be computed live.
      const secret = await buildInsight(ctx.ann as ServiceContext, {
        clientId: ids.acme as string,
        severity: 'high',
        confidentiality: 'programme_only',
        heardOn: daysAgo(1),
      });
      await updateUser(sys, ids.ann as string, { role: 'management' });
      const annNow: ServiceContext = { ...(ctx.ann as ServiceContext), actor: { ...(ctx.ann as ServiceContext).actor, role: 'management' } };
      const list = await healthList(annNow, Q, today());
      expect(list).toEqual(await healthList(annNow, Q, today(), 'live'));
      expect(list.items.find((i) => i.client.name === 'Acme')?.reasons.find((r) => r.kind === 'concernHigh')?.ids).toContain(secret.id);
    });
  });
}
