import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import type { Contact } from '../clients/schemas.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { putAnswer } from './capture.js';
import { advanceSession, buildClientWithTeam, buildSession } from './testing.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: listening session capture`, () => {
    let t: TestApp;
    let ctx: ServiceContext;
    let lead: Caller;
    let leadId: string;
    let interviewer: Caller;
    let interviewerId: string;
    let partner: Caller;
    let outsider: Caller;
    let clientId: string;
    let contacts: Contact[];
    let otherContact: Contact;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      ctx = systemContext(t.database.db, 'test');
      const leadUser = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      leadId = leadUser.id;
      lead = await signIn(t.app, leadUser.email);
      const iv = await buildUser(t, 'member', { name: 'Ivy Interviewer' });
      interviewerId = iv.id;
      interviewer = await signIn(t.app, iv.email);
      const p = await buildUser(t, 'partner', { name: 'Pat Partner' });
      partner = await signIn(t.app, p.email);
      outsider = await signIn(t.app, (await buildUser(t, 'partner')).email);
      const c = await buildClientWithTeam(ctx, { name: 'Capture Co', partnerIds: [p.id], contacts: ['Grace GC'] });
      clientId = c.client.id;
      contacts = c.contacts;
      otherContact = (await buildClientWithTeam(ctx, { name: 'Elsewhere' })).contacts[0] as Contact;
    });
    afterAll(async () => t?.close());

    async function scheduledSession() {
      const s = await buildSession(ctx, { clientId, interviewerId, contactIds: [contacts[0]?.id as string] });
      await advanceSession(ctx, s.id, 'scheduled');
      return s.id;
    }
    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();

    describe('PUT /api/v1/sessions/{id}/answers/{questionKey}', () => {
      it('should save notes, bump the version, and audit without copying the words', async () => {
        const id = await scheduledSession();
        const first = await interviewer.put(`/api/v1/sessions/${id}/answers/how_going`, { notes: 'Broadly happy; slow on small matters', baseVersion: 0 });
        expect(first.statusCode).toBe(200);
        expect(first.json()).toMatchObject({
          questionKey: 'how_going',
          notes: 'Broadly happy; slow on small matters',
          version: 1,
          updatedBy: { id: interviewerId },
        });
        const second = await interviewer.put(`/api/v1/sessions/${id}/answers/how_going`, {
          notes: 'Broadly happy; slow on small matters. Likes Pat.',
          baseVersion: 1,
        });
        expect(second.json().version).toBe(2);
        const detail = (await interviewer.get(`/api/v1/sessions/${id}`)).json();
        expect(detail.answers).toEqual([
          expect.objectContaining({ questionKey: 'how_going', notes: 'Broadly happy; slow on small matters. Likes Pat.', version: 2 }),
        ]);
        const audit = (await auditFor(id)).filter((a) => a.action === 'session.answer.save');
        expect(audit).toHaveLength(2);
        expect(JSON.parse(audit[1]?.changes ?? '{}')).toEqual({ 'answers.how_going.version': [1, 2] });
        expect(audit.map((a) => a.changes).join()).not.toContain('Likes Pat');
      });

      it('should treat the same save sent twice as one', async () => {
        const id = await scheduledSession();
        await interviewer.put(`/api/v1/sessions/${id}/answers/value`, { notes: 'Fair value', baseVersion: 0 });
        // The response to the first save was lost, so the web sends it again from version 0.
        const retry = await interviewer.put(`/api/v1/sessions/${id}/answers/value`, { notes: 'Fair value', baseVersion: 0 });
        expect(retry.statusCode).toBe(200);
        expect(retry.json().version).toBe(1);
        expect((await auditFor(id)).filter((a) => a.action === 'session.answer.save')).toHaveLength(1);
      });

      it('should refuse the second of two edits from the same version, returning the stored notes', async () => {
        const id = await scheduledSession();
        await interviewer.put(`/api/v1/sessions/${id}/answers/one_thing`, { notes: 'Start', baseVersion: 0 });
        // Two people (the interviewer and a programme lead) both editing version 1.
        const mine = await interviewer.put(`/api/v1/sessions/${id}/answers/one_thing`, { notes: 'Start — fewer surprises on bills', baseVersion: 1 });
        const theirs = await lead.put(`/api/v1/sessions/${id}/answers/one_thing`, { notes: 'Start — better handovers', baseVersion: 1 });
        expect(mine.statusCode).toBe(200);
        expect(theirs.statusCode).toBe(409);
        expect(theirs.headers['content-type']).toContain('application/problem+json');
        const problem = theirs.json();
        expect(problem.code).toBe('edit_conflict');
        expect(problem.current).toMatchObject({
          notes: 'Start — fewer surprises on bills',
          version: 2,
          updatedBy: { id: interviewerId, name: 'Ivy Interviewer' },
        });
        expect(typeof problem.current.updatedAt).toBe('string');
        // Nothing was overwritten; the loser can merge and save on top of the current version.
        const stored = (await lead.get(`/api/v1/sessions/${id}`)).json().answers[0];
        expect(stored.notes).toBe('Start — fewer surprises on bills');
        const merged = await lead.put(`/api/v1/sessions/${id}/answers/one_thing`, {
          notes: 'Start — fewer surprises on bills; better handovers',
          baseVersion: 2,
        });
        expect(merged.json()).toMatchObject({ version: 3, updatedBy: { id: leadId } });
      });

      it('should let exactly one of two simultaneous first saves win', async () => {
        const id = await scheduledSession();
        const results = await Promise.all([
          putAnswer(ctx, id, 'future_needs', { notes: 'A', baseVersion: 0 }).then(
            () => 'saved',
            (e: { code?: string }) => e.code,
          ),
          putAnswer(ctx, id, 'future_needs', { notes: 'B', baseVersion: 0 }).then(
            () => 'saved',
            (e: { code?: string }) => e.code,
          ),
        ]);
        expect(results.sort()).toEqual(['edit_conflict', 'saved']);
        const rows = await t.database.db.selectFrom('session_answers').selectAll().where('session_id', '=', id).execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]?.version).toBe(1);
      });

      it('should report a conflict on a first save when notes already exist, and a stale base on missing notes', async () => {
        const id = await scheduledSession();
        const res = await interviewer.put(`/api/v1/sessions/${id}/answers/what_works`, { notes: 'x', baseVersion: 4 });
        expect(res.statusCode).toBe(409);
        expect(res.json().current).toMatchObject({ notes: '', version: 0 });
      });

      it('should refuse a question that is not in the session’s guide version, and bad bodies', async () => {
        const id = await scheduledSession();
        const unknown = await interviewer.put(`/api/v1/sessions/${id}/answers/favourite_colour`, { notes: 'x', baseVersion: 0 });
        expect(unknown.statusCode).toBe(400);
        expect(unknown.json().errors[0].field).toBe('questionKey');
        const cases: [Record<string, unknown>, string][] = [
          [{ notes: 'x' }, 'baseVersion'],
          [{ notes: 'x', baseVersion: -1 }, 'baseVersion'],
          [{ notes: 'x', baseVersion: 1.5 }, 'baseVersion'],
          [{ baseVersion: 0 }, 'notes'],
          [{ notes: 'x'.repeat(50_001), baseVersion: 0 }, 'notes'],
        ];
        for (const [body, field] of cases) {
          const res = await interviewer.put(`/api/v1/sessions/${id}/answers/how_going`, body);
          expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
          expect(res.json().errors[0].field).toBe(field);
        }
      });

      it('should let only the interviewer and programme leads capture, and only while it is on or just held', async () => {
        const id = await scheduledSession();
        expect((await partner.put(`/api/v1/sessions/${id}/answers/how_going`, { notes: 'x', baseVersion: 0 })).statusCode).toBe(403);
        expect((await outsider.put(`/api/v1/sessions/${id}/answers/how_going`, { notes: 'x', baseVersion: 0 })).statusCode).toBe(404);
        const planned = await buildSession(ctx, { clientId, interviewerId });
        const early = await interviewer.put(`/api/v1/sessions/${planned.id}/answers/how_going`, { notes: 'x', baseVersion: 0 });
        expect(early.statusCode).toBe(409);
        expect(early.json().detail).toMatch(/scheduled, completed or has a draft summary; this session is only planned/);
        await lead.post(`/api/v1/sessions/${id}/status`, { status: 'completed' });
        expect((await interviewer.put(`/api/v1/sessions/${id}/answers/how_going`, { notes: 'after', baseVersion: 0 })).statusCode).toBe(200);
      });
    });

    describe('PUT /api/v1/sessions/{id}/scores', () => {
      it('should refuse scores out of range, naming each field, and write nothing', async () => {
        const id = await scheduledSession();
        const cases: [Record<string, unknown>, string][] = [
          [{ nps: 11 }, 'nps'],
          [{ nps: -1 }, 'nps'],
          [{ nps: 7.5 }, 'nps'],
          [{ nps: '9' }, 'nps'],
          [{ satisfaction: 0 }, 'satisfaction'],
          [{ satisfaction: 11 }, 'satisfaction'],
          [{ dimensions: { responsiveness: 6 } }, 'dimensions.responsiveness'],
          [{ dimensions: { responsiveness: 0 } }, 'dimensions.responsiveness'],
          [{ dimensions: { charm: 3 } }, 'dimensions.charm'],
          [{ colour: 3 }, 'colour'],
        ];
        for (const [body, field] of cases) {
          const res = await interviewer.put(`/api/v1/sessions/${id}/scores`, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        const detail = (await interviewer.get(`/api/v1/sessions/${id}`)).json();
        expect(detail.scores.nps).toBeNull();
        expect(detail.scores.dimensions.every((d: { score: number | null }) => d.score === null)).toBe(true);
      });

      it('should record, keep what is not sent, clear with null, and audit', async () => {
        const id = await scheduledSession();
        const first = await interviewer.put(`/api/v1/sessions/${id}/scores`, { nps: 9, satisfaction: 8, dimensions: { responsiveness: 4, value: 2 } });
        expect(first.statusCode).toBe(200);
        expect(first.json()).toMatchObject({ nps: 9, satisfaction: 8 });
        const score = (body: { dimensions: { key: string; score: number | null }[] }, key: string) => body.dimensions.find((d) => d.key === key)?.score;
        expect(score(first.json(), 'responsiveness')).toBe(4);
        expect(score(first.json(), 'value')).toBe(2);
        expect(score(first.json(), 'expertise')).toBeNull();
        const second = await interviewer.put(`/api/v1/sessions/${id}/scores`, { nps: 0, dimensions: { value: null, expertise: 5 } });
        expect(second.json()).toMatchObject({ nps: 0, satisfaction: 8 });
        expect(score(second.json(), 'responsiveness')).toBe(4);
        expect(score(second.json(), 'value')).toBeNull();
        expect(score(second.json(), 'expertise')).toBe(5);
        const audit = (await auditFor(id)).filter((a) => a.action === 'session.scores.update');
        expect(JSON.parse(audit[1]?.changes ?? '{}')).toEqual({ nps: [9, 0], 'dimensions.value': [2, null], 'dimensions.expertise': [null, 5] });
      });

      it('should refuse an inactive dimension but keep showing its past scores', async () => {
        const id = await scheduledSession();
        await interviewer.put(`/api/v1/sessions/${id}/scores`, { dimensions: { communication: 3 } });
        // Retiring a dimension is the guides module's; the flag is what this module reads.
        await t.database.db.updateTable('score_dimensions').set({ active: false }).where('key', '=', 'communication').execute();
        try {
          const res = await interviewer.put(`/api/v1/sessions/${id}/scores`, { dimensions: { communication: 4 } });
          expect(res.statusCode).toBe(400);
          expect(res.json().errors[0]).toEqual({ field: 'dimensions.communication', message: 'is no longer in use and takes no new scores' });
          const dims = (await interviewer.get(`/api/v1/sessions/${id}`)).json().scores.dimensions;
          expect(dims.find((d: { key: string }) => d.key === 'communication')).toEqual({
            key: 'communication',
            label: 'Communication',
            active: false,
            score: 3,
          });
          const fresh = await scheduledSession();
          const freshDims = (await interviewer.get(`/api/v1/sessions/${fresh}`)).json().scores.dimensions;
          expect(freshDims.map((d: { key: string }) => d.key)).not.toContain('communication');
        } finally {
          await t.database.db.updateTable('score_dimensions').set({ active: true }).where('key', '=', 'communication').execute();
        }
      });
    });

    describe('remarks', () => {
      it('should capture, edit and delete remarks, auditing their handling but not their words', async () => {
        const id = await scheduledSession();
        const created = await interviewer.post(`/api/v1/sessions/${id}/remarks`, {
          text: 'We may move the litigation work elsewhere',
          confidentiality: 'programme_only',
          speakerContactId: contacts[0]?.id,
          theme: 'risk',
        });
        expect(created.statusCode).toBe(201);
        const remark = created.json();
        expect(remark).toMatchObject({
          sessionId: id,
          confidentiality: 'programme_only',
          speaker: { contactId: contacts[0]?.id, name: 'Grace GC' },
          theme: 'risk',
          version: 1,
          createdBy: { id: interviewerId, name: 'Ivy Interviewer' },
        });
        const edited = await interviewer.patch(`/api/v1/sessions/${id}/remarks/${remark.id}`, { confidentiality: 'non_attributable', baseVersion: 1 });
        expect(edited.statusCode).toBe(200);
        expect(edited.json()).toMatchObject({ confidentiality: 'non_attributable', version: 2, text: 'We may move the litigation work elsewhere' });
        expect((await interviewer.get(`/api/v1/sessions/${id}/remarks`)).json().items).toHaveLength(1);
        expect((await interviewer.delete(`/api/v1/sessions/${id}/remarks/${remark.id}`)).statusCode).toBe(204);
        expect((await interviewer.get(`/api/v1/sessions/${id}/remarks`)).json().items).toEqual([]);
        const audit = await auditFor(remark.id);
        expect(audit.map((a) => a.action)).toEqual(['session.remark.create', 'session.remark.update', 'session.remark.delete']);
        expect(audit.every((a) => a.client_id === clientId)).toBe(true);
        const written = audit.map((a) => a.changes).join();
        expect(written).not.toContain('litigation');
        expect(written).not.toContain(contacts[0]?.id);
        expect(JSON.parse(audit[1]?.changes ?? '{}').confidentiality).toEqual(['programme_only', 'non_attributable']);
      });

      it('should refuse a stale edit with the stored remark', async () => {
        const id = await scheduledSession();
        const remark = (await interviewer.post(`/api/v1/sessions/${id}/remarks`, { text: 'Fees are fine' })).json();
        expect(remark.confidentiality).toBe('attributable');
        await lead.patch(`/api/v1/sessions/${id}/remarks/${remark.id}`, { text: 'Fees are fine for now', baseVersion: 1 });
        const stale = await interviewer.patch(`/api/v1/sessions/${id}/remarks/${remark.id}`, { text: 'Fees are fine, mostly', baseVersion: 1 });
        expect(stale.statusCode).toBe(409);
        expect(stale.json()).toMatchObject({
          code: 'edit_conflict',
          current: { text: 'Fees are fine for now', version: 2, confidentiality: 'attributable', updatedBy: { name: 'Lena Lead' } },
        });
      });

      it('should create a remark once when the same create is retried with its id', async () => {
        const id = await scheduledSession();
        const remarkId = '0190f2a4-8c3e-7b51-9a6d-2f4e8b1c7d30';
        const first = await interviewer.post(`/api/v1/sessions/${id}/remarks`, { id: remarkId, text: 'Said once' });
        const retry = await interviewer.post(`/api/v1/sessions/${id}/remarks`, { id: remarkId, text: 'Said once' });
        expect(first.statusCode).toBe(201);
        expect(retry.statusCode).toBe(201);
        expect(retry.json()).toMatchObject({ id: remarkId, text: 'Said once', version: 1 });
        const all = (await interviewer.get(`/api/v1/sessions/${id}/remarks`)).json().items as { id: string }[];
        expect(all.filter((r) => r.id === remarkId)).toHaveLength(1);

        const other = await scheduledSession();
        const reused = await interviewer.post(`/api/v1/sessions/${other}/remarks`, { id: remarkId, text: 'Elsewhere' });
        expect(reused.statusCode).toBe(409);
        expect(reused.json().errors[0].field).toBe('id');
        const notUuid = await interviewer.post(`/api/v1/sessions/${id}/remarks`, { id: 'not-a-uuid', text: 'x' });
        expect(notUuid.statusCode).toBe(400);
        expect(notUuid.json().errors[0].field).toBe('id');
      });

      it('should name bad remark fields', async () => {
        const id = await scheduledSession();
        const cases: [Record<string, unknown>, string][] = [
          [{}, 'text'],
          [{ text: '  ' }, 'text'],
          [{ text: 'x', confidentiality: 'secret' }, 'confidentiality'],
          [{ text: 'x', speakerContactId: otherContact.id }, 'speakerContactId'],
        ];
        for (const [body, field] of cases) {
          const res = await interviewer.post(`/api/v1/sessions/${id}/remarks`, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field).toBe(field);
        }
        const remark = (await interviewer.post(`/api/v1/sessions/${id}/remarks`, { text: 'ok' })).json();
        const noBase = await interviewer.patch(`/api/v1/sessions/${id}/remarks/${remark.id}`, { text: 'changed' });
        expect(noBase.json().errors[0].field).toBe('baseVersion');
        const otherSpeaker = await interviewer.patch(`/api/v1/sessions/${id}/remarks/${remark.id}`, { speakerContactId: otherContact.id, baseVersion: 1 });
        expect(otherSpeaker.json().errors[0].field).toBe('speakerContactId');
        expect((await interviewer.patch(`/api/v1/sessions/${id}/remarks/01900000-0000-7000-8000-000000000000`, { text: 'x', baseVersion: 1 })).statusCode).toBe(
          404,
        );
      });

      it('should not let a reader who may not capture write remarks', async () => {
        const id = await scheduledSession();
        expect((await partner.post(`/api/v1/sessions/${id}/remarks`, { text: 'x' })).statusCode).toBe(403);
        expect((await outsider.post(`/api/v1/sessions/${id}/remarks`, { text: 'x' })).statusCode).toBe(404);
        expect((await partner.get(`/api/v1/sessions/${id}/remarks`)).statusCode).toBe(200);
      });
    });
  });
}
