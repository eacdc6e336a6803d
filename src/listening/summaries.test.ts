import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { updateContact } from '../clients/contacts.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { buildClientWithTeam, buildCompletedSession, buildSession } from './testing.js';

/** Distinctive words per confidentiality, so a leak anywhere is found by a plain search. */
const ATTRIBUTABLE = 'Invoices arrive late and the aardvark in finance notices.';
const NON_ATTRIBUTABLE = 'The bramble of approvals slows every deal.';
const PROGRAMME_ONLY = 'We are quietly tendering the panel, zanzibar confidential.';
const UNTHEMED = 'Partners should visit the quayside plant.';

for (const dialect of DIALECTS) {
  describe(`${dialect}: session summaries API`, () => {
    let t: TestApp;
    let sys: ServiceContext;
    let clientId: string;
    let contactIds: string[];
    const users: Record<string, { id: string; caller: Caller }> = {};

    const as = (who: string) => (users[who] as { caller: Caller }).caller;
    const id = (who: string) => (users[who] as { id: string }).id;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      sys = systemContext(t.database.db, 'test');
      const make = async (key: string, role: Parameters<typeof buildUser>[1], name: string) => {
        const u = await buildUser(t, role, { name });
        users[key] = { id: u.id, caller: await signIn(t.app, u.email) };
      };
      await make('lead', 'programme_lead', 'Lena Lead');
      await make('interviewer', 'member', 'Iris Independent');
      await make('partner', 'partner', 'Paul Partner');
      await make('teamMember', 'member', 'Mo Member');
      await make('otherPartner', 'partner', 'Olga Otherteam');
      await make('management', 'management', 'Max Management');
      await make('admin', 'admin', 'Ada Admin');
      await make('external', 'external', 'Eve External');
      const { client, contacts } = await buildClientWithTeam(sys, {
        name: 'Northwind Traders',
        partnerIds: [id('partner')],
        memberIds: [id('teamMember')],
        contacts: ['Margaret Oduya', 'Tom Lindqvist'],
      });
      clientId = client.id;
      contactIds = contacts.map((c) => c.id);
      await updateContact(sys, client.id, contactIds[0] as string, { preferredName: 'Megge' });
    });
    afterAll(async () => t?.close());

    /** A completed session with one remark of each confidentiality (each with a speaker) and notes. */
    const completedSession = async () => {
      const [megge, tom] = contactIds as [string, string];
      const session = await buildCompletedSession(sys, {
        clientId,
        interviewerId: id('interviewer'),
        contactIds,
        remarks: [
          { text: ATTRIBUTABLE, confidentiality: 'attributable', speakerContactId: megge, theme: 'Billing' },
          { text: NON_ATTRIBUTABLE, confidentiality: 'non_attributable', speakerContactId: tom, theme: 'Ways of working' },
          { text: PROGRAMME_ONLY, confidentiality: 'programme_only', speakerContactId: megge, theme: 'Billing' },
          { text: UNTHEMED, confidentiality: 'attributable', speakerContactId: null, theme: null },
        ],
        answers: { how_going: 'Strong on the quokka disposal.', one_thing: '- Fewer fee surprises\n- One named contact' },
      });
      return session.id;
    };
    const url = (sessionId: string, rest = '') => `/api/v1/sessions/${sessionId}/summary${rest}`;
    const draft = async (sessionId: string, who = 'interviewer') => {
      const res = await as(who).post(url(sessionId, '/draft'), {});
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const auditActions = async (sessionId: string) =>
      (await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', sessionId).orderBy('id').execute()).map((a) => a.action);

    describe('GET /api/v1/sessions/{id}/summary', () => {
      it('should require sign-in', async () => {
        const sessionId = await completedSession();
        expect((await anonymous(t.app).get(url(sessionId))).statusCode).toBe(401);
      });

      it('should show no summary before a draft, and say who may build it', async () => {
        const sessionId = await completedSession();
        const res = await as('interviewer').get(url(sessionId));
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          sessionId,
          status: 'completed',
          clientName: 'Northwind Traders',
          sessionDate: '2026-03-02',
          interviewer: { id: id('interviewer'), name: 'Iris Independent' },
          summary: null,
          version: 0,
          abilities: { draft: true, edit: true, review: false, share: false },
        });
        expect((await as('partner').get(url(sessionId))).json().abilities).toEqual({ draft: false, edit: false, review: false, share: false });
      });

      it('should let the client team, management and leads read it, and hide it from everyone else', async () => {
        const sessionId = await completedSession();
        for (const who of ['lead', 'interviewer', 'partner', 'teamMember', 'management']) {
          expect((await as(who).get(url(sessionId))).statusCode, who).toBe(200);
        }
        for (const who of ['otherPartner', 'admin', 'external']) {
          expect((await as(who).get(url(sessionId))).statusCode, who).toBe(404);
          expect((await as(who).get(url(sessionId, '.docx'))).statusCode, who).toBe(404);
        }
        expect((await as('lead').get(url('01900000-0000-7000-8000-000000000000'))).statusCode).toBe(404);
      });
    });

    describe('POST /api/v1/sessions/{id}/summary/draft', () => {
      it('should build the draft from shareable content only and move the session to summary drafted', async () => {
        const sessionId = await completedSession();
        const view = await draft(sessionId);
        expect(view).toMatchObject({ status: 'summary_drafted', version: 1 });
        const { summary } = view;
        expect(summary.thanks).toMatch(/^Thank you, Megge and Tom Lindqvist, for your time/);
        expect(summary.heard).toEqual([
          { theme: 'Billing', points: [`${ATTRIBUTABLE} (Megge)`] },
          { theme: 'Ways of working', points: [NON_ATTRIBUTABLE] },
          { theme: 'General', points: [UNTHEMED] },
          { theme: 'The relationship', points: ['Strong on the quokka disposal.', 'Fewer fee surprises', 'One named contact'] },
        ]);
        expect(summary.willDo.length).toBeGreaterThan(0);
        expect(summary.nextSteps.length).toBeGreaterThan(0);
        const text = JSON.stringify(summary);
        expect(text).not.toContain('zanzibar');
        expect(text).not.toContain('tendering');
        // Tom spoke in confidence: thanked as a participant, never named beside what he said.
        expect(JSON.stringify(summary.heard)).not.toMatch(/Tom|Lindqvist/);
        expect(await auditActions(sessionId)).toContain('session.summary.draft');
      });

      it('should leave programme-only content out even when the programme lead, who reads it, builds the draft', async () => {
        const sessionId = await completedSession();
        const stored = await t.database.db.selectFrom('session_remarks').select('text').where('session_id', '=', sessionId).execute();
        expect(stored.map((r) => r.text)).toContain(PROGRAMME_ONLY);
        const view = await draft(sessionId, 'lead');
        expect(JSON.stringify(view)).not.toContain('zanzibar');
        expect(JSON.stringify(view.summary.heard)).not.toMatch(/Tom|Lindqvist/);
      });

      it('should refuse those who may not capture the session', async () => {
        const sessionId = await completedSession();
        for (const who of ['partner', 'teamMember', 'management']) {
          expect((await as(who).post(url(sessionId, '/draft'), {})).statusCode, who).toBe(403);
        }
        expect((await as('otherPartner').post(url(sessionId, '/draft'), {})).statusCode).toBe(404);
        expect((await as('interviewer').get(url(sessionId))).json().summary).toBeNull();
      });

      it('should refuse a session that has not taken place', async () => {
        const planned = await buildSession(sys, { clientId, interviewerId: id('interviewer') });
        const res = await as('interviewer').post(url(planned.id, '/draft'), {});
        expect(res.statusCode).toBe(409);
        expect(res.json().detail).toContain('a planned session cannot become summary drafted');
      });

      it('should rebuild a draft, refusing when it was edited since the version the caller had', async () => {
        const sessionId = await completedSession();
        const first = await draft(sessionId);
        const edited = await as('interviewer').put(url(sessionId), { summary: { ...first.summary, thanks: 'Thanks, Megge.' }, baseVersion: 1 });
        expect(edited.json().version).toBe(2);
        const stale = await as('interviewer').post(url(sessionId, '/draft'), { baseVersion: 1 });
        expect(stale.statusCode).toBe(409);
        expect(stale.json()).toMatchObject({ code: 'edit_conflict', current: { version: 2, summary: { thanks: 'Thanks, Megge.' } } });
        const rebuilt = await as('interviewer').post(url(sessionId, '/draft'), { baseVersion: 2 });
        expect(rebuilt.json()).toMatchObject({ version: 3, status: 'summary_drafted' });
        expect(rebuilt.json().summary.thanks).toMatch(/^Thank you, Megge/);
      });
    });

    describe('PUT /api/v1/sessions/{id}/summary', () => {
      it('should save edits, and refuse a stale version with the current summary', async () => {
        const sessionId = await completedSession();
        const view = await draft(sessionId);
        const mine = { ...view.summary, willDo: ['Send a monthly fee forecast.'] };
        const saved = await as('interviewer').put(url(sessionId), { summary: mine, baseVersion: 1 });
        expect(saved.statusCode).toBe(200);
        expect(saved.json()).toMatchObject({ version: 2, summary: { willDo: ['Send a monthly fee forecast.'] } });
        const theirs = { ...view.summary, willDo: ['Something else entirely.'] };
        const conflict = await as('lead').put(url(sessionId), { summary: theirs, baseVersion: 1 });
        expect(conflict.statusCode).toBe(409);
        expect(conflict.headers['content-type']).toContain('application/problem+json');
        expect(conflict.json()).toMatchObject({ code: 'edit_conflict', current: { version: 2, summary: { willDo: ['Send a monthly fee forecast.'] } } });
        expect((await as('lead').get(url(sessionId))).json().summary.willDo).toEqual(['Send a monthly fee forecast.']);
        expect(await auditActions(sessionId)).toContain('session.summary.update');
      });

      it('should name each bad field', async () => {
        const sessionId = await completedSession();
        const { summary } = await draft(sessionId);
        const cases: [Record<string, unknown>, string][] = [
          [{ summary }, 'baseVersion'],
          [{ summary: { ...summary, heard: [{ theme: 'A', points: ['ok', '  '] }] }, baseVersion: 1 }, 'summary.heard.0.points.1'],
          [{ summary: { ...summary, heard: [{ theme: '', points: [] }] }, baseVersion: 1 }, 'summary.heard.0.theme'],
          [{ summary: { ...summary, willDo: 'do it' }, baseVersion: 1 }, 'summary.willDo'],
          [{ summary: { ...summary, secret: 'x' }, baseVersion: 1 }, 'summary.secret'],
          [{ summary: { ...summary, nextSteps: [''] }, baseVersion: 1 }, 'summary.nextSteps.0'],
        ];
        for (const [body, field] of cases) {
          const res = await as('interviewer').put(url(sessionId), body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
      });

      it('should let a completed session get a summary written from scratch', async () => {
        const sessionId = await completedSession();
        const summary = { thanks: 'Thank you.', heard: [], willDo: [], nextSteps: ['Meet again.'] };
        const res = await as('interviewer').put(url(sessionId), { summary, baseVersion: 0 });
        expect(res.json()).toMatchObject({ status: 'summary_drafted', version: 1, summary });
      });

      it('should refuse readers who may not capture', async () => {
        const sessionId = await completedSession();
        const { summary } = await draft(sessionId);
        expect((await as('partner').put(url(sessionId), { summary, baseVersion: 1 })).statusCode).toBe(403);
      });
    });

    describe('review and share', () => {
      it('should go drafted → reviewed → shared, with reviewer, date and channel recorded', async () => {
        const sessionId = await completedSession();
        const { summary } = await draft(sessionId);

        const early = await as('lead').post(url(sessionId, '/share'), { sharedOn: '2026-03-10', channel: 'email' });
        expect(early.statusCode).toBe(409);
        expect(early.json().detail).toContain('reviews the summary before it is shared');

        for (const who of ['interviewer', 'partner', 'management']) {
          expect((await as(who).post(url(sessionId, '/review'), {})).statusCode, who).toBe(403);
        }
        expect((await as('lead').post(url(sessionId, '/review'), { baseVersion: 0 })).json().code).toBe('edit_conflict');
        const reviewed = await as('lead').post(url(sessionId, '/review'), { baseVersion: 1 });
        expect(reviewed.statusCode).toBe(200);
        expect(reviewed.json()).toMatchObject({
          status: 'summary_reviewed',
          reviewedBy: { id: id('lead'), name: 'Lena Lead' },
          reviewedAt: expect.any(String),
        });
        expect((await as('lead').post(url(sessionId, '/review'), {})).statusCode).toBe(409);
        expect((await as('interviewer').post(url(sessionId, '/draft'), {})).statusCode).toBe(409);

        // Editing what was reviewed sends it back for review.
        const edited = await as('interviewer').put(url(sessionId), { summary: { ...summary, nextSteps: ['Call in June.'] }, baseVersion: 1 });
        expect(edited.json()).toMatchObject({ status: 'summary_drafted', reviewedBy: null, reviewedAt: null, version: 2 });
        expect((await as('lead').post(url(sessionId, '/review'), { baseVersion: 2 })).json().status).toBe('summary_reviewed');

        expect((await as('teamMember').post(url(sessionId, '/share'), { sharedOn: '2026-03-10', channel: 'email' })).statusCode).toBe(403);
        const bad: [Record<string, unknown>, string][] = [
          [{ sharedOn: '10/03/2026', channel: 'email' }, 'sharedOn'],
          [{ sharedOn: '2026-03-10', channel: 'carrier pigeon' }, 'channel'],
          [{ sharedOn: '2999-01-01', channel: 'email' }, 'sharedOn'],
          [{ channel: 'email' }, 'sharedOn'],
        ];
        for (const [body, field] of bad) {
          const res = await as('partner').post(url(sessionId, '/share'), body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field).toBe(field);
        }
        const shared = await as('partner').post(url(sessionId, '/share'), { sharedOn: '2026-03-10', channel: 'meeting' });
        expect(shared.statusCode).toBe(200);
        expect(shared.json()).toMatchObject({ status: 'summary_shared', sharedOn: '2026-03-10', sharedChannel: 'meeting' });

        // Shared is final: no more edits, drafts, reviews or shares.
        const late = await as('interviewer').put(url(sessionId), { summary, baseVersion: 2 });
        expect(late.statusCode).toBe(409);
        expect(late.json().detail).toContain('shared with the client');
        expect((await as('lead').post(url(sessionId, '/share'), { sharedOn: '2026-03-11', channel: 'email' })).statusCode).toBe(409);
        expect(await auditActions(sessionId)).toEqual(expect.arrayContaining(['session.summary.review', 'session.summary.share']));
      });

      it('should not let a partner who is not the relationship partner share', async () => {
        const sessionId = await completedSession();
        await draft(sessionId);
        await as('lead').post(url(sessionId, '/review'), {});
        expect((await as('otherPartner').post(url(sessionId, '/share'), { sharedOn: '2026-03-10', channel: 'email' })).statusCode).toBe(404);
        expect((await as('lead').post(url(sessionId, '/share'), { sharedOn: '2026-03-10', channel: 'portal' })).json().status).toBe('summary_shared');
      });
    });

    describe('GET /api/v1/sessions/{id}/summary.docx and .pdf', () => {
      it('should refuse with a clear message while there is no summary', async () => {
        const sessionId = await completedSession();
        for (const ext of ['.docx', '.pdf']) {
          const res = await as('partner').get(url(sessionId, ext));
          expect(res.statusCode).toBe(409);
          expect(res.json().detail).toContain('no summary yet');
        }
      });

      it('should export a Word document with the summary and nothing said in confidence', async () => {
        const sessionId = await completedSession();
        await draft(sessionId);
        const res = await as('partner').get(url(sessionId, '.docx'));
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
        expect(res.headers['content-disposition']).toBe('attachment; filename="listening-summary-Northwind-Traders-2026-03-02.docx"');
        const zip = await JSZip.loadAsync(res.rawPayload);
        const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
        for (const expected of [
          'Northwind Traders',
          'Iris Independent',
          '2 March 2026',
          'aardvark in finance',
          'bramble of approvals',
          'quokka disposal',
          'What we will do',
        ]) {
          expect(xml).toContain(expected);
        }
        expect(xml).not.toContain('zanzibar');
        expect(xml).not.toContain('Lindqvist)');
      });

      it('should export a PDF with the summary and nothing said in confidence', async () => {
        const sessionId = await completedSession();
        await draft(sessionId);
        const res = await as('management').get(url(sessionId, '.pdf'));
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="listening-summary-Northwind-Traders-2026-03-02\.pdf"$/);
        expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        const text = pdfText(res.rawPayload);
        for (const expected of ['Northwind Traders', 'interviewed by Iris Independent', ATTRIBUTABLE, NON_ATTRIBUTABLE, 'Strong on the quokka disposal.']) {
          expect(text).toContain(expected);
        }
        expect(text).not.toContain('zanzibar');
      });
    });
  });
}
