import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { updateClient } from '../clients/clients.js';
import type { ClientStatus } from '../db/schema.js';
import { actorOf } from '../firm/auth.js';
import { createTeam } from '../firm/teams.js';
import { updateUser } from '../firm/users.js';
import { createProgramme } from '../listening/programmes.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { GROUP_BYS } from './filters.js';
import { coversWholeQuarters, npsAnalytics, npsSessions } from './nps-service.js';
import type { BiasAnalytics, BiasClientPage, NpsAnalytics, NpsSessionPage } from './schemas.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const fieldsOf = (res: { json(): unknown }) => ((res.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);
const Q1_Q2 = 'from=2026-01-01&to=2026-06-30';

/**
 * A small known firm (all NPS by hand):
 * - C1 partner A (Corporate), key, Banking, 2m: Q1 answers 10 (10 Feb) then 6 (20 Mar) → counts 6; Q2 answer 9.
 * - C2 partner A, Banking, 300k: Q1 9 (satisfaction 8, responsiveness 4).
 * - C6 partner A, Energy, 700k: Q1 8.
 * - C3 partner B (Disputes), Retail: Q1 7.   C4 partner B, Retail, lapsed: Q1 3.
 * - C5 walled (partner B and the lead listed): Q1 0.
 * - C7 partner B, lost: never heard.   C8 partner B: heard in 2025-Q4 (NPS 2), not in 2026.
 */
for (const dialect of DIALECTS) {
  describe(`NPS and bias analytics (${dialect})`, () => {
    let t: TestApp;
    let lead: User;
    let mgmt: User;
    let partnerA: User;
    let partnerB: User;
    let member: User;
    let outsider: User;
    let external: User;
    let corporateId: string;
    let disputesId: string;
    let programmeId: string;
    const client: Record<string, string> = {};
    const caller: Record<string, Caller> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const sys = systemContext(t.database.db, 'test');
      lead = await buildUser(t, 'programme_lead');
      mgmt = await buildUser(t, 'management');
      partnerA = await buildUser(t, 'partner');
      partnerB = await buildUser(t, 'partner');
      member = await buildUser(t, 'member');
      outsider = await buildUser(t, 'partner');
      external = await buildUser(t, 'external');
      await updateUser(sys, partnerA.id, { office: 'London' });
      await updateUser(sys, partnerB.id, { office: 'Leeds' });
      corporateId = (await createTeam(sys, { name: 'Corporate', kind: 'practice_group', memberIds: [partnerA.id] })).id;
      disputesId = (await createTeam(sys, { name: 'Disputes', kind: 'practice_group', memberIds: [partnerB.id] })).id;

      const make = async (
        key: string,
        partner: User,
        opts: { industry?: string; fees?: number | null; status?: ClientStatus; key?: boolean; walled?: boolean; memberIds?: string[] },
      ) => {
        const { client: c } = await buildClientWithTeam(sys, {
          name: `Client ${key}`,
          partnerIds: [partner.id],
          memberIds: opts.memberIds ?? [],
          isKeyClient: opts.key ?? false,
          walled: opts.walled ?? false,
          wallMemberIds: opts.walled ? [partner.id, lead.id] : undefined,
        });
        await updateClient(sys, c.id, { industry: opts.industry ?? null, annualFees: opts.fees ?? null, ...(opts.status && { status: opts.status }) });
        client[key] = c.id;
      };
      await make('C1', partnerA, { industry: 'Banking', fees: 2_000_000, key: true, memberIds: [member.id] });
      await make('C2', partnerA, { industry: 'Banking', fees: 300_000 });
      await make('C6', partnerA, { industry: 'Energy', fees: 700_000 });
      await make('C3', partnerB, { industry: 'Retail' });
      await make('C4', partnerB, { industry: 'Retail', status: 'lapsed' });
      await make('C5', partnerB, { industry: 'Retail', walled: true });
      await make('C7', partnerB, { industry: 'Retail', status: 'lost' });
      await make('C8', partnerB, { industry: 'Retail' });

      const leadCtx = { db: t.database.db, actor: { id: lead.id, role: 'programme_lead' as const, name: lead.name, email: lead.email } };
      programmeId = (
        await createProgramme(leadCtx, { name: 'Listening 2026', startsOn: '2026-01-01', endsOn: '2026-06-30', status: 'active', targetAtRiskShare: 0.6 })
      ).id;
      // Completion times come from the clock: hold it at each answer's date while the session completes.
      vi.useFakeTimers({ toFake: ['Date'] });
      const heard = async (
        key: string,
        at: string,
        nps: number | null,
        { inProgramme = false, ...extra }: { satisfaction?: number; dimensions?: Record<string, number>; inProgramme?: boolean } = {},
      ) => {
        vi.setSystemTime(new Date(at));
        await buildCompletedSession(sys, {
          clientId: client[key] as string,
          interviewerId: lead.id,
          startsAt: new Date(Date.parse(at) - 3_600_000).toISOString(),
          scores: { nps, ...extra },
          ...(inProgramme && { programmeId }),
        });
      };
      try {
        await heard('C1', '2026-02-10T10:00:00.000Z', 10, { satisfaction: 9 });
        await heard('C1', '2026-03-20T10:00:00.000Z', 6, { satisfaction: 5 });
        await heard('C1', '2026-05-05T10:00:00.000Z', 9);
        await heard('C2', '2026-02-15T10:00:00.000Z', 9, { satisfaction: 8, dimensions: { responsiveness: 4 } });
        await heard('C6', '2026-02-25T10:00:00.000Z', 8);
        await heard('C3', '2026-03-01T10:00:00.000Z', 7, { inProgramme: true });
        await heard('C4', '2026-01-20T10:00:00.000Z', 3, { inProgramme: true });
        await heard('C5', '2026-02-20T10:00:00.000Z', 0);
        await heard('C8', '2025-10-01T10:00:00.000Z', 2);
      } finally {
        vi.useRealTimers();
      }
      for (const [name, user] of Object.entries({ lead, mgmt, partnerA, partnerB, member, outsider, external })) {
        caller[name] = await signIn(t.app, user.email);
      }
    });

    afterAll(async () => {
      await t?.close();
    });

    const nps = async (who: string, query = '') => {
      const res = await (caller[who] as Caller).get(`/api/v1/analytics/nps?${Q1_Q2}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as NpsAnalytics;
    };

    it('should compute the firm-wide NPS by hand, counting each client once per quarter with its latest answer', async () => {
      const r = await nps('mgmt', '&groupBy=quarter');
      expect(r.state).toBe('ok');
      // Q1: C1 6 (not 10: the later answer of the quarter), C2 9, C6 8, C3 7, C4 3; Q2: C1 9. C5 is walled from management.
      expect(r.overall).toMatchObject({ clients: 5, sessions: 6, n: 6, promoters: 2, passives: 2, detractors: 2, nps: 0, margin: 65.3, reason: null });
      expect(r.overall.warning).toMatch(/too few to read/);
      expect(r.trend.map((p) => [p.quarter, p.figures.n, p.figures.nps])).toEqual([
        ['2026-Q1', 5, -20],
        ['2026-Q2', 1, 100],
      ]);
      expect(r.groups.map((g) => [g.key, g.figures.n, g.figures.nps])).toEqual([
        ['2026-Q1', 5, -20],
        ['2026-Q2', 1, 100],
      ]);
      // Satisfaction: C1's latest Q1 answer (5) and C2's 8.
      expect(r.overall.satisfaction).toEqual({ n: 2, mean: 6.5 });
      expect(r.overall.dimensions.find((d) => d.key === 'responsiveness')).toMatchObject({ n: 1, mean: 4 });
    });

    it('should count a walled client only for readers listed on its wall', async () => {
      const r = await nps('lead');
      // Adds C5's 0 to Q1: n 7, P 2, passives 2, D 3 → −14.3.
      expect(r.overall).toMatchObject({ n: 7, detractors: 3, nps: -14.3 });
    });

    it('should group by practice, partner, office, industry, segment and fee band', async () => {
      const byPractice = await nps('mgmt', '&groupBy=practice');
      expect(byPractice.groups.map((g) => [g.key, g.label, g.figures.n, g.figures.nps])).toEqual([
        [corporateId, 'Corporate', 4, 25],
        [disputesId, 'Disputes', 2, -50],
      ]);
      const byOffice = await nps('mgmt', '&groupBy=office');
      expect(byOffice.groups.map((g) => [g.key, g.figures.n])).toEqual([
        ['Leeds', 2],
        ['London', 4],
      ]);
      const byPartner = await nps('mgmt', '&groupBy=partner');
      expect(Object.fromEntries(byPartner.groups.map((g) => [g.key, g.figures.nps]))).toEqual({ [partnerA.id]: 25, [partnerB.id]: -50 });
      const byIndustry = await nps('mgmt', '&groupBy=industry');
      expect(byIndustry.groups.map((g) => [g.key, g.figures.n, g.figures.nps])).toEqual([
        ['Banking', 3, 33.3],
        ['Energy', 1, 0],
        ['Retail', 2, -50],
      ]);
      const bySegment = await nps('mgmt', '&groupBy=segment');
      expect(bySegment.groups.map((g) => [g.key, g.figures.n])).toEqual([
        ['key_client', 2],
        ['other', 4],
      ]);
      const byBand = await nps('mgmt', '&groupBy=feeBand');
      expect(Object.fromEntries(byBand.groups.map((g) => [g.key, g.figures.n]))).toEqual({ '1m_to_5m': 2, '100k_to_500k': 1, '500k_to_1m': 1, unknown: 2 });
    });

    it('should filter by partner, practice, office, industry, segment, fee band, client and period', async () => {
      expect((await nps('mgmt', `&partner=${partnerB.id}`)).overall).toMatchObject({ n: 2, nps: -50 });
      expect((await nps('mgmt', `&practice=${corporateId}`)).overall).toMatchObject({ n: 4, nps: 25 });
      expect((await nps('mgmt', '&office=London')).overall).toMatchObject({ n: 4 });
      expect((await nps('mgmt', '&industry=Banking')).overall).toMatchObject({ n: 3, nps: 33.3 });
      expect((await nps('mgmt', '&segment=key_client')).overall).toMatchObject({ n: 2, nps: 0 });
      expect((await nps('mgmt', '&feeBand=500k_to_1m')).overall).toMatchObject({ n: 1, passives: 1 });
      expect((await nps('mgmt', `&clientId=${client.C1}`)).overall).toMatchObject({ n: 2, sessions: 2 });
      const q2 = await (caller.mgmt as Caller).get('/api/v1/analytics/nps?from=2026-04-01&to=2026-06-30');
      expect((q2.json() as NpsAnalytics).overall).toMatchObject({ n: 1, nps: 100 });
      // No period: C8's 2025 answer counts too.
      const all = await (caller.mgmt as Caller).get('/api/v1/analytics/nps');
      expect((all.json() as NpsAnalytics).overall).toMatchObject({ n: 7, detractors: 3 });
    });

    it('should refuse bad filters naming the field, without revealing walled clients', async () => {
      const get = (q: string) => (caller.mgmt as Caller).get(`/api/v1/analytics/nps?${q}`);
      const reversed = await get('from=2026-06-01&to=2026-01-01');
      expect(reversed.statusCode).toBe(400);
      expect(fieldsOf(reversed)).toEqual(['from']);
      expect(fieldsOf(await get('from=1900-01-01'))).toEqual(['from']);
      expect(fieldsOf(await get('from=2026-13-45'))).toEqual(['from']);
      expect(fieldsOf(await get('practice=019a0000-0000-7000-8000-00000000dead'))).toEqual(['practice']);
      expect(fieldsOf(await get(`partner=${external.id}`))).toEqual(['partner']);
      expect(fieldsOf(await get('office=Atlantis'))).toEqual(['office']);
      expect(fieldsOf(await get('industry=Shipping'))).toEqual(['industry']);
      expect(fieldsOf(await get('groupBy=colour'))).toEqual(['groupBy']);
      const walled = await get(`clientId=${client.C5}`);
      const missing = await get('clientId=019a0000-0000-7000-8000-00000000dead');
      expect(walled.statusCode).toBe(400);
      expect(fieldsOf(walled)).toEqual(['clientId']);
      expect((walled.json() as { detail: string }).detail).toBe((missing.json() as { detail: string }).detail);
      // The lead is listed on the wall: the same filter works for them.
      expect((await (caller.lead as Caller).get(`/api/v1/analytics/nps?clientId=${client.C5}`)).statusCode).toBe(200);
    });

    it("should count only a partner's own clients, and suppress groups of fewer than three clients for them", async () => {
      const r = await nps('partnerA', '&groupBy=quarter');
      // C1 (6, then 9 in Q2), C2 9, C6 8 → n 4, P 2, passives 1, D 1 → 25.
      expect(r.overall).toMatchObject({ clients: 3, n: 4, nps: 25, reason: null });
      const q1 = r.groups.find((g) => g.key === '2026-Q1');
      const q2 = r.groups.find((g) => g.key === '2026-Q2');
      expect(q1?.figures).toMatchObject({ n: 3, nps: 0 });
      expect(q2?.figures).toMatchObject({ n: null, nps: null, margin: null, reason: 'suppressed' });
      expect(r.trend.find((p) => p.quarter === '2026-Q2')?.figures.reason).toBe('suppressed');
      // A member on one client's team: one client, suppressed.
      const m = await nps('member');
      expect(m.overall).toMatchObject({ n: null, nps: null, reason: 'suppressed' });
      // Firm-wide readers see small groups: management's Q2 (one client) is shown.
      expect((await nps('mgmt', '&groupBy=quarter')).groups.find((g) => g.key === '2026-Q2')?.figures.reason).toBeNull();
    });

    it('should answer an empty state, not an error, for a partner with no clients', async () => {
      const r = await nps('outsider', '&groupBy=practice');
      expect(r.state).toBe('no_answers');
      expect(r.overall).toMatchObject({ n: 0, nps: null, margin: null, reason: 'no_answers', warning: 'No answers yet.' });
      expect(r.groups).toEqual([]);
      expect(r.trend).toEqual([]);
    });

    it('should refuse external users', async () => {
      expect((await (caller.external as Caller).get('/api/v1/analytics/nps')).statusCode).toBe(403);
      expect((await (caller.external as Caller).get('/api/v1/analytics/nps/sessions')).statusCode).toBe(403);
      expect((await (caller.external as Caller).get('/api/v1/analytics/bias')).statusCode).toBe(403);
      expect((await (caller.external as Caller).get('/api/v1/analytics/bias/clients')).statusCode).toBe(403);
    });

    it('should drill down to the sessions behind a group, paginated, leaving out superseded answers', async () => {
      const url = `/api/v1/analytics/nps/sessions?${Q1_Q2}&groupBy=practice&group=${corporateId}&limit=3`;
      const first = (await (caller.mgmt as Caller).get(url)).json() as NpsSessionPage;
      expect(first.items.map((s) => [s.client.id, s.completedAt.slice(0, 10), s.nps])).toEqual([
        [client.C1, '2026-05-05', 9],
        [client.C1, '2026-03-20', 6],
        [client.C6, '2026-02-25', 8],
      ]);
      expect(first.nextCursor).not.toBeNull();
      const second = (await (caller.mgmt as Caller).get(`${url}&cursor=${first.nextCursor}`)).json() as NpsSessionPage;
      expect(second.items.map((s) => [s.client.id, s.nps, s.countsFor])).toEqual([[client.C2, 9, ['nps', 'satisfaction', 'responsiveness']]]);
      expect(second.nextCursor).toBeNull();
      // A group too small for a partner lists nothing.
      const small = (await (caller.partnerA as Caller).get(`/api/v1/analytics/nps/sessions?${Q1_Q2}&groupBy=quarter&group=2026-Q2`)).json() as NpsSessionPage;
      expect(small).toEqual({ items: [], nextCursor: null, suppressed: true });
      const lonely = await (caller.mgmt as Caller).get('/api/v1/analytics/nps/sessions?group=x');
      expect(fieldsOf(lonely)).toEqual(['groupBy']);
    });

    it('should measure who was heard against the portfolio and flag a positively biased sample', async () => {
      const res = await (caller.mgmt as Caller).get(`/api/v1/analytics/bias?${Q1_Q2}`);
      expect(res.statusCode, res.body).toBe(200);
      const b = res.json() as BiasAnalytics;
      // Portfolio: C1 C2 C3 C4 C6 C7 C8 (C5 walled); heard in the period: C1 C2 C3 C4 C6.
      expect(b).toMatchObject({ state: 'ok', portfolio: 7, heard: 5, coverage: 0.7143 });
      // At risk: C4 (lapsed), C7 (lost), C8 (latest NPS 2) → 3/7 of the portfolio; heard: C4 → 1/5.
      expect(b.atRisk).toMatchObject({ portfolio: 3, portfolioShare: 0.4286, heard: 1, heardShare: 0.2, target: null, meetsTarget: null });
      expect(b.unhappy).toMatchObject({ portfolio: 2, heard: 1 });
      expect(b.lost).toMatchObject({ portfolio: 1, heard: 0 });
      expect(b.lapsed).toMatchObject({ portfolio: 1, heard: 1 });
      // Mean latest NPS: heard (9+9+7+3+8)/5 = 7.2; portfolio adds C8's 2 → 38/6 = 6.33.
      expect(b.meanLatestNps).toEqual({ heard: 7.2, heardKnown: 5, portfolio: 6.33, portfolioKnown: 6 });
      expect(b.flag.biased).toBe(true);
      expect(b.flag.reasons).toEqual([expect.stringContaining('42.9% of the portfolio but only 20% of the clients heard')]);
      expect(b.breakdowns.status.map((r) => [r.key, r.portfolio, r.heard])).toEqual([
        ['active', 5, 4],
        ['lapsed', 1, 1],
        ['lost', 1, 0],
      ]);
      expect(b.breakdowns.satisfaction.map((r) => [r.key, r.portfolio, r.heard])).toEqual([
        ['promoter', 2, 2],
        ['passive', 2, 2],
        ['detractor', 2, 1],
        ['unknown', 1, 0],
      ]);
      expect(b.breakdowns.practice.find((r) => r.key === disputesId)).toMatchObject({ portfolio: 4, heard: 2, coverage: 0.5 });
      const heard = (await (caller.mgmt as Caller).get(`/api/v1/analytics/bias/clients?${Q1_Q2}&heard=true&limit=50`)).json() as BiasClientPage;
      expect(new Set(heard.items.map((c) => c.id))).toEqual(new Set([client.C1, client.C2, client.C3, client.C4, client.C6]));
    });

    it('should drill down to the clients behind a bias figure', async () => {
      const get = async (q: string) => {
        const res = await (caller.mgmt as Caller).get(`/api/v1/analytics/bias/clients?${Q1_Q2}${q}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as BiasClientPage;
      };
      const unheardAtRisk = await get('&heard=false&atRisk=true');
      expect(unheardAtRisk.items.map((c) => [c.name, c.status, c.satisfaction, c.latestNps])).toEqual([
        ['Client C7', 'lost', 'unknown', null],
        ['Client C8', 'active', 'detractor', 2],
      ]);
      const detractors = await get('&breakdown=satisfaction&key=detractor&limit=1');
      expect(detractors.items.map((c) => c.id)).toEqual([client.C4]);
      const next = await get(`&breakdown=satisfaction&key=detractor&limit=1&cursor=${detractors.nextCursor}`);
      expect(next.items.map((c) => c.id)).toEqual([client.C8]);
      expect(next.nextCursor).toBeNull();
      const lonely = await (caller.mgmt as Caller).get('/api/v1/analytics/bias/clients?key=lost');
      expect(fieldsOf(lonely)).toEqual(['breakdown']);
      // A partner drills into their own clients only.
      const own = (await (caller.partnerA as Caller).get('/api/v1/analytics/bias/clients')).json() as BiasClientPage;
      expect(new Set(own.items.map((c) => c.id))).toEqual(new Set([client.C1, client.C2, client.C6]));
    });

    it("should measure a programme's sample against its at-risk target, over its dates", async () => {
      const res = await (caller.mgmt as Caller).get(`/api/v1/analytics/bias?programmeId=${programmeId}`);
      expect(res.statusCode, res.body).toBe(200);
      const b = res.json() as BiasAnalytics;
      // Heard in the programme: C3 and C4 (lapsed) → 1/2 at risk, below the 60% target.
      expect(b).toMatchObject({ period: { from: '2026-01-01', to: '2026-06-30' }, programme: { id: programmeId }, portfolio: 7, heard: 2 });
      expect(b.atRisk).toMatchObject({ heard: 1, heardShare: 0.5, target: 0.6, meetsTarget: false });
      expect(b.flag).toEqual({ biased: true, reasons: [expect.stringContaining("50% of the clients heard, below the programme's target of 60%")] });
    });

    it("should measure bias over a partner's own clients only, and refuse an unknown programme", async () => {
      const b = (await (caller.partnerA as Caller).get(`/api/v1/analytics/bias?${Q1_Q2}`)).json() as BiasAnalytics;
      expect(b).toMatchObject({ portfolio: 3, heard: 3, flag: { biased: false, reasons: [] } });
      const bad = await (caller.mgmt as Caller).get('/api/v1/analytics/bias?programmeId=019a0000-0000-7000-8000-00000000dead');
      expect(bad.statusCode).toBe(400);
      expect(fieldsOf(bad)).toEqual(['programmeId']);
    });

    it('should give firm-wide readers the same figures from the cache as computed live, and follow writes', async () => {
      const db = t.database.db;
      const ctxOf = (u: User) => ({ db, actor: actorOf(u) });
      const periods = [{}, { from: '2026-01-01', to: '2026-06-30' }, { from: '2025-10-01' }, { to: '2026-03-31' }];
      const check = async () => {
        for (const user of [lead, mgmt]) {
          for (const period of periods) {
            for (const groupBy of [undefined, ...GROUP_BYS]) {
              const q = { ...period, ...(groupBy && { groupBy }) };
              expect(await npsAnalytics(ctxOf(user), q), JSON.stringify(q)).toEqual(await npsAnalytics(ctxOf(user), q, 'live'));
            }
            const drill = { ...period, groupBy: 'industry' as const, group: 'Banking', limit: 2 };
            const first = await npsSessions(ctxOf(user), drill);
            expect(first).toEqual(await npsSessions(ctxOf(user), drill, 'live'));
            if (first.nextCursor) {
              const next = { ...drill, cursor: first.nextCursor };
              expect(await npsSessions(ctxOf(user), next)).toEqual(await npsSessions(ctxOf(user), next, 'live'));
            }
          }
          // Filters apply to the cache as they do live (practice, partner, office, fees, one client).
          for (const q of [
            { practice: corporateId },
            { partner: partnerB.id },
            { office: 'Leeds' },
            { feeBand: '500k_to_1m' as const },
            { clientId: client.C1 },
          ]) {
            expect(await npsAnalytics(ctxOf(user), { ...q, groupBy: 'quarter' })).toEqual(
              await npsAnalytics(ctxOf(user), { ...q, groupBy: 'quarter' }, 'live'),
            );
          }
        }
      };
      await check();
      // A period that cuts a quarter is computed live, whatever the reader: C1's 10 (10 Feb) counts
      // when the period stops before its 6 (20 Mar).
      const cut = await npsAnalytics(ctxOf(mgmt), { from: '2026-01-01', to: '2026-03-01', clientId: client.C1 });
      expect(cut.overall).toMatchObject({ n: 1, promoters: 1 });

      // Writes reach the cache before the next read: a new answer, and a client whose status changes.
      const sys = systemContext(db, 'test');
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(new Date('2026-06-01T10:00:00.000Z'));
        await buildCompletedSession(sys, { clientId: client.C2 as string, interviewerId: lead.id, scores: { nps: 1, dimensions: { responsiveness: 2 } } });
      } finally {
        vi.useRealTimers();
      }
      await updateClient(sys, client.C6 as string, { industry: 'Banking' });
      const after = await npsAnalytics(ctxOf(mgmt), { from: '2026-04-01', to: '2026-06-30', groupBy: 'industry' });
      expect(after.groups.find((g) => g.key === 'Banking')?.figures).toMatchObject({ n: 2, detractors: 1, promoters: 1 });
      await check();
      expect(coversWholeQuarters({ from: '2026-04-01', to: '2026-06-30' })).toBe(true);
      expect(coversWholeQuarters({ from: '2026-04-02', to: null })).toBe(false);
      expect(coversWholeQuarters({ from: null, to: '2026-06-29' })).toBe(false);
    });
  });

  describe(`NPS and bias analytics on an empty firm (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('should answer zeros and nulls with a "no answers yet" state', async () => {
      const user = await buildUser(t, 'management');
      const c = await signIn(t.app, user.email);
      const n = (await c.get('/api/v1/analytics/nps?groupBy=practice')).json() as NpsAnalytics;
      expect(n).toMatchObject({ state: 'no_answers', groups: [], trend: [], overall: { n: 0, nps: null, satisfaction: { n: 0, mean: null } } });
      const b = (await c.get('/api/v1/analytics/bias')).json() as BiasAnalytics;
      expect(b).toMatchObject({ state: 'empty_portfolio', portfolio: 0, heard: 0, coverage: null, flag: { biased: false } });
    });
  });
}
