import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildAction } from '../actions/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { drillRecords } from './testing.js';

const URL = '/api/v1/analytics/records';
const UNKNOWN = '01900000-0000-7000-8000-000000000000';

for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /api/v1/analytics/records`, () => {
    let t: TestApp;
    let lead: Caller;
    let ann: Caller;
    let external: Caller;
    const actionIds: string[] = [];
    let annId = '';

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const ctx = systemContext(t.database.db, 'test');
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      annId = a.id;
      lead = await signIn(t.app, (await buildUser(t, 'programme_lead')).email);
      ann = await signIn(t.app, a.email);
      external = await signIn(t.app, (await buildUser(t, 'external')).email);
      const acme = (await buildClientWithTeam(ctx, { name: 'Acme', partnerIds: [a.id], contacts: [] })).client.id;
      const beta = (await buildClientWithTeam(ctx, { name: 'Beta', partnerIds: [b.id], contacts: [] })).client.id;
      for (let i = 0; i < 5; i++) {
        actionIds.push((await buildAction(ctx, { clientId: acme, ownerId: a.id, title: `Acme action ${i}` })).id);
      }
      actionIds.push((await buildAction(ctx, { clientId: beta, ownerId: b.id, title: 'Beta action' })).id);
    });

    afterAll(async () => {
      await t?.close();
    });

    it('should ask anonymous callers to sign in (401)', async () => {
      expect((await new Caller(t.app).get(`${URL}?source=loop&metric=actions`)).statusCode).toBe(401);
    });

    it('should name the field of bad input (400): source, metric, limit, cursor, year', async () => {
      const fieldsOf = async (query: string) => {
        const res = await lead.get(`${URL}?${query}`);
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        return (res.json().errors as { field: string }[]).map((e) => e.field);
      };
      expect(await fieldsOf('metric=actions')).toContain('source');
      expect(await fieldsOf('source=moon&metric=actions')).toContain('source');
      expect(await fieldsOf('source=loop')).toContain('metric');
      expect(await fieldsOf('source=loop&metric=heldBack')).toEqual(['metric']);
      expect(await fieldsOf('source=problems&metric=actions')).toEqual(['metric']);
      expect(await fieldsOf('source=loop&metric=actions&limit=0')).toContain('limit');
      expect(await fieldsOf('source=loop&metric=actions&limit=201')).toContain('limit');
      expect(await fieldsOf('source=loop&metric=actions&cursor=nonsense')).toEqual(['cursor']);
      expect(await fieldsOf('source=retention&metric=lost&year=twenty')).toContain('year');
      expect(await fieldsOf('source=loop&metric=actions&groupBy=moon')).toContain('groupBy');
      expect(await fieldsOf(`source=loop&metric=actions&clientId=${UNKNOWN}`)).toEqual(['clientId']);
    });

    it('should refuse externals (403)', async () => {
      expect((await external.get(`${URL}?source=loop&metric=actions`)).statusCode).toBe(403);
      expect((await external.get(`${URL}?source=retention&metric=referrals`)).statusCode).toBe(403);
    });

    it('should page through the records newest first, without repeats, with the total on every page', async () => {
      const first = await lead.get(`${URL}?source=loop&metric=actions&limit=4`);
      expect(first.statusCode).toBe(200);
      const page1 = first.json();
      expect(page1.total).toBe(6);
      expect(page1.items).toHaveLength(4);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const page2 = (await lead.get(`${URL}?source=loop&metric=actions&limit=4&cursor=${encodeURIComponent(page1.nextCursor)}`)).json();
      expect(page2.total).toBe(6);
      expect(page2.items).toHaveLength(2);
      expect(page2.nextCursor).toBeNull();
      const listed = [...page1.items, ...page2.items].map((r: { id: string }) => r.id);
      expect(new Set(listed).size).toBe(6);
      expect(listed).toEqual([...actionIds].sort().reverse());
    });

    it('should list a group’s records, and an empty page for a group not in the figures', async () => {
      const anns = await drillRecords(lead, { source: 'loop', metric: 'actions', group: annId }, 2);
      expect(anns.map((r) => r.id).sort()).toEqual(actionIds.slice(0, 5).sort());
      expect(anns.every((r) => r.client?.name === 'Acme' && r.detail.startsWith('open · Ann Able'))).toBe(true);
      const none = await lead.get(`${URL}?source=loop&metric=actions&group=${UNKNOWN}`);
      expect(none.statusCode).toBe(200);
      expect(none.json()).toEqual({ items: [], total: 0, nextCursor: null });
    });

    it('should list for a partner only the records of their own clients', async () => {
      const mine = await drillRecords(ann, { source: 'loop', metric: 'actions' }, 3);
      expect(mine.map((r) => r.id).sort()).toEqual(actionIds.slice(0, 5).sort());
      expect((await ann.get('/api/v1/analytics/loop')).json().totals.actions).toBe(5);
    });
  });
}
