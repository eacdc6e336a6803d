import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildAction } from '../actions/testing.js';
import { updateClient } from '../clients/clients.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { createReferral } from '../relationships/referrals.js';
import { systemContext } from '../server/context.js';

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

      await createReferral(ctx, { referrerClientId: ids.cA, prospectName: 'Newco', referredOn: daysAgo(20), outcome: 'won' });
      await createReferral(ctx, { referrerClientId: ids.cA, prospectName: 'Maybe Ltd', referredOn: daysAgo(2), outcome: 'pending' });
      await createReferral(ctx, { referrerClientId: ids.cA, prospectName: 'Old Ltd', referredOn: '2001-05-05', outcome: 'lost' });
      await createReferral(ctx, { referrerClientId: ids.cW, prospectName: 'Hidden', referredOn: daysAgo(2), outcome: 'won' });

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
      expect(body.opportunities.drill).toEqual({ done: [ids.oDone], open: [ids.oOpen], wontDo: [ids.oWont], noAction: [ids.oNone] });
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
          drill: { activeAtStartClientIds: [], retainedClientIds: [], lostClientIds: [] },
        },
      ]);
      expect(old.referrals).toMatchObject({ total: 1, lost: 1 });
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
    });
  });
}
