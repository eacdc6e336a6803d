import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildAction } from '../actions/testing.js';
import { createTeam } from '../firm/teams.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { createProblem, updateProblem } from '../relationships/problems.js';
import { systemContext } from '../server/context.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

interface Group {
  key: { id: string; name: string } | null;
  figures: Record<string, unknown> & { drill: Record<string, string[]> };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /api/v1/analytics/loop`, () => {
    let t: TestApp;
    let lead: Caller;
    let ann: Caller;
    let bob: Caller;
    let member: Caller;
    let external: Caller;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const ctx = systemContext(t.database.db, 'test');
      const l = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      const m = await buildUser(t, 'member', { name: 'Mo Member' });
      const x = await buildUser(t, 'external');
      lead = await signIn(t.app, l.email);
      ann = await signIn(t.app, a.email);
      bob = await signIn(t.app, b.email);
      member = await signIn(t.app, m.email);
      external = await signIn(t.app, x.email);
      ids.ann = a.id;
      ids.bob = b.id;
      ids.litigation = (await createTeam(ctx, { name: 'Litigation', kind: 'practice_group', memberIds: [a.id] })).id;
      ids.cA = (await buildClientWithTeam(ctx, { name: 'Acme', partnerIds: [a.id], contacts: [] })).client.id;
      ids.cB = (await buildClientWithTeam(ctx, { name: 'Beta', partnerIds: [b.id], contacts: [] })).client.id;
      ids.cW = (await buildClientWithTeam(ctx, { name: 'Walled', partnerIds: [b.id], walled: true, wallMemberIds: [b.id], contacts: [] })).client.id;

      ids.a1 = (await buildAction(ctx, { clientId: ids.cA, ownerId: a.id, after: { status: 'done', closureNote: 'Done' } })).id;
      ids.a2 = (await buildAction(ctx, { clientId: ids.cA, ownerId: a.id, after: { status: 'wont_do', wontDoReason: 'Out of scope' } })).id;
      ids.a3 = (await buildAction(ctx, { clientId: ids.cA, ownerId: a.id, dueOn: daysAgo(3) })).id;
      ids.a4 = (await buildAction(ctx, { clientId: ids.cB, ownerId: b.id })).id;
      ids.a5 = (await buildAction(ctx, { clientId: ids.cW, ownerId: b.id, after: { status: 'done' } })).id;

      ids.i1 = (await buildInsight(ctx, { clientId: ids.cA, heardOn: daysAgo(30) })).id;
      ids.i2 = (await buildInsight(ctx, { clientId: ids.cB, heardOn: daysAgo(3) })).id;
      ids.i3 = (await buildInsight(ctx, { clientId: ids.cW, heardOn: daysAgo(30) })).id;
      ids.i4 = (await buildInsight(ctx, { clientId: ids.cA, type: 'praise', heardOn: daysAgo(30) })).id;

      const p1 = await createProblem(ctx, { clientId: ids.cA, title: 'Late bill', reportedOn: daysAgo(10), ownerId: a.id });
      await updateProblem(ctx, p1.id, { status: 'resolved', resolution: 'Fixed', resolvedOn: daysAgo(4) });
      const p2 = await createProblem(ctx, { clientId: ids.cB, title: 'Wrong name', reportedOn: daysAgo(20), ownerId: b.id });
      await updateProblem(ctx, p2.id, { status: 'resolved', resolution: 'Fixed', resolvedOn: daysAgo(0) });
      ids.p3 = (await createProblem(ctx, { clientId: ids.cB, title: 'Slow replies', reportedOn: daysAgo(2) })).id;
      ids.p1 = p1.id;
      ids.p2 = p2.id;
    });

    afterAll(async () => {
      await t?.close();
    });

    it('should count closure, overdue and unactioned by owner, and problem resolution times (programme lead)', async () => {
      const res = await lead.get('/api/v1/analytics/loop?groupBy=owner');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.unactionedAfterDays).toBe(14);
      // The walled client's action a5 and concern i3 are not counted for the lead.
      expect(body.totals).toMatchObject({ actions: 4, done: 1, wontDo: 1, open: 2, closureRate: 0.5, overdue: 1, unactioned: 1 });
      expect(body.totals.drill.overdueActionIds).toEqual([ids.a3]);
      expect(body.totals.drill.unactionedInsightIds).toEqual([ids.i1]);
      expect(body.totals.timeToClose.all.count).toBe(2);
      expect(body.totals.timeToClose.done.count).toBe(1);
      expect(body.totals.timeToClose.wontDo.count).toBe(1);
      expect(body.totals.timeToClose.all.median).toBeGreaterThanOrEqual(0);
      expect(body.totals.timeToClose.all.median).toBeLessThanOrEqual(body.totals.timeToClose.all.p90);
      const groups = body.groups as Group[];
      expect(groups.map((g) => [g.key?.name, g.figures.actions, g.figures.closureRate, g.figures.overdue, g.figures.unactioned])).toEqual([
        ['Ann Able', 3, 2 / 3, 1, 1],
        ['Bob Brown', 1, 0, 0, 0],
      ]);
      expect([...(groups[0]?.figures.drill.actionIds ?? [])].sort()).toEqual([ids.a1, ids.a2, ids.a3].sort());
      expect(JSON.stringify(body)).not.toContain(ids.a5);
      expect(JSON.stringify(body)).not.toContain(ids.i3);
      // Problems: 6 and 20 days → median 13, p90 6 + 0.9 × 14 = 18.6.
      expect(body.problems.totals).toMatchObject({ reported: 3, resolved: 2, timeToResolution: { count: 2, median: 13, p90: 18.6 } });
      expect(
        body.problems.groups.map((g: Group) => [g.key?.name ?? null, g.figures.reported, (g.figures.timeToResolution as { median: number | null }).median]),
      ).toEqual([
        ['Ann Able', 1, 6],
        ['Bob Brown', 1, 20],
        [null, 1, null],
      ]);
    });

    it('should group by the owner’s team, with a null group for owners in no team', async () => {
      const body = (await lead.get('/api/v1/analytics/loop?groupBy=team')).json();
      expect((body.groups as Group[]).map((g) => [g.key?.name ?? null, g.figures.actions, g.figures.unactioned])).toEqual([
        ['Litigation', 3, 1],
        [null, 1, 0],
      ]);
    });

    it('should count only a partner’s own clients, walled ones included when they are on the wall', async () => {
      const body = (await bob.get('/api/v1/analytics/loop')).json();
      expect(body.totals).toMatchObject({ actions: 2, done: 1, closureRate: 0.5, unactioned: 1 });
      expect([...body.totals.drill.actionIds].sort()).toEqual([ids.a4, ids.a5].sort());
      expect(body.totals.drill.unactionedInsightIds).toEqual([ids.i3]);
      expect(body.problems.totals.reported).toBe(2);
      const annBody = (await ann.get('/api/v1/analytics/loop')).json();
      expect(annBody.totals).toMatchObject({ actions: 3, overdue: 1, unactioned: 1 });
      expect(annBody.problems.totals).toMatchObject({ reported: 1, resolved: 1 });
    });

    it('should give zeros and nulls, not errors, where there is nothing to count', async () => {
      const empty = (await lead.get('/api/v1/analytics/loop?from=2001-01-01&to=2001-12-31')).json();
      expect(empty.totals).toMatchObject({
        actions: 0,
        closureRate: null,
        overdue: 0,
        unactioned: 0,
        timeToClose: { all: { count: 0, median: null, p90: null } },
      });
      expect(empty.groups).toEqual([]);
      expect(empty.problems.totals).toMatchObject({ reported: 0, timeToResolution: { median: null, p90: null } });
      const none = (await member.get('/api/v1/analytics/loop')).json();
      expect(none.totals.actions).toBe(0);
    });

    it('should apply the shared client filters, and refuse a walled client naming the field', async () => {
      const body = (await lead.get(`/api/v1/analytics/loop?partner=${ids.bob}`)).json();
      expect(body.totals).toMatchObject({ actions: 1, unactioned: 0 });
      expect(body.problems.totals.reported).toBe(2);
      const walled = await lead.get(`/api/v1/analytics/loop?clientId=${ids.cW}`);
      expect(walled.statusCode).toBe(400);
      expect(walled.json().errors[0].field).toBe('clientId');
    });

    it('should apply the period to creation dates', async () => {
      const body = (await lead.get(`/api/v1/analytics/loop?from=${daysAgo(1)}&to=${daysAgo(-1)}`)).json();
      expect(body.totals.actions).toBe(4);
      // i1 was heard 30 days ago: outside the period.
      expect(body.totals.unactioned).toBe(0);
      expect(body.problems.totals.reported).toBe(0);
    });

    it('should refuse bad input naming the field, and externals', async () => {
      const reversed = await lead.get('/api/v1/analytics/loop?from=2026-05-01&to=2026-01-01');
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json().errors[0].field).toBe('from');
      const absurd = await lead.get('/api/v1/analytics/loop?from=1066-10-14');
      expect(absurd.statusCode).toBe(400);
      expect(absurd.json().errors[0].field).toBe('from');
      const badGroup = await lead.get('/api/v1/analytics/loop?groupBy=moon');
      expect(badGroup.statusCode).toBe(400);
      expect(JSON.stringify(badGroup.json().errors)).toContain('groupBy');
      expect((await external.get('/api/v1/analytics/loop')).statusCode).toBe(403);
    });
  });
}
