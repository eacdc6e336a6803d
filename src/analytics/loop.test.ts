import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildAction } from '../actions/testing.js';
import { createTeam } from '../firm/teams.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { createProblem, updateProblem } from '../relationships/problems.js';
import { systemContext } from '../server/context.js';
import { drillIds, drillRecords } from './testing.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

interface Group {
  key: { id: string; name: string } | null;
  figures: Record<string, unknown>;
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

    /** The records behind a loop figure (GET /analytics/records), sorted ids. */
    const behind = (caller: Caller, metric: string, group?: string, extra: Record<string, string> = {}) =>
      drillIds(caller, { source: 'loop', metric, group, ...extra });

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
      expect(await behind(lead, 'overdue')).toEqual([ids.a3]);
      expect(await behind(lead, 'unactioned')).toEqual([ids.i1]);
      expect(await behind(lead, 'actions')).toEqual([ids.a1, ids.a2, ids.a3, ids.a4].sort());
      expect(await behind(lead, 'closed')).toEqual([ids.a1, ids.a2].sort());
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
      expect(await behind(lead, 'actions', ids.ann)).toEqual([ids.a1, ids.a2, ids.a3].sort());
      expect(await behind(lead, 'unactioned', ids.ann)).toEqual([ids.i1]);
      expect(await behind(lead, 'open', ids.bob)).toEqual([ids.a4]);
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
      const problems = (metric: string, group?: string) => drillIds(lead, { source: 'problems', metric, group });
      expect(await problems('reported')).toEqual([ids.p1, ids.p2, ids.p3].sort());
      expect(await problems('resolved')).toEqual([ids.p1, ids.p2].sort());
      expect(await problems('resolved', ids.bob)).toEqual([ids.p2]);
      // The unassigned problem is in the group without a key.
      expect(await problems('reported', 'none')).toEqual([ids.p3]);
    });

    it('should say what each record behind a figure is, and link to it', async () => {
      const [action] = await drillRecords(lead, { source: 'loop', metric: 'overdue' });
      expect(action).toEqual({
        kind: 'action',
        id: ids.a3,
        title: expect.any(String),
        client: { id: ids.cA, name: 'Acme' },
        detail: `open · Ann Able · due ${daysAgo(3)}`,
        href: `/actions?tab=all&action=${ids.a3}`,
      });
      const [insight] = await drillRecords(lead, { source: 'loop', metric: 'unactioned' });
      expect(insight).toMatchObject({ kind: 'insight', id: ids.i1, client: { id: ids.cA, name: 'Acme' }, href: `/clients/${ids.cA}/knowledge` });
      expect(insight?.detail).toContain(`heard ${daysAgo(30)}`);
      const [problem] = await drillRecords(lead, { source: 'problems', metric: 'reported', group: 'none' });
      expect(problem).toEqual({
        kind: 'problem',
        id: ids.p3,
        title: 'Slow replies',
        client: { id: ids.cB, name: 'Beta' },
        detail: `open · unassigned · reported ${daysAgo(2)}`,
        href: `/problems?problem=${ids.p3}`,
      });
    });

    it('should group by the owner’s team, with a null group for owners in no team', async () => {
      const body = (await lead.get('/api/v1/analytics/loop?groupBy=team')).json();
      expect((body.groups as Group[]).map((g) => [g.key?.name ?? null, g.figures.actions, g.figures.unactioned])).toEqual([
        ['Litigation', 3, 1],
        [null, 1, 0],
      ]);
      expect(await behind(lead, 'actions', ids.litigation, { groupBy: 'team' })).toEqual([ids.a1, ids.a2, ids.a3].sort());
      expect(await behind(lead, 'actions', 'none', { groupBy: 'team' })).toEqual([ids.a4]);
      // Ann is an owner, not a team: grouped by team, her id names no group.
      expect(await behind(lead, 'actions', ids.ann, { groupBy: 'team' })).toEqual([]);
    });

    it('should count only a partner’s own clients, walled ones included when they are on the wall', async () => {
      const body = (await bob.get('/api/v1/analytics/loop')).json();
      expect(body.totals).toMatchObject({ actions: 2, done: 1, closureRate: 0.5, unactioned: 1 });
      expect(await behind(bob, 'actions')).toEqual([ids.a4, ids.a5].sort());
      expect(await behind(bob, 'unactioned')).toEqual([ids.i3]);
      expect(body.problems.totals.reported).toBe(2);
      const annBody = (await ann.get('/api/v1/analytics/loop')).json();
      expect(annBody.totals).toMatchObject({ actions: 3, overdue: 1, unactioned: 1 });
      expect(annBody.problems.totals).toMatchObject({ reported: 1, resolved: 1 });
      // The same figure, read by the lead and by each partner: each lists what they count.
      const matrix: [Caller, (string | undefined)[]][] = [
        [lead, [ids.a1, ids.a2, ids.a3, ids.a4]],
        [ann, [ids.a1, ids.a2, ids.a3]],
        [bob, [ids.a4, ids.a5]],
        [member, []],
      ];
      for (const [caller, expected] of matrix) {
        const figure = (await caller.get('/api/v1/analytics/loop')).json().totals.actions;
        const listed = await behind(caller, 'actions');
        expect(listed).toEqual([...expected].sort());
        expect(listed).toHaveLength(figure);
      }
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
      expect(await behind(lead, 'actions', undefined, { partner: ids.bob as string })).toEqual([ids.a4]);
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
      const period = { from: daysAgo(1), to: daysAgo(-1) };
      expect(await behind(lead, 'unactioned', undefined, period)).toEqual([]);
      expect(await drillIds(lead, { source: 'problems', metric: 'reported', ...period })).toEqual([]);
    });

    it('should time closing to the millisecond, as the figures’ rules say (both dialects)', async () => {
      const db = t.database.db;
      const created = (
        await db
          .selectFrom('actions')
          .select('created_at')
          .where('id', '=', ids.a1 as string)
          .executeTakeFirstOrThrow()
      ).created_at;
      const after = (ms: number) => new Date(Date.parse(created) + ms).toISOString();
      // a1 (done) closed 2 days and 1 ms after creation, a2 (won't do) 6 hours after a2's creation.
      await db
        .updateTable('actions')
        .set({ closed_at: after(2 * 86_400_000 + 1) })
        .where('id', '=', ids.a1 as string)
        .execute();
      const created2 = (
        await db
          .selectFrom('actions')
          .select('created_at')
          .where('id', '=', ids.a2 as string)
          .executeTakeFirstOrThrow()
      ).created_at;
      await db
        .updateTable('actions')
        .set({ closed_at: new Date(Date.parse(created2) + 6 * 3_600_000).toISOString() })
        .where('id', '=', ids.a2 as string)
        .execute();
      const body = (await lead.get('/api/v1/analytics/loop?groupBy=owner')).json();
      // all: [0.25, 2.00000001] → median 1.125, p90 0.25 + 0.9 × 1.75 = 1.825 (1.83 rounded); done 2, won't do 0.25.
      expect(body.totals.timeToClose).toEqual({
        all: { count: 2, median: 1.13, p90: 1.83 },
        done: { count: 1, median: 2, p90: 2 },
        wontDo: { count: 1, median: 0.25, p90: 0.25 },
      });
      expect((body.groups as Group[])[0]?.figures.timeToClose).toEqual(body.totals.timeToClose);
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
