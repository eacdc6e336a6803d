import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { buildAction } from '../actions/testing.js';
import { updateClient } from '../clients/clients.js';
import { createTeam } from '../firm/teams.js';
import { buildInsight } from '../insights/testing.js';
import { createProgramme, updateProgramme } from '../listening/programmes.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { npsLine, REPORT_HEADINGS } from './report-document.js';
import type { LoopAnalytics, NpsAnalytics } from './schemas.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/**
 * A small firm (NPS by hand):
 * - Ann (Corporate): Acme 9, Cobalt 10, Delta 7; Lostco lost, with two remarks heard before it left,
 *   one of them programme-only (the lead may read it, Ann may not).
 * - Bob (Disputes): Beta Industries 3; Walled Holdings, walled to Bob (not the lead).
 * Lead (firm-wide): 4 answers, 2 promoters, 1 passive, 1 detractor → NPS +25. Ann: 3 answers → +67.
 * Actions: Acme overdue (Ann), Beta done (Bob), and the loop's own follow-up of Beta's detractor answer
 * (Bob, open). Lead: 3 actions, closure 1/3 → 33%, 1 overdue. Ann: 1 action, closure 0%.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /api/v1/analytics/report.pdf`, () => {
    let t: TestApp;
    let lead: Caller;
    let ann: Caller;
    let external: Caller;
    let corporateId: string;
    const ids: Record<string, string> = {};
    let closeProgramme: () => Promise<void>;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const sys = systemContext(t.database.db, 'test');
      const l = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      lead = await signIn(t.app, l.email);
      ann = await signIn(t.app, a.email);
      external = await signIn(t.app, (await buildUser(t, 'external')).email);
      corporateId = (await createTeam(sys, { name: 'Corporate', kind: 'practice_group', memberIds: [a.id] })).id;
      await createTeam(sys, { name: 'Disputes', kind: 'practice_group', memberIds: [b.id] });
      const client = async (name: string, partnerId: string, extra: { walled?: boolean } = {}) =>
        (await buildClientWithTeam(sys, { name, partnerIds: [partnerId], contacts: [], ...(extra.walled && { walled: true, wallMemberIds: [partnerId] }) }))
          .client.id;
      ids.acme = await client('Acme Ltd', a.id);
      ids.cobalt = await client('Cobalt plc', a.id);
      ids.delta = await client('Delta LLP', a.id);
      ids.lostco = await client('Lostco Ltd', a.id);
      ids.beta = await client('Beta Industries', b.id);
      ids.walled = await client('Walled Holdings', b.id, { walled: true });

      for (const [key, nps] of [
        ['acme', 9],
        ['cobalt', 10],
        ['delta', 7],
        ['beta', 3],
      ] as const) {
        await buildCompletedSession(sys, { clientId: ids[key] as string, interviewerId: l.id, scores: { nps } });
      }
      await buildInsight(sys, { clientId: ids.lostco, summary: 'Fees keep rising without warning', heardOn: daysAgo(10) });
      await buildInsight(sys, { clientId: ids.lostco, summary: 'Talking quietly to a rival firm', confidentiality: 'programme_only', heardOn: daysAgo(5) });
      await updateClient(sys, ids.lostco, { status: 'lost' });
      await buildAction(sys, { clientId: ids.acme, ownerId: a.id, dueOn: daysAgo(3) });
      await buildAction(sys, { clientId: ids.beta, ownerId: b.id, after: { status: 'done', closureNote: 'Done' } });
      const leadCtx = { db: t.database.db, actor: { id: l.id, role: 'programme_lead' as const, name: l.name, email: l.email } };
      ids.programme = (await createProgramme(leadCtx, { name: 'Listening 2026', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'active' })).id;
      closeProgramme = async () => {
        await updateProgramme(leadCtx, ids.programme as string, { status: 'closed' });
      };
    });

    afterAll(async () => {
      await t?.close();
    });

    const report = async (who: Caller, query = '') => {
      const res = await who.get(`/api/v1/analytics/report.pdf${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return { res, text: pdfText(res.rawPayload) };
    };

    it('should send a PDF attachment with every section, the period, filters and reader on the cover', async () => {
      const { res, text } = await report(lead, `?practice=${corporateId}&from=2010-01-01&to=2035-12-31`);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="management-report-\d{4}-\d{2}-\d{2}\.pdf"$/);
      expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(text).toContain('Client listening: management report');
      expect(text).toContain('1 January 2010 to 31 December 2035');
      expect(text).toContain('Practice: Corporate');
      expect(text).toContain('Lena Lead');
      for (const heading of Object.values(REPORT_HEADINGS)) {
        expect(text).toContain(heading);
      }
      expect(text).toContain('Programme: Listening 2026.');
    });

    it('should show the lead what the lead may see, with the numbers of the JSON endpoints', async () => {
      const { text } = await report(lead);
      const nps = (await lead.get('/api/v1/analytics/nps?groupBy=practice')).json() as NpsAnalytics;
      // Hand-computed: 2 promoters (Acme 9, Cobalt 10), 1 passive, 1 detractor of 4 → +25; the walled client is not counted.
      expect(nps.overall).toMatchObject({ n: 4, promoters: 2, passives: 1, detractors: 1, nps: 25 });
      expect(text).toContain(npsLine(nps.overall));
      expect(text).toContain('NPS +25');
      expect(text).toContain('Corporate 3 +67');
      expect(text).toContain('Disputes 1 -100');
      const loop = (await lead.get('/api/v1/analytics/loop')).json() as LoopAnalytics;
      expect(loop.totals).toMatchObject({ actions: 3, done: 1, open: 2, overdue: 1 });
      expect(text).toContain('Actions created 3');
      expect(text).toContain('Closure rate 33% (1 done, 0 won’t do, 2 open)');
      expect(text).toContain('Overdue actions 1');
      // Clients and remarks only the lead may see: Bob's client, and the programme-only remark.
      expect(text).toContain('Beta Industries');
      expect(text).toContain('Lostco Ltd');
      expect(text).toContain('Fees keep rising without warning');
      expect(text).toContain('Talking quietly to a rival firm');
      expect(text).not.toContain('Walled Holdings');
    });

    it('should show a partner only their own clients and the remarks they may read', async () => {
      const { text } = await report(ann);
      expect(text).toContain('NPS +67');
      expect(text).toContain('Actions created 1');
      expect(text).toContain('Closure rate 0% (0 done, 0 won’t do, 1 open)');
      expect(text).toContain('Acme Ltd');
      expect(text).toContain('Lostco Ltd');
      expect(text).toContain('Fees keep rising without warning');
      expect(text).not.toContain('Talking quietly to a rival firm');
      expect(text).not.toContain('Beta Industries');
      expect(text).not.toContain('Walled Holdings');
      expect(text).not.toContain('Disputes');
    });

    it('should refuse bad filters naming the field, and readers without analytics', async () => {
      const reversed = await lead.get('/api/v1/analytics/report.pdf?from=2026-05-01&to=2026-01-01');
      expect(reversed.statusCode).toBe(400);
      expect(reversed.headers['content-type']).toContain('application/problem+json');
      expect(reversed.json().errors[0].field).toBe('from');
      const noTeam = await lead.get('/api/v1/analytics/report.pdf?practice=01900000-0000-7000-8000-000000000000');
      expect(noTeam.statusCode).toBe(400);
      expect(noTeam.json().errors[0].field).toBe('practice');
      const walled = await lead.get(`/api/v1/analytics/report.pdf?clientId=${ids.walled}`);
      expect(walled.statusCode).toBe(400);
      expect(walled.json().errors[0].field).toBe('clientId');
      const noProgramme = await lead.get('/api/v1/analytics/report.pdf?programmeId=01900000-0000-7000-8000-000000000000');
      expect(noProgramme.statusCode).toBe(400);
      expect(noProgramme.json().errors[0].field).toBe('programmeId');
      expect((await external.get('/api/v1/analytics/report.pdf')).statusCode).toBe(403);
    });

    it('should say so when there is no active programme to report participation for', async () => {
      const { text } = await report(lead, '?from=2001-01-01&to=2001-12-31');
      expect(text).toContain('Programme: Listening 2026.');
      await closeProgramme();
      const closed = await report(lead);
      expect(closed.text).toContain('There is no active listening programme you may see');
      expect(closed.text).not.toContain('Programme: Listening 2026.');
    });
  });
}
