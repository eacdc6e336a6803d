import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { putTeam } from '../clients/team.js';
import type { ClientStatus } from '../db/schema.js';
import { updateUser } from '../firm/users.js';
import { systemContext } from '../server/context.js';
import { putScores } from './capture.js';
import { cancelSession, createSession, transitionSession } from './sessions.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

for (const dialect of DIALECTS) {
  describe(`${dialect}: programmes API`, () => {
    let t: TestApp;
    let lead: Caller;
    let leadId: string;
    let partner: Caller;
    let management: Caller;
    let admin: Caller;
    let external: Caller;
    let member: Caller;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const l = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      leadId = l.id;
      lead = await signIn(t.app, l.email);
      partner = await signIn(t.app, (await buildUser(t, 'partner')).email);
      management = await signIn(t.app, (await buildUser(t, 'management')).email);
      admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
      external = await signIn(t.app, (await buildUser(t, 'external')).email);
      member = await signIn(t.app, (await buildUser(t, 'member')).email);
    });
    afterAll(async () => t?.close());

    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
    const programmeCount = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('programmes')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const valid = { name: 'Client listening 2026', startsOn: '2026-01-01', endsOn: '2026-12-31' };

    describe('POST /api/v1/programmes', () => {
      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post('/api/v1/programmes', valid)).statusCode).toBe(401);
      });

      it('should name each bad field and write nothing', async () => {
        const inactive = await buildUser(t, 'programme_lead');
        await updateUser(systemContext(t.database.db), inactive.id, { active: false });
        const outsider = await buildUser(t, 'external');
        const before = await programmeCount();
        const cases: [Record<string, unknown>, string][] = [
          [{ ...valid, name: undefined }, 'name'],
          [{ ...valid, name: '  ' }, 'name'],
          [{ ...valid, startsOn: '2026-13-01' }, 'startsOn'],
          [{ ...valid, endsOn: undefined }, 'endsOn'],
          [{ ...valid, endsOn: '2025-12-31' }, 'endsOn'],
          [{ ...valid, status: 'running' }, 'status'],
          [{ ...valid, ownerId: UNKNOWN }, 'ownerId'],
          [{ ...valid, ownerId: inactive.id }, 'ownerId'],
          [{ ...valid, ownerId: outsider.id }, 'ownerId'],
          [{ ...valid, targetSessions: -1 }, 'targetSessions'],
          [{ ...valid, targetSessions: 2.5 }, 'targetSessions'],
          [{ ...valid, targetKeyClientShare: 1.5 }, 'targetKeyClientShare'],
          [{ ...valid, targetAtRiskShare: -0.1 }, 'targetAtRiskShare'],
          [{ ...valid, targetAtRiskShare: '0.2' }, 'targetAtRiskShare'],
          [{ ...valid, colour: 'red' }, 'colour'],
        ];
        for (const [body, field] of cases) {
          const res = await lead.post('/api/v1/programmes', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        expect(await programmeCount()).toBe(before);
      });

      it('should refuse every role but programme leads', async () => {
        for (const caller of [partner, management, admin, member, external]) {
          expect((await caller.post('/api/v1/programmes', valid)).statusCode).toBe(403);
        }
      });

      it('should create a programme owned by the lead, with targets and empty progress, and audit it', async () => {
        const res = await lead.post('/api/v1/programmes', {
          ...valid,
          description: 'The year’s listening',
          status: 'active',
          targetSessions: 20,
          targetKeyClientShare: 0.5,
          targetAtRiskShare: 0.25,
        });
        expect(res.statusCode).toBe(201);
        const p = res.json();
        expect(p).toMatchObject({
          name: 'Client listening 2026',
          description: 'The year’s listening',
          startsOn: '2026-01-01',
          endsOn: '2026-12-31',
          owner: { id: leadId, name: 'Lena Lead' },
          status: 'active',
          targetSessions: 20,
          targetKeyClientShare: 0.5,
          targetAtRiskShare: 0.25,
          myCommitment: null,
          abilities: { update: true, propose: true, remind: true, volunteer: false, commit: false, readNominations: true },
        });
        expect(p.progress).toEqual({
          sessions: { target: 20, count: 0, held: 0, met: false },
          keyClients: { target: 0.5, covered: 0, total: 0, share: null, met: true },
          atRisk: { target: 0.25, count: 0, sessions: 0, share: null, met: false },
        });
        const row = await t.database.db.selectFrom('programmes').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ owner_id: leadId, starts_on: '2026-01-01', status: 'active' });
        const [audit] = await auditFor(p.id);
        expect(audit).toMatchObject({ action: 'programme.create', entity: 'programme', actor_id: leadId });
        expect(JSON.parse(audit?.changes ?? '{}')).toMatchObject({ name: [null, 'Client listening 2026'], targetSessions: [null, 20] });
      });

      it('should let a lead name another owner, and default to draft without targets', async () => {
        const other = await buildUser(t, 'programme_lead', { name: 'Otto Owner' });
        const res = await lead.post('/api/v1/programmes', { ...valid, ownerId: other.id });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({ owner: { id: other.id, name: 'Otto Owner' }, status: 'draft', targetSessions: null });
        expect(res.json().progress.sessions.met).toBeNull();
      });
    });

    describe('GET /api/v1/programmes and /{id}', () => {
      let prefix: string;
      const ids: Record<string, string> = {};
      beforeAll(async () => {
        prefix = `P${Date.now()}`;
        for (const [key, startsOn, status] of [
          ['a', '2024-01-01', 'closed'],
          ['b', '2025-01-01', 'active'],
          ['c', '2026-01-01', 'active'],
          ['d', '2027-01-01', 'draft'],
        ] as const) {
          const res = await lead.post('/api/v1/programmes', { name: `${prefix} ${key}`, startsOn, endsOn: `${startsOn.slice(0, 4)}-12-31`, status });
          ids[key] = res.json().id;
        }
      });
      const mine = (items: { id: string }[]) =>
        items.map((p) => Object.entries(ids).find(([, id]) => id === p.id)?.[0]).filter((k): k is string => k !== undefined);

      it('should require sign-in and refuse external users', async () => {
        expect((await anonymous(t.app).get('/api/v1/programmes')).statusCode).toBe(401);
        expect((await anonymous(t.app).get(`/api/v1/programmes/${ids.a}`)).statusCode).toBe(401);
        expect((await external.get('/api/v1/programmes')).statusCode).toBe(403);
        expect((await external.get(`/api/v1/programmes/${ids.a}`)).statusCode).toBe(403);
      });

      it('should list newest first, filter by status, and page with cursors', async () => {
        const all = (await member.get('/api/v1/programmes?limit=200&total=true')).json();
        expect(mine(all.items)).toEqual(['d', 'c', 'b', 'a']);
        expect(all.total).toBe(await programmeCount());
        expect(mine((await partner.get('/api/v1/programmes?status=active,draft&limit=200')).json().items)).toEqual(['d', 'c', 'b']);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const url: string = `/api/v1/programmes?sort=startsOn&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
          const page = (await management.get(url)).json();
          seen.push(...mine(page.items));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(['a', 'b', 'c', 'd']);
      });

      it('should name bad query fields', async () => {
        for (const [query, field] of [
          ['status=running', 'status'],
          ['sort=owner', 'sort'],
          ['cursor=nope', 'cursor'],
          ['limit=0', 'limit'],
        ]) {
          const res = await lead.get(`/api/v1/programmes?${query}`);
          expect(res.statusCode, query).toBe(400);
          expect(res.json().errors[0].field, query).toBe(field);
        }
      });

      it('should answer 404 for an unknown programme', async () => {
        expect((await lead.get(`/api/v1/programmes/${UNKNOWN}`)).statusCode).toBe(404);
      });

      it('should show a partner what they may do', async () => {
        const detail = (await partner.get(`/api/v1/programmes/${ids.c}`)).json();
        expect(detail.abilities).toEqual({
          update: false,
          commit: true,
          readNominations: true,
          propose: false,
          volunteer: true,
          remind: false,
          withdraw: false,
        });
        const closed = (await partner.get(`/api/v1/programmes/${ids.a}`)).json();
        expect(closed.abilities).toMatchObject({ commit: false, volunteer: false });
      });

      it('should count key clients over what the viewer may see', async () => {
        const ctx = systemContext(t.database.db);
        const base = { status: 'active' as const, competitors: [], isKeyClient: true };
        await createClient(ctx, { ...base, name: 'Open key client', walled: false });
        const memberUser = await buildUser(t, 'member');
        await createClient(ctx, { ...base, name: 'Walled key client', walled: true, wallMemberIds: [memberUser.id] });
        const walledViewer = await signIn(t.app, memberUser.email);
        const forLead = (await lead.get(`/api/v1/programmes/${ids.c}`)).json().progress.keyClients;
        const forListed = (await walledViewer.get(`/api/v1/programmes/${ids.c}`)).json().progress.keyClients;
        expect(forListed.total).toBe(forLead.total + 1);
      });
    });

    describe('live progress, from sessions planned through the sessions service', () => {
      let programmeId: string;
      let teamPartner: Caller;
      let keyTotalForLead: number;
      beforeAll(async () => {
        const ctx = systemContext(t.database.db, 'test');
        programmeId = (
          await lead.post('/api/v1/programmes', {
            ...valid,
            name: 'Progress',
            status: 'active',
            targetSessions: 4,
            targetKeyClientShare: 0.01,
            targetAtRiskShare: 0.5,
          })
        ).json().id;
        const pa = await buildUser(t, 'partner', { name: 'Pat Team' });
        const pb = await buildUser(t, 'partner');
        teamPartner = await signIn(t.app, pa.email);
        const interviewer = (await buildUser(t, 'member', { name: 'Ivy Independent' })).id;
        const client = async (name: string, status: ClientStatus, isKeyClient: boolean, partnerId: string) => {
          const c = await createClient(ctx, { name, status, isKeyClient, competitors: [], walled: false });
          await putTeam(ctx, c.id, { members: [{ userId: partnerId, teamRole: 'relationship_partner' }] });
          return c.id;
        };
        const keyClient = await client('Key happy', 'active', true, pa.id);
        const lostClient = await client('Lost one', 'lost', false, pb.id);
        const unhappyClient = await client('Quietly unhappy', 'active', false, pa.id);
        const session = (clientId: string, inProgramme: boolean, startsAt = '2026-02-01T10:00:00Z') =>
          createSession(ctx, {
            clientId,
            programmeId: inProgramme ? programmeId : null,
            objective: 'Hear how it is going',
            interviewerId: interviewer,
            format: 'phone',
            startsAt,
          });
        const hold = async (id: string, nps: number | null) => {
          await transitionSession(ctx, id, { status: 'scheduled' });
          await transitionSession(ctx, id, { status: 'completed' });
          if (nps !== null) {
            await putScores(ctx, id, { nps });
          }
        };
        // Last year, outside any programme: the unhappy client scored 4, the key client 9 then 3 then 9.
        await hold((await session(unhappyClient, false, '2025-05-01T10:00:00Z')).id, 4);
        await hold((await session(keyClient, false, '2025-03-01T10:00:00Z')).id, 3);
        await hold((await session(keyClient, false, '2025-06-01T10:00:00Z')).id, 9);
        // In the programme: key client planned, lost client held, unhappy client planned, and one cancelled.
        await session(keyClient, true);
        await hold((await session(lostClient, true)).id, null);
        await session(unhappyClient, true);
        await cancelSession(ctx, (await session(lostClient, true)).id, 'The GC left');
        keyTotalForLead = Number(
          (
            await t.database.db
              .selectFrom('clients')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('is_key_client', '=', true)
              .where('walled', '=', false)
              .executeTakeFirstOrThrow()
          ).n,
        );
      });

      it('should count non-cancelled and held sessions, key clients covered and at-risk sessions', async () => {
        const { progress } = (await lead.get(`/api/v1/programmes/${programmeId}`)).json();
        expect(progress.sessions).toEqual({ target: 4, count: 3, held: 1, met: false });
        expect(progress.keyClients).toMatchObject({ target: 0.01, covered: 1, total: keyTotalForLead, met: true });
        // Lost by status; unhappy by its latest NPS (4); the key client's latest NPS is 9, so not at risk.
        expect(progress.atRisk).toEqual({ target: 0.5, count: 2, sessions: 3, share: 2 / 3, met: true });
      });

      it('should count only the sessions a partner may read', async () => {
        const { progress } = (await teamPartner.get(`/api/v1/programmes/${programmeId}`)).json();
        expect(progress.sessions).toMatchObject({ count: 2, held: 0 });
        expect(progress.atRisk).toMatchObject({ count: 1, sessions: 2 });
      });
    });

    describe('PATCH /api/v1/programmes/{id}', () => {
      let id: string;
      beforeAll(async () => {
        id = (await lead.post('/api/v1/programmes', { ...valid, name: 'To edit' })).json().id;
      });

      it('should require sign-in', async () => {
        expect((await anonymous(t.app).patch(`/api/v1/programmes/${id}`, { name: 'x' })).statusCode).toBe(401);
      });

      it('should name each bad field, checking dates against the stored ones, and change nothing', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ name: '' }, 'name'],
          [{ endsOn: '2025-06-30' }, 'endsOn'],
          [{ startsOn: '2027-01-01' }, 'startsOn'],
          [{ startsOn: '2026-06-01', endsOn: '2026-05-01' }, 'endsOn'],
          [{ ownerId: UNKNOWN }, 'ownerId'],
          [{ targetKeyClientShare: 2 }, 'targetKeyClientShare'],
          [{ status: 'archived' }, 'status'],
        ];
        for (const [body, field] of cases) {
          const res = await lead.patch(`/api/v1/programmes/${id}`, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        const row = await t.database.db.selectFrom('programmes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ name: 'To edit', starts_on: '2026-01-01', ends_on: '2026-12-31' });
      });

      it('should refuse every role but programme leads', async () => {
        for (const caller of [partner, management, admin, member, external]) {
          expect((await caller.patch(`/api/v1/programmes/${id}`, { name: 'Hijacked' })).statusCode).toBe(403);
        }
      });

      it('should answer 404 for an unknown programme', async () => {
        expect((await lead.patch(`/api/v1/programmes/${UNKNOWN}`, { name: 'x' })).statusCode).toBe(404);
      });

      it('should update fields, clear a target, and record before and after', async () => {
        await lead.patch(`/api/v1/programmes/${id}`, { targetSessions: 12 });
        const res = await lead.patch(`/api/v1/programmes/${id}`, { status: 'active', endsOn: '2027-03-31', targetSessions: null, description: 'Extended' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'active', endsOn: '2027-03-31', targetSessions: null, description: 'Extended' });
        const update = (await auditFor(id)).filter((a) => a.action === 'programme.update').at(-1);
        expect(JSON.parse(update?.changes ?? '{}')).toEqual({
          status: ['draft', 'active'],
          endsOn: ['2026-12-31', '2027-03-31'],
          targetSessions: [12, null],
          description: [null, 'Extended'],
        });
      });
    });

    describe('PUT /api/v1/programmes/{id}/commitment', () => {
      let id: string;
      let partnerId: string;
      let committed: Caller;
      beforeAll(async () => {
        id = (await lead.post('/api/v1/programmes', { ...valid, name: 'Commitments', status: 'active' })).json().id;
        const p = await buildUser(t, 'partner');
        partnerId = p.id;
        committed = await signIn(t.app, p.email);
      });

      it('should require sign-in', async () => {
        expect((await anonymous(t.app).put(`/api/v1/programmes/${id}/commitment`, { commitment: 'yes' })).statusCode).toBe(401);
      });

      it('should name a bad answer', async () => {
        for (const body of [{}, { commitment: 'maybe' }]) {
          const res = await committed.put(`/api/v1/programmes/${id}/commitment`, body);
          expect(res.statusCode).toBe(400);
          expect(res.json().errors[0].field).toBe('commitment');
        }
      });

      it('should refuse everyone but partners', async () => {
        for (const caller of [lead, management, admin, member, external]) {
          expect((await caller.put(`/api/v1/programmes/${id}/commitment`, { commitment: 'yes' })).statusCode).toBe(403);
        }
      });

      it('should answer 404 for an unknown programme', async () => {
        expect((await committed.put(`/api/v1/programmes/${UNKNOWN}/commitment`, { commitment: 'yes' })).statusCode).toBe(404);
      });

      it('should record the answer, let the partner change it, and audit each', async () => {
        const yes = await committed.put(`/api/v1/programmes/${id}/commitment`, { commitment: 'yes' });
        expect(yes.statusCode).toBe(200);
        expect(yes.json()).toMatchObject({ programmeId: id, userId: partnerId, commitment: 'yes' });
        expect((await committed.get(`/api/v1/programmes/${id}`)).json().myCommitment).toBe('yes');
        await committed.put(`/api/v1/programmes/${id}/commitment`, { commitment: 'no' });
        const rows = await t.database.db.selectFrom('programme_partners').selectAll().where('programme_id', '=', id).execute();
        expect(rows).toEqual([expect.objectContaining({ user_id: partnerId, commitment: 'no' })]);
        const audit = (await auditFor(id)).filter((a) => a.action === 'programme.commitment');
        expect(audit.map((a) => JSON.parse(a.changes))).toEqual([{ commitment: [null, 'yes'] }, { commitment: ['yes', 'no'] }]);
      });

      it('should refuse answers to a closed programme', async () => {
        await lead.patch(`/api/v1/programmes/${id}`, { status: 'closed' });
        const res = await committed.put(`/api/v1/programmes/${id}/commitment`, { commitment: 'yes' });
        expect(res.statusCode).toBe(409);
        expect(res.json().detail).toMatch(/closed/);
      });
    });
  });
}
