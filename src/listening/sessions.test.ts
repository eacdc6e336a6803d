import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import type { Contact } from '../clients/schemas.js';
import { updateUser } from '../firm/users.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { advanceSession, buildClientWithTeam, buildSession } from './testing.js';

const DEFAULT_GUIDE_ID = '019a0000-0000-7000-8000-000000000001';
const DEFAULT_GUIDE_V1 = '019a0000-0000-7000-8000-000000000002';

for (const dialect of DIALECTS) {
  describe(`${dialect}: listening sessions API`, () => {
    let t: TestApp;
    let ctx: ServiceContext;
    let lead: Caller;
    let leadId: string;
    let partner: Caller;
    let partnerId: string;
    let member: Caller;
    let memberId: string;
    let interviewer: Caller;
    let interviewerId: string;
    let otherInterviewerId: string;
    let outsider: Caller;
    let clientId: string;
    let contacts: Contact[];
    let otherClientContact: Contact;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      ctx = systemContext(t.database.db, 'test');
      const users = {
        lead: await buildUser(t, 'programme_lead', { name: 'Lena Lead' }),
        partner: await buildUser(t, 'partner', { name: 'Pat Partner' }),
        member: await buildUser(t, 'member', { name: 'Mo Member' }),
        interviewer: await buildUser(t, 'member', { name: 'Ivy Interviewer' }),
        other: await buildUser(t, 'external', { name: 'Exa External' }),
        outsider: await buildUser(t, 'partner', { name: 'Oscar Outsider' }),
      };
      leadId = users.lead.id;
      partnerId = users.partner.id;
      memberId = users.member.id;
      interviewerId = users.interviewer.id;
      otherInterviewerId = users.other.id;
      lead = await signIn(t.app, users.lead.email);
      partner = await signIn(t.app, users.partner.email);
      member = await signIn(t.app, users.member.email);
      interviewer = await signIn(t.app, users.interviewer.email);
      outsider = await signIn(t.app, users.outsider.email);
      const built = await buildClientWithTeam(ctx, { name: 'Northwind', partnerIds: [partnerId], memberIds: [memberId], contacts: ['Grace GC', 'Frank CFO'] });
      clientId = built.client.id;
      contacts = built.contacts;
      const other = await buildClientWithTeam(ctx, { name: 'Contoso', contacts: ['Someone Else'] });
      otherClientContact = other.contacts[0] as Contact;
    });
    afterAll(async () => t?.close());

    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
    const plan = (overrides: Record<string, unknown> = {}) => ({
      clientId,
      objective: 'Hear how the year went',
      expectations: 'Listening only: no commitments on fees',
      agenda: '1. The relationship\n2. Value\n3. What next',
      contactIds: [contacts[0]?.id],
      attendeeIds: [],
      interviewerId,
      format: 'video',
      videoPlatform: 'Teams',
      videoLink: 'https://teams.example.com/meet/1',
      durationMinutes: 45,
      ...overrides,
    });

    describe('POST /api/v1/sessions', () => {
      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post('/api/v1/sessions', plan())).statusCode).toBe(401);
      });

      it('should name each bad field and write nothing', async () => {
        const count = async () =>
          Number(
            (
              await t.database.db
                .selectFrom('listening_sessions')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const before = await count();
        const cases: [Record<string, unknown>, string][] = [
          [plan({ objective: undefined }), 'objective'],
          [plan({ objective: '  ' }), 'objective'],
          [plan({ format: 'carrier_pigeon' }), 'format'],
          [plan({ format: 'in_person', location: undefined }), 'location'],
          [plan({ format: 'in_person', location: '   ' }), 'location'],
          [plan({ videoPlatform: undefined }), 'videoPlatform'],
          [plan({ videoLink: 'not a link' }), 'videoLink'],
          [plan({ videoLink: 'ftp://files.example.com' }), 'videoLink'],
          [plan({ durationMinutes: 10 }), 'durationMinutes'],
          [plan({ durationMinutes: 481 }), 'durationMinutes'],
          [plan({ durationMinutes: 30.5 }), 'durationMinutes'],
          [plan({ startsAt: '2026-03-01 09:30' }), 'startsAt'],
          [plan({ startsAt: '2026-03-01T09:30:00+02:00' }), 'startsAt'],
          [plan({ contactIds: [otherClientContact.id] }), 'contactIds.0'],
          [plan({ contactIds: [contacts[0]?.id, contacts[0]?.id] }), 'contactIds.1'],
          [plan({ interviewerId: '01900000-0000-7000-8000-000000000000' }), 'interviewerId'],
          [plan({ interviewerId: undefined }), 'interviewerId'],
          [plan({ attendeeIds: ['01900000-0000-7000-8000-000000000000'] }), 'attendeeIds.0'],
          [plan({ attendeeIds: [interviewerId] }), 'attendeeIds.0'],
          [plan({ guideId: '01900000-0000-7000-8000-000000000000' }), 'guideId'],
          [plan({ programmeId: '01900000-0000-7000-8000-000000000000' }), 'programmeId'],
          [plan({ nominationId: '01900000-0000-7000-8000-000000000000' }), 'nominationId'],
          [plan({ colour: 'red' }), 'colour'],
        ];
        for (const [body, field] of cases) {
          const res = await lead.post('/api/v1/sessions', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        expect(await count()).toBe(before);
      });

      it('should refuse an interviewer who is no longer active', async () => {
        const gone = await buildUser(t, 'member', { name: 'Gone Away' });
        await updateUser(ctx, gone.id, { active: false });
        const res = await lead.post('/api/v1/sessions', plan({ interviewerId: gone.id }));
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0]).toEqual({ field: 'interviewerId', message: 'is a deactivated user' });
      });

      it('should let only programme leads and the client’s team plan sessions', async () => {
        expect((await outsider.post('/api/v1/sessions', plan())).statusCode).toBe(403);
        expect((await member.post('/api/v1/sessions', plan())).statusCode).toBe(403);
        expect((await interviewer.post('/api/v1/sessions', plan())).statusCode).toBe(403);
        expect((await partner.post('/api/v1/sessions', plan())).statusCode).toBe(201);
      });

      it('should answer 404 for a walled client the caller is not listed on', async () => {
        const walled = await buildClientWithTeam(ctx, { name: 'Walled Co', walled: true, wallMemberIds: [interviewerId] });
        const res = await lead.post('/api/v1/sessions', plan({ clientId: walled.client.id, contactIds: [] }));
        expect(res.statusCode).toBe(404);
        expect(await t.database.db.selectFrom('listening_sessions').select('id').where('client_id', '=', walled.client.id).execute()).toEqual([]);
      });

      it('should require the interviewer of a walled client to be listed on the wall', async () => {
        const walled = await buildClientWithTeam(ctx, { name: 'Walled Two', walled: true, wallMemberIds: [leadId, interviewerId] });
        const refused = await lead.post('/api/v1/sessions', plan({ clientId: walled.client.id, contactIds: [], interviewerId: otherInterviewerId }));
        expect(refused.statusCode).toBe(400);
        expect(refused.json().errors[0].field).toBe('interviewerId');
        const ok = await lead.post('/api/v1/sessions', plan({ clientId: walled.client.id, contactIds: [] }));
        expect(ok.statusCode).toBe(201);
      });

      it('should plan a session, keep the default guide’s latest version, and audit it', async () => {
        const res = await lead.post('/api/v1/sessions', plan({ attendeeIds: [memberId], startsAt: '2026-04-01T09:00:00Z' }));
        expect(res.statusCode).toBe(201);
        const s = res.json();
        expect(s).toMatchObject({
          status: 'planned',
          client: { id: clientId, name: 'Northwind', status: 'active' },
          objective: 'Hear how the year went',
          expectations: 'Listening only: no commitments on fees',
          interviewer: { id: interviewerId, name: 'Ivy Interviewer' },
          independenceOverride: null,
          format: 'video',
          videoPlatform: 'Teams',
          startsAt: '2026-04-01T09:00:00.000Z',
          endsAt: '2026-04-01T09:45:00.000Z',
          durationMinutes: 45,
          icsSequence: 0,
          nextStatuses: ['scheduled', 'cancelled'],
          answers: [],
          remarks: [],
          seesConfidential: true,
          abilities: { update: true, capture: true, cancel: true, overrideIndependence: true, downloadInvite: true },
          createdBy: { id: leadId, name: 'Lena Lead' },
        });
        expect(s.contacts.map((c: { id: string }) => c.id)).toEqual([contacts[0]?.id]);
        expect(s.attendees.map((a: { id: string }) => a.id)).toEqual([memberId]);
        expect(s.guide).toMatchObject({ guideId: DEFAULT_GUIDE_ID, versionId: DEFAULT_GUIDE_V1, version: 1, name: 'Client listening guide' });
        expect(s.guide.sections[0].questions[0]).toMatchObject({ key: 'how_going' });
        expect(s.scores.dimensions.map((d: { key: string }) => d.key)).toEqual(['responsiveness', 'understanding', 'value', 'communication', 'expertise']);
        const audit = await auditFor(s.id);
        expect(audit[0]).toMatchObject({ action: 'session.create', actor_id: leadId, client_id: clientId });
        expect(JSON.parse(audit[0]?.changes ?? '{}').interviewerId).toEqual([null, interviewerId]);
      });

      it('should keep the guide version it was planned with when the guide gets a new version', async () => {
        const before = (await lead.post('/api/v1/sessions', plan())).json();
        // A new version as the guides module writes it: guide versions are immutable rows.
        const sections = JSON.stringify([{ key: 'only', title: 'Only', questions: [{ key: 'new_question', text: 'New?', help: null }] }]);
        const v2 = '019a0000-0000-7000-8000-0000000000f2';
        await t.database.db
          .insertInto('guide_versions')
          .values({ id: v2, guide_id: DEFAULT_GUIDE_ID, version: 2, sections, created_by: null, created_at: new Date().toISOString() })
          .execute();
        try {
          const after = (await lead.post('/api/v1/sessions', plan())).json();
          expect(after.guide).toMatchObject({ versionId: v2, version: 2 });
          const reread = (await lead.get(`/api/v1/sessions/${before.id}`)).json();
          expect(reread.guide).toMatchObject({ versionId: DEFAULT_GUIDE_V1, version: 1 });
          expect(reread.guide.sections.flatMap((x: { questions: { key: string }[] }) => x.questions.map((q) => q.key))).toContain('how_going');
          await t.database.db.deleteFrom('listening_sessions').where('guide_version_id', '=', v2).execute();
        } finally {
          await t.database.db.deleteFrom('guide_versions').where('id', '=', v2).execute();
        }
      });
    });

    describe('independence', () => {
      it('should refuse the relationship partner as interviewer, naming interviewerId and why', async () => {
        const res = await lead.post('/api/v1/sessions', plan({ interviewerId: partnerId }));
        expect(res.statusCode).toBe(409);
        const body = res.json();
        expect(body.code).toBe('interviewer_not_independent');
        expect(body.errors[0].field).toBe('interviewerId');
        expect(body.detail).toMatch(/Pat Partner is a relationship partner for Northwind/);
        const onTeam = await lead.post('/api/v1/sessions', plan({ interviewerId: memberId }));
        expect(onTeam.json().code).toBe('interviewer_not_independent');
        expect(onTeam.json().detail).toMatch(/member of the relationship team/);
      });

      it('should refuse an override from someone who is not a programme lead', async () => {
        const res = await partner.post('/api/v1/sessions', plan({ interviewerId: memberId, independenceOverrideReason: 'I trust Mo' }));
        expect(res.statusCode).toBe(403);
        expect(res.json().detail).toMatch(/only a programme lead may override/);
      });

      it('should refuse an override without a reason', async () => {
        for (const reason of ['', '   ']) {
          const res = await lead.post('/api/v1/sessions', plan({ interviewerId: partnerId, independenceOverrideReason: reason }));
          expect(res.statusCode).toBe(400);
          expect(res.json().errors[0].field).toBe('independenceOverrideReason');
        }
      });

      it('should let a programme lead override with a reason, show it on the session and audit it', async () => {
        const res = await lead.post('/api/v1/sessions', plan({ interviewerId: partnerId, independenceOverrideReason: '  The client asked for Pat by name  ' }));
        expect(res.statusCode).toBe(201);
        const s = res.json();
        expect(s.independenceOverride).toEqual({ reason: 'The client asked for Pat by name', by: { id: leadId, name: 'Lena Lead' } });
        const audit = await auditFor(s.id);
        const override = audit.find((a) => a.action === 'session.independence_override');
        expect(override).toMatchObject({ actor_id: leadId, client_id: clientId });
        expect(JSON.parse(override?.changes ?? '{}').reason).toEqual([null, 'The client asked for Pat by name']);
      });

      it('should check independence again when the interviewer changes, and clear a stale override', async () => {
        const s = (await lead.post('/api/v1/sessions', plan())).json();
        const refused = await lead.patch(`/api/v1/sessions/${s.id}`, { interviewerId: partnerId });
        expect(refused.statusCode).toBe(409);
        expect(refused.json().code).toBe('interviewer_not_independent');
        expect((await lead.get(`/api/v1/sessions/${s.id}`)).json().interviewer.id).toBe(interviewerId);
        const overridden = await lead.patch(`/api/v1/sessions/${s.id}`, { interviewerId: partnerId, independenceOverrideReason: 'Only Pat speaks Finnish' });
        expect(overridden.statusCode).toBe(200);
        expect(overridden.json().independenceOverride.reason).toBe('Only Pat speaks Finnish');
        const back = await lead.patch(`/api/v1/sessions/${s.id}`, { interviewerId });
        expect(back.json().independenceOverride).toBeNull();
      });
    });

    describe('PATCH /api/v1/sessions/{id}', () => {
      it('should raise icsSequence when time, place or people change, and not otherwise', async () => {
        const s = (await lead.post('/api/v1/sessions', plan({ startsAt: '2026-05-01T10:00:00Z' }))).json();
        const steps: [Record<string, unknown>, number][] = [
          [{ objective: 'A sharper objective' }, 0],
          [{ agenda: 'New agenda' }, 0],
          [{ startsAt: '2026-05-02T10:00:00Z' }, 1],
          [{ startsAt: '2026-05-02T10:00:00Z' }, 1],
          [{ durationMinutes: 90 }, 2],
          [{ videoLink: 'https://teams.example.com/meet/2' }, 3],
          [{ format: 'in_person', location: 'Their office, 5th floor' }, 4],
          [{ contactIds: [contacts[0]?.id, contacts[1]?.id] }, 5],
          [{ attendeeIds: [memberId] }, 6],
          [{ attendeeIds: [memberId] }, 6],
        ];
        for (const [body, seq] of steps) {
          const res = await lead.patch(`/api/v1/sessions/${s.id}`, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(200);
          expect(res.json().icsSequence, JSON.stringify(body)).toBe(seq);
        }
        const detail = (await lead.get(`/api/v1/sessions/${s.id}`)).json();
        expect(detail).toMatchObject({ objective: 'A sharper objective', format: 'in_person', location: 'Their office, 5th floor', durationMinutes: 90 });
        expect(detail.contacts).toHaveLength(2);
        const update = (await auditFor(s.id)).filter((a) => a.action === 'session.update').at(-3);
        expect(JSON.parse(update?.changes ?? '{}').contactIds).toEqual([[contacts[0]?.id], [contacts[0]?.id, contacts[1]?.id].sort()]);
      });

      it('should check the format rules on the plan as it will be stored', async () => {
        const s = (await lead.post('/api/v1/sessions', plan())).json();
        const res = await lead.patch(`/api/v1/sessions/${s.id}`, { format: 'in_person' });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toBe('location');
        const cleared = await lead.patch(`/api/v1/sessions/${s.id}`, { videoPlatform: '' });
        expect(cleared.json().errors[0].field).toBe('videoPlatform');
        expect((await lead.patch(`/api/v1/sessions/${s.id}`, { format: 'phone', videoPlatform: null })).statusCode).toBe(200);
      });

      it('should refuse plan changes once the session took place', async () => {
        const s = await buildSession(ctx, { clientId, interviewerId });
        await advanceSession(ctx, s.id, 'completed');
        const res = await lead.patch(`/api/v1/sessions/${s.id}`, { objective: 'Too late' });
        expect(res.statusCode).toBe(409);
        expect(res.json().detail).toMatch(/completed session can no longer be changed/);
        expect((await lead.get(`/api/v1/sessions/${s.id}`)).json().abilities.update).toBe(false);
      });

      it('should let the interviewer change the plan but not a member of the team who is not interviewing', async () => {
        const s = await buildSession(ctx, { clientId, interviewerId });
        expect((await interviewer.patch(`/api/v1/sessions/${s.id}`, { agenda: 'Interviewer’s agenda' })).statusCode).toBe(200);
        expect((await member.patch(`/api/v1/sessions/${s.id}`, { agenda: 'Member’s agenda' })).statusCode).toBe(403);
        expect((await outsider.patch(`/api/v1/sessions/${s.id}`, { agenda: 'x' })).statusCode).toBe(404);
      });
    });

    describe('POST /api/v1/sessions/{id}/status', () => {
      it('should refuse transitions out of order with the allowed ones named', async () => {
        const s = await buildSession(ctx, { clientId, interviewerId });
        const skip = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'completed' });
        expect(skip.statusCode).toBe(409);
        expect(skip.json().code).toBe('invalid_transition');
        expect(skip.json().detail).toBe('status: a planned session cannot become completed; it can become scheduled or cancelled');
        const same = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'planned' });
        expect(same.statusCode).toBe(409);
      });

      it('should send summary statuses to the summary endpoints', async () => {
        const s = await buildSession(ctx, { clientId, interviewerId });
        const res = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'summary_drafted' });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toBe('status');
        expect(res.json().detail).toMatch(/summary endpoints/);
      });

      it('should require a start time to schedule and a reason to cancel', async () => {
        const s = await buildSession(ctx, { clientId, interviewerId });
        const unscheduled = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'scheduled' });
        expect(unscheduled.statusCode).toBe(409);
        expect(unscheduled.json().errors[0].field).toBe('startsAt');
        const noReason = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'cancelled', reason: '  ' });
        expect(noReason.statusCode).toBe(400);
        expect(noReason.json().errors[0].field).toBe('reason');
        expect((await lead.get(`/api/v1/sessions/${s.id}`)).json().status).toBe('planned');
      });

      it('should walk planned → scheduled → completed, recording when, and audit each step', async () => {
        const s = await buildSession(ctx, { clientId, interviewerId, startsAt: '2026-06-01T08:00:00Z' });
        const scheduled = await interviewer.post(`/api/v1/sessions/${s.id}/status`, { status: 'scheduled' });
        expect(scheduled.statusCode).toBe(200);
        expect(scheduled.json()).toMatchObject({ status: 'scheduled', nextStatuses: ['completed', 'cancelled'], completedAt: null });
        const completed = await interviewer.post(`/api/v1/sessions/${s.id}/status`, { status: 'completed' });
        expect(completed.json().status).toBe('completed');
        expect(Date.parse(completed.json().completedAt)).toBeGreaterThan(Date.now() - 60_000);
        expect(completed.json().nextStatuses).toEqual([]);
        const actions = (await auditFor(s.id)).map((a) => a.action);
        expect(actions).toEqual(['session.create', 'session.schedule', 'session.complete']);
        const cancel = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'cancelled', reason: 'x' });
        expect(cancel.json().detail).toMatch(/a completed session cannot become cancelled/);
      });

      it('should cancel with a reason, keep it, and make the state final', async () => {
        const s = await buildSession(ctx, { clientId, interviewerId });
        expect((await member.post(`/api/v1/sessions/${s.id}/status`, { status: 'cancelled', reason: 'nope' })).statusCode).toBe(403);
        const res = await partner.post(`/api/v1/sessions/${s.id}/status`, { status: 'cancelled', reason: 'The GC is on leave until autumn' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'cancelled', cancelReason: 'The GC is on leave until autumn', icsSequence: 1, nextStatuses: [] });
        const again = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'scheduled' });
        expect(again.json().detail).toBe('status: a cancelled session cannot become scheduled; it can become nothing: it is final');
        const audit = (await auditFor(s.id)).at(-1);
        expect(audit?.action).toBe('session.cancel');
        expect(JSON.parse(audit?.changes ?? '{}').cancelReason).toEqual([null, 'The GC is on leave until autumn']);
      });
    });

    describe('GET /api/v1/sessions', () => {
      let listClientId: string;
      const ids: Record<string, string> = {};
      beforeAll(async () => {
        const c = await buildClientWithTeam(ctx, { name: 'List Co', partnerIds: [partnerId] });
        listClientId = c.client.id;
        const mk = async (key: string, startsAt: string | null, who = interviewerId, attendeeIds: string[] = []) => {
          const s = await buildSession(ctx, {
            clientId: listClientId,
            interviewerId: who,
            startsAt,
            attendeeIds,
            contactIds: c.contacts.map((x) => x.id),
            objective: `List ${key}`,
          });
          ids[key] = s.id;
        };
        await mk('march', '2026-03-10T09:00:00Z');
        await mk('january', '2026-01-15T09:00:00Z', otherInterviewerId, [partnerId]);
        await mk('undated', null);
        await mk('february', '2026-02-20T23:30:00Z', otherInterviewerId);
        await advanceSession(ctx, ids.february as string, 'scheduled');
      });
      const listed = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);

      it('should order by start time, undated last, and page with a cursor', async () => {
        const first = await lead.get(`/api/v1/sessions?clientId=${listClientId}&limit=2&total=true`);
        expect(first.statusCode).toBe(200);
        expect(listed(first)).toEqual([ids.january, ids.february]);
        expect(first.json().total).toBe(4);
        const second = await lead.get(`/api/v1/sessions?clientId=${listClientId}&limit=2&cursor=${first.json().nextCursor}`);
        expect(listed(second)).toEqual([ids.march, ids.undated]);
        expect(second.json().nextCursor).toBeNull();
        const desc = await lead.get(`/api/v1/sessions?clientId=${listClientId}&order=desc&limit=3`);
        expect(listed(desc)).toEqual([ids.undated, ids.march, ids.february]);
        const desc2 = await lead.get(`/api/v1/sessions?clientId=${listClientId}&order=desc&limit=3&cursor=${desc.json().nextCursor}`);
        expect(listed(desc2)).toEqual([ids.january]);
      });

      it('should find sessions by the client’s name, case-insensitively, with wildcards taken literally', async () => {
        const found = await lead.get(`/api/v1/sessions?q=${encodeURIComponent('list c')}`);
        expect(listed(found)).toEqual([ids.january, ids.february, ids.march, ids.undated]);
        expect(found.json().items[0]).toMatchObject({ client: { name: 'List Co' }, programme: null });
        expect(listed(await lead.get(`/api/v1/sessions?q=${encodeURIComponent('List%')}`))).toEqual([]);
      });

      it('should filter by status, interviewer, dates and mine', async () => {
        expect(listed(await lead.get(`/api/v1/sessions?clientId=${listClientId}&status=scheduled`))).toEqual([ids.february]);
        expect(listed(await lead.get(`/api/v1/sessions?clientId=${listClientId}&status=planned,scheduled`))).toHaveLength(4);
        expect(listed(await lead.get(`/api/v1/sessions?clientId=${listClientId}&interviewerId=${otherInterviewerId}`))).toEqual([ids.january, ids.february]);
        expect(listed(await lead.get(`/api/v1/sessions?clientId=${listClientId}&from=2026-02-01&to=2026-02-20`))).toEqual([ids.february]);
        expect(listed(await lead.get(`/api/v1/sessions?clientId=${listClientId}&from=2026-02-21`))).toEqual([ids.march]);
        expect(listed(await interviewer.get(`/api/v1/sessions?clientId=${listClientId}&mine=true`))).toEqual([ids.march, ids.undated]);
        expect(listed(await partner.get(`/api/v1/sessions?clientId=${listClientId}&mine=true`))).toEqual([ids.january]);
        const item = (await lead.get(`/api/v1/sessions?clientId=${listClientId}&status=scheduled`)).json().items[0];
        expect(item).toMatchObject({
          status: 'scheduled',
          client: { id: listClientId, name: 'List Co' },
          objective: 'List february',
          interviewer: { id: otherInterviewerId, name: 'Exa External' },
          contactCount: 1,
          remarkCount: 0,
        });
      });

      it('should name bad filters', async () => {
        const cases: [string, string][] = [
          ['status=happy', 'status'],
          ['from=01-02-2026', 'from'],
          ['from=2026-03-01&to=2026-02-01', 'to'],
          ['cursor=garbage', 'cursor'],
          ['mine=yes', 'mine'],
          ['limit=0', 'limit'],
        ];
        for (const [q, field] of cases) {
          const res = await lead.get(`/api/v1/sessions?${q}`);
          expect(res.statusCode, q).toBe(400);
          expect(res.json().errors[0].field, q).toBe(field);
        }
      });

      it('should show a partner only the sessions of clients on whose team they are, and an interviewer theirs', async () => {
        expect(listed(await partner.get(`/api/v1/sessions?clientId=${listClientId}`))).toHaveLength(4);
        expect(listed(await outsider.get(`/api/v1/sessions?clientId=${listClientId}`))).toEqual([]);
        expect(listed(await member.get(`/api/v1/sessions?clientId=${listClientId}`))).toEqual([]);
        // The interviewer (a member off the team) sees the sessions they interview and no others.
        expect(listed(await interviewer.get(`/api/v1/sessions?clientId=${listClientId}`))).toEqual([ids.march, ids.undated]);
      });
    });

    it('should answer 404 for an unknown session on every route', async () => {
      const missing = '01900000-0000-7000-8000-000000000000';
      const responses = await Promise.all([
        lead.get(`/api/v1/sessions/${missing}`),
        lead.patch(`/api/v1/sessions/${missing}`, { agenda: 'x' }),
        lead.post(`/api/v1/sessions/${missing}/status`, { status: 'scheduled' }),
        lead.get(`/api/v1/sessions/${missing}/invite.ics`),
        lead.get(`/api/v1/sessions/${missing}/remarks`),
        lead.put(`/api/v1/sessions/${missing}/scores`, { nps: 5 }),
        lead.put(`/api/v1/sessions/${missing}/answers/how_going`, { notes: 'x', baseVersion: 0 }),
      ]);
      expect(responses.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    });
  });
}
