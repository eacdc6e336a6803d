import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildAction } from '../actions/testing.js';
import { updateClient } from '../clients/clients.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { createReferral } from '../relationships/referrals.js';
import { systemContext } from '../server/context.js';
import { drillIds, drillRecords } from './testing.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const thisYear = new Date().getUTCFullYear();

for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /api/v1/analytics/retention`, () => {
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
      const l = await buildUser(t, 'programme_lead');
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      lead = await signIn(t.app, l.email);
      ann = await signIn(t.app, a.email);
      bob = await signIn(t.app, b.email);
      member = await signIn(t.app, (await buildUser(t, 'member')).email);
      external = await signIn(t.app, (await buildUser(t, 'external')).email);
      ids.cA = (await buildClientWithTeam(ctx, { name: 'Acme', partnerIds: [a.id], contacts: [] })).client.id;
      ids.cL = (await buildClientWithTeam(ctx, { name: 'Lostco', partnerIds: [a.id], contacts: [] })).client.id;
      ids.cW = (await buildClientWithTeam(ctx, { name: 'Walled', partnerIds: [b.id], walled: true, wallMemberIds: [b.id], contacts: [] })).client.id;

      ids.heard1 = (await buildInsight(ctx, { clientId: ids.cL, summary: 'Fees too high', heardOn: daysAgo(10) })).id;
      ids.heard2 = (await buildInsight(ctx, { clientId: ids.cL, type: 'risk', summary: 'Talking to a rival', heardOn: daysAgo(5) })).id;
      ids.secret = (
        await buildInsight(systemContext(t.database.db, 'test'), {
          clientId: ids.cL,
          summary: 'Programme only remark',
          confidentiality: 'programme_only',
          heardOn: daysAgo(4),
        })
      ).id;
      await updateClient(ctx, ids.cL, { status: 'lost' });
      await updateClient(ctx, ids.cW, { status: 'lost' });

      ids.rWon = (await createReferral(ctx, { referrerClientId: ids.cA, prospectName: 'Newco', referredOn: daysAgo(20), outcome: 'won' })).id;
      ids.rPending = (await createReferral(ctx, { referrerClientId: ids.cA, prospectName: 'Maybe Ltd', referredOn: daysAgo(2), outcome: 'pending' })).id;
      ids.rOld = (await createReferral(ctx, { referrerClientId: ids.cA, prospectName: 'Old Ltd', referredOn: '2001-05-05', outcome: 'lost' })).id;
      ids.rHidden = (await createReferral(ctx, { referrerClientId: ids.cW, prospectName: 'Hidden', referredOn: daysAgo(2), outcome: 'won' })).id;

      const opportunity = async (clientId: string) =>
        (await buildInsight(ctx, { clientId, type: 'opportunity', summary: 'More work', heardOn: daysAgo(8) })).id;
      ids.oDone = await opportunity(ids.cA);
      ids.oOpen = await opportunity(ids.cA);
      ids.oWont = await opportunity(ids.cA);
      ids.oNone = await opportunity(ids.cA);
      ids.oWalled = await opportunity(ids.cW);
      await buildAction(ctx, { clientId: ids.cA, ownerId: a.id, insightId: ids.oDone, after: { status: 'done' } });
      await buildAction(ctx, { clientId: ids.cA, ownerId: a.id, insightId: ids.oDone, after: { status: 'wont_do', wontDoReason: 'Covered' } });
      await buildAction(ctx, { clientId: ids.cA, ownerId: a.id, insightId: ids.oOpen });
      await buildAction(ctx, { clientId: ids.cA, ownerId: a.id, insightId: ids.oWont, after: { status: 'wont_do', wontDoReason: 'No' } });
      await buildAction(ctx, { clientId: ids.cW, ownerId: b.id, insightId: ids.oWalled, after: { status: 'done' } });
    });

    /** The records behind a retention figure (GET /analytics/records), sorted ids. */
    const behind = (caller: Caller, metric: string, extra: Record<string, string | number> = {}) => drillIds(caller, { source: 'retention', metric, ...extra });

    afterAll(async () => {
      await t?.close();
    });

    it('should list lost clients with what was heard before, referrals and opportunities (programme lead)', async () => {
      const res = await lead.get('/api/v1/analytics/retention');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.period).toEqual({ from: `${thisYear - 4}-01-01`, to: daysAgo(0) });
      expect(body.rule).toContain('audit log');
      // Every client was created this year: none was active on 1 January, so no rate to speak of.
      expect(body.years.map((y: { year: number }) => y.year)).toEqual([thisYear - 4, thisYear - 3, thisYear - 2, thisYear - 1, thisYear]);
      expect(body.years.every((y: { activeAtStart: number; retentionRate: number | null }) => y.activeAtStart === 0 && y.retentionRate === null)).toBe(true);
      // The walled lost client is not listed for the lead.
      expect(body.lost).toHaveLength(1);
      expect(body.lost[0].client).toEqual({ id: ids.cL, name: 'Lostco', status: 'lost' });
      expect(body.lost[0].lostOn.slice(0, 10)).toBe(daysAgo(0));
      // Latest first; the programme-only remark is shown to the programme lead.
      expect(body.lost[0].heard.map((h: { id: string }) => h.id)).toEqual([ids.secret, ids.heard2, ids.heard1]);
      expect(body.referrals).toMatchObject({ total: 2, won: 1, pending: 1, lost: 0, noFit: 0 });
      expect(body.opportunities).toMatchObject({ total: 4, done: 1, open: 1, wontDo: 1, noAction: 1 });
      expect(await behind(lead, 'opportunitiesDone')).toEqual([ids.oDone]);
      expect(await behind(lead, 'opportunitiesOpen')).toEqual([ids.oOpen]);
      expect(await behind(lead, 'opportunitiesWontDo')).toEqual([ids.oWont]);
      expect(await behind(lead, 'opportunitiesNoAction')).toEqual([ids.oNone]);
      expect(await behind(lead, 'opportunities')).toEqual([ids.oDone, ids.oOpen, ids.oWont, ids.oNone].sort());
      expect(await behind(lead, 'referrals')).toEqual([ids.rWon, ids.rPending].sort());
      expect(await behind(lead, 'referralsWon')).toEqual([ids.rWon]);
      expect(await behind(lead, 'referralsNoFit')).toEqual([]);
      expect(await behind(lead, 'lost', { year: thisYear })).toEqual([]);
      const [referral] = await drillRecords(lead, { source: 'retention', metric: 'referralsWon' });
      expect(referral).toEqual({
        kind: 'referral',
        id: ids.rWon,
        title: 'Acme → Newco',
        client: { id: ids.cA, name: 'Acme' },
        detail: `won · referred ${daysAgo(20)}`,
        href: `/clients/${ids.cA}/referrals`,
      });
      expect(JSON.stringify(body)).not.toContain(ids.cW);
      expect(JSON.stringify(body)).not.toContain(ids.oWalled);
    });

    it('should respect confidentiality and team scope for partners', async () => {
      const annBody = (await ann.get('/api/v1/analytics/retention')).json();
      expect(annBody.lost[0].heard.map((h: { id: string }) => h.id)).toEqual([ids.heard2, ids.heard1]);
      expect(annBody.referrals.total).toBe(2);
      const bobBody = (await bob.get('/api/v1/analytics/retention')).json();
      expect(bobBody.lost.map((l: { client: { id: string } }) => l.client.id)).toEqual([ids.cW]);
      expect(bobBody.referrals).toMatchObject({ total: 1, won: 1 });
      expect(bobBody.opportunities).toMatchObject({ total: 1, done: 1 });
      // The same figures, read by each: each lists exactly what they count.
      expect(await behind(bob, 'referrals')).toEqual([ids.rHidden]);
      expect(await behind(bob, 'opportunitiesDone')).toEqual([ids.oWalled]);
      expect(await behind(ann, 'referrals')).toEqual([ids.rWon, ids.rPending].sort());
      expect(await behind(member, 'referrals')).toEqual([]);
      const none = (await member.get('/api/v1/analytics/retention')).json();
      expect(none).toMatchObject({ lost: [], referrals: { total: 0 }, opportunities: { total: 0 } });
    });

    it('should apply the shared client filters', async () => {
      const body = (await lead.get(`/api/v1/analytics/retention?clientId=${ids.cA}`)).json();
      expect(body.lost).toEqual([]);
      expect(body.referrals.total).toBe(2);
      expect(body.opportunities.total).toBe(4);
    });

    it('should apply the period to referrals and opportunities', async () => {
      const old = (await lead.get('/api/v1/analytics/retention?from=2001-01-01&to=2001-12-31')).json();
      expect(old.years).toEqual([
        {
          year: 2001,
          activeAtStart: 0,
          retained: 0,
          lost: 0,
          lapsed: 0,
          retentionRate: null,
        },
      ]);
      expect(old.referrals).toMatchObject({ total: 1, lost: 1 });
      expect(await behind(lead, 'referralsLost', { from: '2001-01-01', to: '2001-12-31' })).toEqual([ids.rOld]);
      expect(old.opportunities.total).toBe(0);
      expect(old.lost).toEqual([]);
    });

    it('should refuse reversed or absurd dates naming the field, and externals', async () => {
      const reversed = await lead.get('/api/v1/analytics/retention?from=2026-05-01&to=2026-01-01');
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json().errors[0].field).toBe('from');
      const badDate = await lead.get('/api/v1/analytics/retention?to=2026-13-45');
      expect(badDate.statusCode).toBe(400);
      expect(JSON.stringify(badDate.json().errors)).toContain('to');
      expect((await external.get('/api/v1/analytics/retention')).statusCode).toBe(403);
      const noYear = await lead.get('/api/v1/analytics/records?source=retention&metric=retained');
      expect(noYear.statusCode).toBe(400);
      expect(noYear.json().errors[0].field).toBe('year');
      const reversedDrill = await lead.get('/api/v1/analytics/records?source=retention&metric=referrals&from=2026-05-01&to=2026-01-01');
      expect(reversedDrill.statusCode).toBe(400);
      expect(reversedDrill.json().errors[0].field).toBe('from');
      expect((await external.get('/api/v1/analytics/records?source=retention&metric=referrals')).statusCode).toBe(403);
    });
  });
  describe(`${dialect}: the records behind retention by year`, () => {
    let t: TestApp;
    let lead: Caller;
    let ann: Caller;
    let bob: Caller;
    const ids: Record<string, string> = {};
    const behind = (caller: Caller, metric: string, year: number, extra: Record<string, string> = {}) =>
      drillIds(caller, { source: 'retention', metric, year, ...extra });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const ctx = systemContext(t.database.db, 'test');
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      lead = await signIn(t.app, (await buildUser(t, 'management')).email);
      ann = await signIn(t.app, a.email);
      bob = await signIn(t.app, b.email);
      const client = async (name: string, partnerId: string, walled = false) =>
        (await buildClientWithTeam(ctx, { name, partnerIds: [partnerId], walled, wallMemberIds: walled ? [partnerId] : undefined, contacts: [] })).client.id;
      ids.bob = b.id;
      ids.kept = await client('Kept', a.id);
      ids.gone = await client('Gone', a.id);
      ids.slow = await client('Slow', b.id);
      ids.walled = await client('Walled', b.id, true);
      // Clients only get their records today: move their creation (record and audit row) back
      // to 2020, so that they were active on 1 January of last year and of this year.
      const old = '2020-03-01T00:00:00.000Z';
      const all = [ids.kept, ids.gone, ids.slow, ids.walled] as string[];
      await t.database.db.updateTable('clients').set({ created_at: old }).where('id', 'in', all).execute();
      await t.database.db
        .updateTable('audit_log')
        .set({ at: old })
        .where('entity', '=', 'client')
        .where('action', '=', 'client.create')
        .where('entity_id', 'in', all)
        .execute();
      await updateClient(ctx, ids.gone, { status: 'lost' });
      await updateClient(ctx, ids.slow, { status: 'lapsed' });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('should list the clients active at the start, retained, lost and lapsed of each year, as each reader counts them', async () => {
      const years = (await lead.get('/api/v1/analytics/retention')).json().years as { year: number; activeAtStart: number; retained: number }[];
      expect(years.find((y) => y.year === thisYear)).toMatchObject({ activeAtStart: 3, retained: 1, lost: 1, lapsed: 1 });
      expect(years.find((y) => y.year === thisYear - 1)).toMatchObject({ activeAtStart: 3, retained: 3, lost: 0, lapsed: 0 });
      expect(await behind(lead, 'activeAtStart', thisYear)).toEqual([ids.kept, ids.gone, ids.slow].sort());
      expect(await behind(lead, 'retained', thisYear)).toEqual([ids.kept]);
      expect(await behind(lead, 'lost', thisYear)).toEqual([ids.gone]);
      expect(await behind(lead, 'lapsed', thisYear)).toEqual([ids.slow]);
      expect(await behind(lead, 'retained', thisYear - 1)).toEqual([ids.kept, ids.gone, ids.slow].sort());
      // A year not in the figures lists nothing; nor does a group (retention has none).
      expect(await behind(lead, 'activeAtStart', 2001)).toEqual([]);
      expect(await drillIds(lead, { source: 'retention', metric: 'activeAtStart', year: thisYear, group: ids.kept as string })).toEqual([]);
      // Partners: their own clients, the walled one included for the partner on its wall.
      expect(await behind(ann, 'activeAtStart', thisYear)).toEqual([ids.kept, ids.gone].sort());
      expect(await behind(bob, 'activeAtStart', thisYear)).toEqual([ids.slow, ids.walled].sort());
      expect(await behind(bob, 'retained', thisYear)).toEqual([ids.walled]);
      // Filters apply as on the figures.
      expect(await behind(lead, 'activeAtStart', thisYear, { partner: ids.bob as string })).toEqual([ids.slow]);
      const [kept] = await drillRecords(lead, { source: 'retention', metric: 'retained', year: thisYear });
      expect(kept).toEqual({
        kind: 'client',
        id: ids.kept,
        title: 'Kept',
        client: { id: ids.kept, name: 'Kept' },
        detail: 'active',
        href: `/clients/${ids.kept}`,
      });
    });
  });
}
