import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { buildInsight, themeId } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { buildAction } from './testing.js';
import type { YouSaidWeDidReport } from './you-said-we-did.js';
import { reportPeriod } from './you-said-we-did.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function docxText(body: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(body);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (!xml) {
    throw new Error('no word/document.xml');
  }
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
}

describe('reportPeriod', () => {
  it('should default to the twelve months up to today and refuse a reversed period', () => {
    expect(reportPeriod({}, new Date('2026-11-23T10:00:00Z'))).toEqual({ from: '2025-11-24', to: '2026-11-23' });
    expect(reportPeriod({ to: '2026-03-01' })).toEqual({ from: '2025-03-02', to: '2026-03-01' });
    expect(() => reportPeriod({ from: '2026-05-02', to: '2026-05-01' })).toThrow(/on or before/);
  });
});

for (const dialect of DIALECTS) {
  describe(`you said, we did (${dialect})`, () => {
    let t: TestApp;
    let lead: Caller;
    let teamMember: Caller;
    let offTeam: Caller;
    let outsider: Caller;
    let clientId: string;
    let walledId: string;
    let partner: User;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const sys = systemContext(t.database.db, 'test');
      partner = await buildUser(t, 'partner', { name: 'Rita Relationship' });
      const member = await buildUser(t, 'member', { name: 'Milo Member' });
      const other = await buildUser(t, 'member', { name: 'Otto Offteam' });
      const leadUser = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      const outsiderUser = await buildUser(t, 'partner', { name: 'Oscar Outsider' });
      lead = await signIn(t.app, leadUser.email);
      teamMember = await signIn(t.app, member.email);
      offTeam = await signIn(t.app, other.email);
      outsider = await signIn(t.app, outsiderUser.email);

      const { client, contacts } = await buildClientWithTeam(sys, {
        name: 'Zoë Holdings plc',
        partnerIds: [partner.id],
        memberIds: [member.id],
        contacts: ['Alice Attributed', 'Nina Nameless', 'Pia Private'],
      });
      clientId = client.id;
      walledId = (await buildClientWithTeam(sys, { walled: true, wallMemberIds: [partner.id], partnerIds: [partner.id] })).client.id;
      const [alice, nina, pia] = contacts.map((c) => c.id);
      const billing = await themeId(t.database.db, 'Fee predictability');
      const responsiveness = await themeId(t.database.db, 'Responsiveness');

      const attributable = await buildInsight(sys, {
        clientId,
        summary: 'Invoices arrive without warning',
        quote: 'We never know what is coming',
        contactId: alice,
        heardOn: daysAgo(40),
        themeIds: [billing],
      });
      await buildAction(sys, {
        clientId,
        ownerId: partner.id,
        insightId: attributable.id,
        title: 'Monthly fee forecast',
        after: { status: 'done', closureNote: 'Sent every first Monday' },
      });
      await buildAction(sys, { clientId, ownerId: partner.id, insightId: attributable.id, title: 'Fixed-fee pilot' });

      const anonymous = await buildInsight(sys, {
        clientId,
        type: 'idea',
        summary: 'A named associate would help',
        quote: 'One person we can always call',
        confidentiality: 'non_attributable',
        contactId: nina,
        heardOn: daysAgo(20),
        themeIds: [responsiveness],
      });
      await buildAction(sys, { clientId, ownerId: partner.id, insightId: anonymous.id, title: 'Named associate', after: { status: 'done' } });

      const secret = await buildInsight(sys, {
        clientId,
        type: 'risk',
        summary: 'Zanzibar considering other firms',
        quote: 'Quietly talking to Xylophone LLP',
        confidentiality: 'programme_only',
        contactId: pia,
        heardOn: daysAgo(10),
        themeIds: [responsiveness],
      });
      await buildAction(sys, {
        clientId,
        ownerId: partner.id,
        insightId: secret.id,
        title: 'Zebra retention plan',
        after: { status: 'done', closureNote: 'Quokka' },
      });

      // Heard, but nothing done about it yet: not a pair.
      await buildInsight(sys, { clientId, summary: 'Nothing done about this yet', heardOn: daysAgo(5) });
      // Praise: what they valued.
      await buildInsight(sys, { clientId, type: 'praise', summary: 'The deal team was superb', contactId: alice, heardOn: daysAgo(3) });
      // Outside the default period.
      const old = await buildInsight(sys, { clientId, summary: 'Long ago complaint', heardOn: daysAgo(500) });
      await buildAction(sys, { clientId, ownerId: partner.id, insightId: old.id, title: 'Old fix', after: { status: 'done' } });
    }, 120_000);
    afterAll(async () => t.close());

    it('should pair shareable feedback with what was done, by theme then date', async () => {
      const res = await teamMember.get(`/api/v1/clients/${clientId}/you-said-we-did`);
      expect(res.statusCode).toBe(200);
      const report = res.json() as YouSaidWeDidReport;
      expect(report.client).toEqual({ id: clientId, name: 'Zoë Holdings plc' });
      expect(report.period.to).toBe(daysAgo(0));
      expect(report.items.map((i) => [i.theme, i.youSaid.summary])).toEqual([
        ['Billing and value', 'Invoices arrive without warning'],
        ['Responsiveness', 'A named associate would help'],
      ]);
      const [billing, named] = report.items;
      expect(billing?.youSaid).toMatchObject({ quote: 'We never know what is coming', speaker: 'Alice Attributed', type: 'concern', heardOn: daysAgo(40) });
      expect(billing?.weDid).toEqual([expect.objectContaining({ title: 'Monthly fee forecast', status: 'done', closureNote: 'Sent every first Monday' })]);
      expect(billing?.weDid[0]?.closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(named?.youSaid).toMatchObject({ quote: 'One person we can always call', speaker: null, type: 'idea' });
      expect(report.inProgress).toEqual([
        expect.objectContaining({ theme: 'Billing and value', weDid: [expect.objectContaining({ title: 'Fixed-fee pilot', status: 'open' })] }),
      ]);
      expect(report.valued).toEqual([expect.objectContaining({ summary: 'The deal team was superb', speaker: 'Alice Attributed' })]);
    });

    it('should never show programme-only feedback nor an anonymous speaker, even to a programme lead', async () => {
      const json = await lead.get(`/api/v1/clients/${clientId}/you-said-we-did`);
      expect(json.statusCode).toBe(200);
      const docx = await lead.get(`/api/v1/clients/${clientId}/you-said-we-did.docx`);
      expect(docx.statusCode).toBe(200);
      expect(docx.headers['content-type']).toContain('wordprocessingml');
      expect(docx.headers['content-disposition']).toMatch(/^attachment; filename="you-said-we-did-Zoe-Holdings-plc-\d{4}-\d{2}-\d{2}\.docx"$/);
      const pdf = await lead.get(`/api/v1/clients/${clientId}/you-said-we-did.pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toMatch(/filename="you-said-we-did-Zoe-Holdings-plc-.*\.pdf"/);

      const texts = { json: json.body, docx: await docxText(docx.rawPayload), pdf: pdfText(pdf.rawPayload) };
      for (const [format, text] of Object.entries(texts)) {
        expect(text, format).toContain('Invoices arrive without warning');
        expect(text, format).toContain('Monthly fee forecast');
        expect(text, format).toContain('A named associate would help');
        expect(text, format).toContain('Alice Attributed');
        for (const secret of ['Zanzibar', 'Xylophone', 'Zebra', 'Quokka', 'Pia Private', 'Nina Nameless', 'Long ago complaint']) {
          expect(text, `${format}: ${secret}`).not.toContain(secret);
        }
      }
      for (const text of [texts.docx, texts.pdf]) {
        expect(text).toContain('You said, we did — Zoë Holdings plc');
        expect(text).toContain('What you valued');
        expect(text).toContain('The deal team was superb');
        expect(text).toContain('In progress');
      }
    });

    it('should follow the insight access rules', async () => {
      expect((await outsider.get(`/api/v1/clients/${walledId}/you-said-we-did`)).statusCode).toBe(404);
      expect((await outsider.get(`/api/v1/clients/${walledId}/you-said-we-did.pdf`)).statusCode).toBe(404);
      // On no team: insight.read is client_team for members and partners.
      expect((await offTeam.get(`/api/v1/clients/${clientId}/you-said-we-did`)).statusCode).toBe(403);
      expect((await offTeam.get(`/api/v1/clients/${clientId}/you-said-we-did.docx`)).statusCode).toBe(403);
      expect((await outsider.get(`/api/v1/clients/${clientId}/you-said-we-did`)).statusCode).toBe(403);
      expect((await lead.get(`/api/v1/clients/00000000-0000-7000-8000-000000000000/you-said-we-did`)).statusCode).toBe(404);
    });

    it('should give an empty but valid report for a period without feedback', async () => {
      const query = '?from=2020-01-01&to=2020-12-31';
      const res = await teamMember.get(`/api/v1/clients/${clientId}/you-said-we-did${query}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ period: { from: '2020-01-01', to: '2020-12-31' }, items: [], inProgress: [], valued: [] });
      const docx = await teamMember.get(`/api/v1/clients/${clientId}/you-said-we-did.docx${query}`);
      expect(docx.statusCode).toBe(200);
      expect(await docxText(docx.rawPayload)).toContain('There is no feedback with a completed action to report for this period.');
      const pdf = await teamMember.get(`/api/v1/clients/${clientId}/you-said-we-did.pdf${query}`);
      expect(pdf.statusCode).toBe(200);
      expect(pdfText(pdf.rawPayload)).toContain('1 January 2020 to 31 December 2020');
    });

    it('should name the bad field of a bad period', async () => {
      const reversed = await teamMember.get(`/api/v1/clients/${clientId}/you-said-we-did?from=2026-02-01&to=2026-01-01`);
      expect(reversed.statusCode).toBe(400);
      expect(JSON.stringify(reversed.json())).toContain('from');
      const garbage = await teamMember.get(`/api/v1/clients/${clientId}/you-said-we-did.pdf?to=yesterday`);
      expect(garbage.statusCode).toBe(400);
      expect(JSON.stringify(garbage.json())).toContain('to');
    });
  });
}
