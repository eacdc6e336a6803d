import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createTeam } from '../firm/teams.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /api/v1/analytics/participation`, () => {
    let t: TestApp;
    let lead: Caller;
    let ann: Caller;
    let bob: Caller;
    let member: Caller;
    let external: Caller;
    let ids: Record<string, string>;
    let programmeId: string;
    let emptyProgrammeId: string;

    const url = (id: string) => `/api/v1/analytics/participation?programmeId=${id}`;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const ctx = systemContext(t.database.db, 'test');
      const l = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      const c = await buildUser(t, 'partner', { name: 'Cat Cole' });
      const m = await buildUser(t, 'member', { name: 'Mo Member' });
      const x = await buildUser(t, 'external', { name: 'Xena External' });
      lead = await signIn(t.app, l.email);
      ann = await signIn(t.app, a.email);
      bob = await signIn(t.app, b.email);
      member = await signIn(t.app, m.email);
      external = await signIn(t.app, x.email);
      const corporate = await createTeam(ctx, { name: 'Corporate', kind: 'practice_group', memberIds: [a.id, b.id] });
      const client = async (name: string, partnerIds: string[], opts: { status?: 'active' | 'lapsed'; walledFor?: string[] } = {}) =>
        (
          await buildClientWithTeam(ctx, {
            name,
            partnerIds,
            memberIds: name === 'C1' ? [m.id] : [],
            status: opts.status ?? 'active',
            walled: !!opts.walledFor,
            wallMemberIds: opts.walledFor,
            contacts: [],
          })
        ).client.id;
      ids = {
        ann: a.id,
        bob: b.id,
        cat: c.id,
        corporate: corporate.id,
        c1: await client('C1', [a.id]),
        c2: await client('C2', [a.id], { status: 'lapsed' }),
        c3: await client('C3', [a.id]),
        c4: await client('C4', [b.id]),
        c5: await client('C5 walled', [b.id], { walledFor: [b.id] }),
      };
      const created = await lead.post('/api/v1/programmes', { name: 'Listening 2026', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'active' });
      expect(created.statusCode).toBe(201);
      programmeId = created.json().id;
      emptyProgrammeId = (await lead.post('/api/v1/programmes', { name: 'Empty', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'active' })).json().id;
      const proposed = await lead.post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [ids.c1, ids.c2, ids.c4] });
      expect(proposed.statusCode).toBe(201);
      const nominationOf = (clientId: string | undefined) =>
        (proposed.json().items as { id: string; client: { id: string } }[]).find((n) => n.client.id === clientId)?.id;
      ids.n1 = nominationOf(ids.c1) as string;
      ids.n2 = nominationOf(ids.c2) as string;
      ids.n4 = nominationOf(ids.c4) as string;
      expect((await ann.post(`/api/v1/nominations/${ids.n1}/response`, { answer: 'no', reason: 'Bad timing' })).statusCode).toBe(200);
      expect((await ann.post(`/api/v1/nominations/${ids.n2}/response`, { answer: 'yes' })).statusCode).toBe(200);
      expect((await bob.post(`/api/v1/nominations/${ids.n4}/response`, { answer: 'not_now', reason: 'Busy', askAgainOn: inDays(30) })).statusCode).toBe(200);
      const volunteered = await bob.post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [ids.c5], volunteer: true });
      expect(volunteered.statusCode).toBe(201);
      ids.n5 = volunteered.json().items[0].id;
      expect((await ann.put(`/api/v1/programmes/${programmeId}/commitment`, { commitment: 'yes' })).statusCode).toBe(200);
      const cat = await signIn(t.app, c.email);
      expect((await cat.put(`/api/v1/programmes/${programmeId}/commitment`, { commitment: 'yes' })).statusCode).toBe(200);
    });

    afterAll(async () => {
      await t?.close();
    });

    it('should count per partner, per team and for the firm, and flag a yes with nothing put forward (programme lead)', async () => {
      const res = await lead.get(url(programmeId));
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const row = (id: string | undefined) => body.partners.find((p: { partner: { id: string } }) => p.partner.id === id);
      expect(body.partners.map((p: { partner: { name: string } }) => p.partner.name)).toEqual(['Ann Able', 'Bob Brown', 'Cat Cole']);
      expect(row(ids.ann)).toMatchObject({
        commitment: 'yes',
        saidYesPutNothingForward: false,
        teams: [{ id: ids.corporate, name: 'Corporate' }],
        figures: { proposed: 2, accepted: 1, deferred: 0, declined: 1, volunteered: 0, notAnswered: 0, putForward: 1, atRiskPutForward: 1, heldBack: 2 },
      });
      expect(row(ids.ann).drill).toMatchObject({ accepted: [ids.n2], declined: [ids.n1], atRiskClients: [ids.c2] });
      expect([...row(ids.ann).drill.heldBackClients].sort()).toEqual([ids.c1, ids.c3].sort());
      // The walled client Bob volunteered is not counted for the lead, who is not on its wall.
      expect(row(ids.bob).figures).toMatchObject({ proposed: 1, deferred: 1, volunteered: 0, putForward: 0, heldBack: 1 });
      expect(row(ids.bob).drill.heldBackClients).toEqual([ids.c4]);
      expect(JSON.stringify(body)).not.toContain(ids.c5);
      expect(JSON.stringify(body)).not.toContain(ids.n5);
      expect(row(ids.cat)).toMatchObject({ commitment: 'yes', saidYesPutNothingForward: true, teams: [] });
      expect(body.totals.figures).toEqual({
        proposed: 3,
        accepted: 1,
        deferred: 1,
        declined: 1,
        volunteered: 0,
        notAnswered: 0,
        putForward: 1,
        atRiskPutForward: 1,
        heldBack: 3,
        saidYesPutNothingForward: 1,
        partners: 3,
      });
      expect(
        body.teams.map((g: { team: { name: string } | null; figures: { partners: number; proposed: number } }) => [
          g.team?.name ?? null,
          g.figures.partners,
          g.figures.proposed,
        ]),
      ).toEqual([
        ['Corporate', 2, 3],
        [null, 1, 0],
      ]);
      expect(body.atRiskDefinition).toContain('lapsed');
    });

    it('should show a partner only their own row, including the walled client they are on the wall of', async () => {
      const body = (await bob.get(url(programmeId))).json();
      expect(body.partners).toHaveLength(1);
      expect(body.partners[0].figures).toMatchObject({ proposed: 1, deferred: 1, volunteered: 1, putForward: 1, heldBack: 1 });
      expect(body.partners[0].drill.volunteered).toEqual([ids.n5]);
      expect(body.totals.figures.partners).toBe(1);
      const annBody = (await ann.get(url(programmeId))).json();
      expect(annBody.partners.map((p: { partner: { id: string } }) => p.partner.id)).toEqual([ids.ann]);
      expect(JSON.stringify(annBody)).not.toContain(ids.c4);
    });

    it('should apply the shared filters: practice chooses the partners and their clients; a walled or unknown client is a 400', async () => {
      const body = (await lead.get(`${url(programmeId)}&practice=${ids.corporate}`)).json();
      expect(body.partners.map((p: { partner: { name: string } }) => p.partner.name)).toEqual(['Ann Able', 'Bob Brown']);
      expect(body.totals.figures).toMatchObject({ proposed: 3, heldBack: 3, partners: 2, saidYesPutNothingForward: 0 });
      const one = (await lead.get(`${url(programmeId)}&clientId=${ids.c2}`)).json();
      expect(one.totals.figures).toMatchObject({ proposed: 1, accepted: 1, heldBack: 0 });
      const walled = await lead.get(`${url(programmeId)}&clientId=${ids.c5}`);
      expect(walled.statusCode).toBe(400);
      expect(walled.json().errors[0].field).toBe('clientId');
    });

    it('should give a member, who reads no nominations, zeros rather than an error', async () => {
      const res = await member.get(url(programmeId));
      expect(res.statusCode).toBe(200);
      expect(res.json().partners).toEqual([]);
      expect(res.json().totals.figures).toMatchObject({ proposed: 0, heldBack: 0, partners: 0 });
    });

    it('should give zeros for a programme with no nominations', async () => {
      const body = (await lead.get(url(emptyProgrammeId))).json();
      expect(body.totals.figures).toMatchObject({ proposed: 0, accepted: 0, putForward: 0, saidYesPutNothingForward: 0 });
      expect(body.partners.every((p: { figures: { proposed: number } }) => p.figures.proposed === 0)).toBe(true);
    });

    it('should refuse externals (403), name a missing programmeId (400) and 404 an unknown programme', async () => {
      expect((await external.get(url(programmeId))).statusCode).toBe(403);
      const missing = await lead.get('/api/v1/analytics/participation');
      expect(missing.statusCode).toBe(400);
      expect(JSON.stringify(missing.json().errors)).toContain('programmeId');
      expect((await lead.get(url(UNKNOWN))).statusCode).toBe(404);
    });
  });
}
