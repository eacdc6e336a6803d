import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildAction } from '../actions/testing.js';
import { updateClient } from '../clients/clients.js';
import { createContact } from '../clients/contacts.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { createProblem } from '../relationships/problems.js';
import { systemContext } from '../server/context.js';
import { takeHealthSnapshots } from './health-service.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);

interface Item {
  client: { id: string; name: string };
  score: number;
  band: string;
  annualFees: number | null;
  reasons: { kind: string; points: number; count: number; ids: string[] }[];
  warnings: { kind: string }[];
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: client health`, () => {
    let t: TestApp;
    const caller: Record<string, Caller> = {};
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const sys = systemContext(t.database.db, 'test');
      const lead = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      const admin = await buildUser(t, 'admin', { name: 'Ada Admin' });
      const ann = await buildUser(t, 'partner', { name: 'Ann Able' });
      const bob = await buildUser(t, 'partner', { name: 'Bob Brown' });
      const external = await buildUser(t, 'external');
      ids.annId = ann.id;

      const acme = await buildClientWithTeam(sys, { name: 'Acme', partnerIds: [ann.id], contacts: ['Gina GC', 'Carl CFO'] });
      ids.acme = acme.client.id;
      ids.gc = acme.contacts[0]?.id as string;
      ids.cfo = acme.contacts[1]?.id as string;
      ids.left = (await createContact(sys, ids.acme, { name: 'Kate Key', isDecisionMaker: true, leftOn: daysAgo(30) })).id;
      await updateClient(sys, ids.acme, { annualFees: 800_000 });
      await updateClient(sys, ids.acme, { annualFees: 500_000 });

      ids.beta = (await buildClientWithTeam(sys, { name: 'Beta', partnerIds: [ann.id, bob.id], contacts: ['Bea One', 'Ben Two'] })).client.id;
      await updateClient(sys, ids.beta, { annualFees: 2_000_000 });
      ids.gamma = (await buildClientWithTeam(sys, { name: 'Gamma', partnerIds: [bob.id] })).client.id;
      await updateClient(sys, ids.gamma, { annualFees: 100_000 });
      ids.walled = (await buildClientWithTeam(sys, { name: 'Walled', partnerIds: [bob.id], walled: true, wallMemberIds: [bob.id] })).client.id;
      ids.lost = (await buildClientWithTeam(sys, { name: 'Lost', status: 'lost', partnerIds: [ann.id] })).client.id;

      // Acme heard twice: 9 from the GC a quarter or more ago, then 5 from the CFO yesterday.
      vi.useFakeTimers({ toFake: ['Date'] });
      const heard = async (at: number, nps: number, contactId: string) => {
        const when = new Date(Date.now() - at * DAY);
        vi.setSystemTime(when);
        const s = await buildCompletedSession(sys, {
          clientId: ids.acme as string,
          interviewerId: lead.id,
          contactIds: [contactId],
          startsAt: new Date(when.getTime() - 3_600_000).toISOString(),
          scores: { nps },
        });
        vi.useRealTimers();
        vi.useFakeTimers({ toFake: ['Date'] });
        return s.id;
      };
      try {
        ids.s1 = await heard(120, 9, ids.gc);
        ids.s2 = await heard(1, 5, ids.cfo);
      } finally {
        vi.useRealTimers();
      }
      ids.concern = (await buildInsight(sys, { clientId: ids.acme, severity: 'high', contactId: ids.cfo, heardOn: daysAgo(10) })).id;
      ids.secret = (await buildInsight(sys, { clientId: ids.acme, severity: 'high', confidentiality: 'programme_only', heardOn: daysAgo(10) })).id;
      // A concern whose action is done no longer counts; one heard over a year ago neither.
      const settled = await buildInsight(sys, { clientId: ids.acme, severity: 'high', heardOn: daysAgo(10) });
      await buildAction(sys, { clientId: ids.acme, ownerId: ann.id, insightId: settled.id, after: { status: 'done', closureNote: 'Sorted' } });
      await buildInsight(sys, { clientId: ids.acme, severity: 'high', heardOn: daysAgo(400) });
      ids.overdue = (await buildAction(sys, { clientId: ids.acme, ownerId: ann.id, dueOn: daysAgo(3) })).id;
      await buildAction(sys, { clientId: ids.acme, ownerId: ann.id, dueOn: daysAgo(-3) });
      ids.problem = (await createProblem(sys, { clientId: ids.acme, title: 'Late bill', reportedOn: daysAgo(5) })).id;

      for (const [name, user] of Object.entries({ lead, admin, ann, bob, external })) {
        caller[name] = await signIn(t.app, user.email);
      }
    });

    afterAll(async () => {
      await t?.close();
    });

    const list = async (who: string, query = '') => {
      const res = await (caller[who] as Caller).get(`/api/v1/analytics/health${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Item[]; total: number; nextOffset: number | null; feesAtStake: { watch: number; atRisk: number } };
    };

    it('should score a known firm with its reasons, riskiest and biggest fees first (programme lead)', async () => {
      const body = await list('lead');
      // Walled is behind its wall; Lost is not active.
      expect(body.items.map((i) => [i.client.name, i.score, i.band])).toEqual([
        ['Acme', 4, 'at_risk'],
        ['Beta', 80, 'healthy'],
        ['Gamma', 80, 'healthy'],
      ]);
      const acme = body.items[0] as Item;
      // 2×15 high concerns + 25 detractor + 10 falling + 10 fees + 8 problem + 8 contact left + 5 overdue = 96.
      expect(acme.reasons.map((r) => [r.kind, r.points, r.count])).toEqual([
        ['concernHigh', 30, 2],
        ['npsDetractor', 25, 1],
        ['npsFalling', 10, 1],
        ['feesFalling', 10, 1],
        ['openProblem', 8, 1],
        ['contactLeft', 8, 1],
        ['overdueAction', 5, 1],
      ]);
      expect(acme.reasons.find((r) => r.kind === 'concernHigh')?.ids.sort()).toEqual([ids.concern, ids.secret].sort());
      expect(acme.reasons.find((r) => r.kind === 'overdueAction')?.ids).toEqual([ids.overdue]);
      expect(acme.reasons.find((r) => r.kind === 'contactLeft')?.ids).toEqual([ids.left]);
      expect(acme.reasons.find((r) => r.kind === 'npsFalling')?.ids).toEqual([ids.s1, ids.s2]);
      expect(acme.warnings.map((w) => w.kind)).toEqual(['one_partner']);
      // Beta: never listened to (10) and cadence red (10).
      expect((body.items[1] as Item).reasons.map((r) => r.kind)).toEqual(['checkInOverdue', 'notListened']);
      expect((body.items[1] as Item).warnings).toEqual([]);
      expect((body.items[2] as Item).warnings.map((w) => w.kind)).toEqual(['one_contact', 'one_partner']);
      expect(body.feesAtStake).toEqual({ watch: 0, atRisk: 500_000 });
    });

    it('should filter, band and page', async () => {
      expect((await list('lead', '?band=at_risk')).items.map((i) => i.client.name)).toEqual(['Acme']);
      expect((await list('lead', `?partner=${ids.annId}`)).items.map((i) => i.client.name)).toEqual(['Acme', 'Beta']);
      const page = await list('lead', '?limit=2&offset=1');
      expect(page.items.map((i) => i.client.name)).toEqual(['Beta', 'Gamma']);
      expect(page.nextOffset).toBeNull();
      expect((await list('lead', '?limit=1')).nextOffset).toBe(1);
      expect((await list('lead', '?segment=key_client')).items).toEqual([]);
      const walled = await (caller.lead as Caller).get(`/api/v1/analytics/health?clientId=${ids.walled}`);
      expect(walled.statusCode).toBe(400);
      expect((walled.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('clientId');
    });

    it('should count only what a partner may see, on their own clients', async () => {
      const ann = await list('ann');
      // The programme-only concern does not count for Ann: 96 − 15 = 81 → 19.
      expect(ann.items.map((i) => [i.client.name, i.score])).toEqual([
        ['Acme', 19],
        ['Beta', 80],
      ]);
      expect(JSON.stringify(ann)).not.toContain(ids.secret);
      const bob = await list('bob');
      expect(bob.items.map((i) => i.client.name)).toEqual(['Beta', 'Gamma', 'Walled']);
      expect((await (caller.ann as Caller).get(`/api/v1/analytics/health/clients/${ids.gamma}`)).statusCode).toBe(404);
      expect((await (caller.lead as Caller).get(`/api/v1/analytics/health/clients/${ids.walled}`)).statusCode).toBe(404);
      expect((await (caller.external as Caller).get('/api/v1/analytics/health')).statusCode).toBe(403);
      expect((await (caller.external as Caller).get(`/api/v1/analytics/health/clients/${ids.acme}`)).statusCode).toBe(403);
    });

    it('should keep admins out of every dashboard (they read no listening content) but let them read the weights', async () => {
      const dashboards = [
        '/api/v1/analytics/nps',
        '/api/v1/analytics/nps/sessions',
        '/api/v1/analytics/bias',
        '/api/v1/analytics/bias/clients',
        `/api/v1/analytics/participation?programmeId=${ids.acme}`,
        '/api/v1/analytics/loop',
        '/api/v1/analytics/retention',
        '/api/v1/analytics/health',
        `/api/v1/analytics/health/clients/${ids.acme}`,
      ];
      for (const url of dashboards) {
        const res = await (caller.admin as Caller).get(url);
        expect(res.statusCode, url).toBe(403);
        expect(res.headers['content-type'], url).toContain('application/problem+json');
      }
      const me = await (caller.admin as Caller).get('/api/v1/me');
      expect(me.json().abilities.readAnalytics).toBe(false);
      expect((await (caller.admin as Caller).get('/api/v1/settings/health')).statusCode).toBe(200);
    });

    it("should give each contact's health: the GC happy, the CFO not", async () => {
      const res = await (caller.lead as Caller).get(`/api/v1/analytics/health/clients/${ids.acme}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as Item & {
        contacts: { contact: { name: string }; score: number; band: string; lastHeardOn: string | null; reasons: { kind: string }[] }[];
      };
      expect(body.score).toBe(4);
      expect(body.contacts.map((c) => [c.contact.name, c.score, c.band, c.reasons.map((r) => r.kind)])).toEqual([
        ['Carl CFO', 60, 'watch', ['npsDetractor', 'concernHigh']],
        ['Gina GC', 100, 'healthy', []],
      ]);
      expect(body.contacts[0]?.lastHeardOn).toBe(daysAgo(1));
      expect(body.warnings.map((w) => w.kind)).toEqual(['one_partner']);
    });

    it('should let admins set weights, validated and audited, and follow them', async () => {
      expect((await (caller.ann as Caller).put('/api/v1/settings/health', { notListened: 30 })).statusCode).toBe(403);
      for (const [body, field] of [
        [{ notListened: -1 }, 'notListened'],
        [{ bogus: 1 }, ''],
        [
          Object.fromEntries(
            [
              'npsDetractor',
              'npsPassive',
              'npsFalling',
              'lowSatisfaction',
              'concernHigh',
              'concernMedium',
              'concernLow',
              'overdueAction',
              'checkInOverdue',
              'notListened',
              'openProblem',
              'contactLeft',
              'feesFalling',
            ].map((k) => [k, 0]),
          ),
          'npsDetractor',
        ],
      ] as const) {
        const res = await (caller.admin as Caller).put('/api/v1/settings/health', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        if (field) {
          expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
        }
      }
      const put = await (caller.admin as Caller).put('/api/v1/settings/health', { notListened: 30 });
      expect(put.statusCode, put.body).toBe(200);
      expect((put.json() as { weights: Record<string, number> }).weights.notListened).toBe(30);
      expect((await list('lead')).items.map((i) => [i.client.name, i.score, i.band])).toEqual([
        ['Acme', 4, 'at_risk'],
        ['Beta', 60, 'watch'],
        ['Gamma', 60, 'watch'],
      ]);
      const audit = await t.database.db.selectFrom('audit_log').select(['action', 'changes']).where('action', '=', 'settings.health.update').execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]?.changes as string)).toMatchObject({ notListened: [10, 30] });
      const back = await (caller.admin as Caller).put('/api/v1/settings/health', {});
      expect((back.json() as { weights: Record<string, number> }).weights.notListened).toBe(10);
      const got = await (caller.lead as Caller).get('/api/v1/settings/health');
      expect(got.statusCode).toBe(200);
      expect((got.json() as { weights: Record<string, number> }).weights.notListened).toBe(10);
    });

    it('should take daily snapshots once per day and show them as the trend', async () => {
      const first = await takeHealthSnapshots(t.database.db, today());
      expect(first).toEqual({ taken: 4, skipped: 0 });
      expect(await takeHealthSnapshots(t.database.db, today())).toEqual({ taken: 0, skipped: 4 });
      const rows = await t.database.db
        .selectFrom('health_snapshots')
        .select(['client_id', 'score'])
        .where('client_id', '=', ids.acme as string)
        .execute();
      // Snapshots leave programme-only insights out.
      expect(rows.map((r) => Number(r.score))).toEqual([19]);
      const lead = (await (caller.lead as Caller).get(`/api/v1/analytics/health/clients/${ids.acme}`)).json() as { trend: unknown[] };
      expect(lead.trend).toEqual([{ takenOn: today(), score: 19, band: 'at_risk' }]);
      const ann = (await (caller.ann as Caller).get(`/api/v1/analytics/health/clients/${ids.acme}`)).json() as { trend: unknown[] };
      expect(ann.trend).toEqual([]);
    });
  });
}
