import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createTeam } from '../firm/teams.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { drillIds, drillRecords } from './testing.js';

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
    /** The records behind a participation figure (GET /analytics/records), sorted ids. */
    const behind = (caller: Caller, metric: string, group?: string, extra: Record<string, string> = {}) =>
      drillIds(caller, { source: 'participation', programmeId, metric, group, ...extra });

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
      expect(await behind(lead, 'accepted', ids.ann)).toEqual([ids.n2]);
      expect(await behind(lead, 'declined', ids.ann)).toEqual([ids.n1]);
      expect(await behind(lead, 'atRiskPutForward', ids.ann)).toEqual([ids.n2]);
      expect(await behind(lead, 'heldBack', ids.ann)).toEqual([ids.c1, ids.c3].sort());
      // The walled client Bob volunteered is not counted for the lead, who is not on its wall.
      expect(row(ids.bob).figures).toMatchObject({ proposed: 1, deferred: 1, volunteered: 0, putForward: 0, heldBack: 1 });
      expect(await behind(lead, 'heldBack', ids.bob)).toEqual([ids.c4]);
      expect(await behind(lead, 'volunteered', ids.bob)).toEqual([]);
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
      expect(await behind(bob, 'volunteered', ids.bob)).toEqual([ids.n5]);
      expect(body.totals.figures.partners).toBe(1);
      const annBody = (await ann.get(url(programmeId))).json();
      expect(annBody.partners.map((p: { partner: { id: string } }) => p.partner.id)).toEqual([ids.ann]);
      expect(JSON.stringify(annBody)).not.toContain(ids.c4);
    });

    it('should list the records behind each figure, per partner, per team and for the firm, as the figures count them', async () => {
      // Totals, per team (Corporate: Ann and Bob) and the no-team group (Cat, who has no client).
      expect(await behind(lead, 'proposed')).toEqual([ids.n1, ids.n2, ids.n4].sort());
      expect(await behind(lead, 'deferred')).toEqual([ids.n4]);
      expect(await behind(lead, 'putForward')).toEqual([ids.n2]);
      expect(await behind(lead, 'heldBack')).toEqual([ids.c1, ids.c3, ids.c4].sort());
      expect(await behind(lead, 'proposed', ids.corporate)).toEqual([ids.n1, ids.n2, ids.n4].sort());
      expect(await behind(lead, 'heldBack', 'none')).toEqual([]);
      // A group not in the figures is an empty page, not an error.
      expect(await behind(lead, 'proposed', UNKNOWN)).toEqual([]);
      // Each record says what it is and where it lives.
      const [accepted] = await drillRecords(lead, { source: 'participation', programmeId, metric: 'accepted' });
      expect(accepted).toEqual({
        kind: 'nomination',
        id: ids.n2,
        title: 'C2',
        client: { id: ids.c2, name: 'C2' },
        detail: 'Ann Able · accepted (proposed)',
        href: `/programmes/${programmeId}`,
      });
      const [held] = await drillRecords(lead, { source: 'participation', programmeId, metric: 'heldBack', group: ids.bob });
      expect(held).toMatchObject({ kind: 'client', id: ids.c4, title: 'C4', href: `/clients/${ids.c4}` });
      // The filters apply as on the figures.
      expect(await behind(lead, 'proposed', undefined, { clientId: ids.c2 as string })).toEqual([ids.n2]);
    });

    it('should list for each reader exactly what their own figures count (lead, partners, member)', async () => {
      const figures = async (caller: Caller) => (await caller.get(url(programmeId))).json().totals.figures;
      const matrix: [Caller, Record<string, (string | undefined)[]>][] = [
        [lead, { proposed: [ids.n1, ids.n2, ids.n4], putForward: [ids.n2], heldBack: [ids.c1, ids.c3, ids.c4] }],
        [ann, { proposed: [ids.n1, ids.n2], putForward: [ids.n2], heldBack: [ids.c1, ids.c3] }],
        [bob, { proposed: [ids.n4], putForward: [ids.n5], heldBack: [ids.c4] }],
        [member, { proposed: [], putForward: [], heldBack: [] }],
      ];
      for (const [caller, expected] of matrix) {
        const counted = await figures(caller);
        for (const [metric, records] of Object.entries(expected)) {
          const listed = await behind(caller, metric);
          expect(listed).toEqual([...records].sort());
          expect(listed).toHaveLength(counted[metric]);
        }
      }
    });

    it('should refuse the drill-down as it refuses the figures: externals, no programme, an unknown programme', async () => {
      const drill = (caller: Caller, query: string) => caller.get(`/api/v1/analytics/records?source=participation&metric=proposed${query}`);
      expect((await drill(external, `&programmeId=${programmeId}`)).statusCode).toBe(403);
      const missing = await drill(lead, '');
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors[0].field).toBe('programmeId');
      expect((await drill(lead, `&programmeId=${UNKNOWN}`)).statusCode).toBe(404);
      const wrong = await lead.get(`/api/v1/analytics/records?source=participation&metric=overdue&programmeId=${programmeId}`);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors[0].field).toBe('metric');
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

  describe(`${dialect}: participation, a client put forward by two of its partners`, () => {
    let t: TestApp;

    afterAll(async () => {
      await t?.close();
    });

    it('should count the two accepted nominations in the team and firm figures and list both in the drill-down', async () => {
      t = await createTestApp(dialect);
      const ctx = systemContext(t.database.db, 'test');
      const l = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      const lead = await signIn(t.app, l.email);
      const ann = await signIn(t.app, a.email);
      const bob = await signIn(t.app, b.email);
      const team = await createTeam(ctx, { name: 'Disputes', kind: 'practice_group', memberIds: [a.id, b.id] });
      // A lapsed client is at risk (AT_RISK_DEFINITION), so both figures are exercised.
      const shared = (await buildClientWithTeam(ctx, { name: 'Shared Co', partnerIds: [a.id, b.id], status: 'lapsed', contacts: [] })).client.id;
      const programmeId = (
        await lead.post('/api/v1/programmes', { name: 'Shared 2026', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'active' })
      ).json().id as string;
      const proposed = await lead.post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [shared] });
      expect(proposed.statusCode).toBe(201);
      const items = proposed.json().items as { id: string; partner: { id: string } }[];
      expect(items).toHaveLength(2);
      const ofAnn = items.find((n) => n.partner.id === a.id)?.id as string;
      const ofBob = items.find((n) => n.partner.id === b.id)?.id as string;
      expect((await ann.post(`/api/v1/nominations/${ofAnn}/response`, { answer: 'yes' })).statusCode).toBe(200);
      expect((await bob.post(`/api/v1/nominations/${ofBob}/response`, { answer: 'yes' })).statusCode).toBe(200);

      const body = (await lead.get(`/api/v1/analytics/participation?programmeId=${programmeId}`)).json();
      expect(body.totals.figures).toMatchObject({ accepted: 2, putForward: 2, atRiskPutForward: 2, heldBack: 0 });
      expect(body.teams[0]).toMatchObject({ team: { id: team.id }, figures: { putForward: 2, atRiskPutForward: 2 } });
      const drill = (metric: string, group?: string) => drillIds(lead, { source: 'participation', programmeId, metric, group });
      for (const group of [undefined, team.id]) {
        expect(await drill('putForward', group)).toEqual([ofAnn, ofBob].sort());
        expect(await drill('atRiskPutForward', group)).toEqual([ofAnn, ofBob].sort());
      }
      expect(await drill('putForward', a.id)).toEqual([ofAnn]);
      const records = await drillRecords(lead, { source: 'participation', programmeId, metric: 'putForward' });
      expect(records.map((r) => [r.kind, r.client?.id, r.detail].join(' | ')).sort()).toEqual([
        `nomination | ${shared} | Ann Able · accepted (proposed)`,
        `nomination | ${shared} | Bob Brown · accepted (proposed)`,
      ]);
    });
  });
}
