import ICAL from 'ical.js';
import JSZip from 'jszip';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

/**
 * The listening journey of issue 3, in a real browser, as the people who do each step: the
 * programme lead proposes a client, the relationship partner accepts from the inbox, a session
 * with the partner as interviewer is refused and planned with an independent one, captured
 * (a reload mid-way loses nothing), summarised, reviewed and exported; the `.docx` opens and the
 * `.ics` parses with a real iCalendar parser. The partner never sees the programme-only remark.
 */

const run = Date.now().toString(36);
const PASSWORD = 'listening journey passphrase';
const clientName = `Ravensworth Holdings ${run}`;
const people = {
  lead: { email: `lead-${run}@firm.test`, name: `Olive Lead ${run}`, role: 'programme_lead' },
  partner: { email: `partner-${run}@firm.test`, name: `Percy Partner ${run}`, role: 'partner' },
  interviewer: { email: `interviewer-${run}@firm.test`, name: `Iris Interviewer ${run}`, role: 'external' },
} as const;
const SECRET = `board is unhappy ${run}`;
const NOTE = `They value the weekly call ${run}`;

async function expectAccessible(page: Page) {
  const violations = await seriousA11yViolations(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

/** A JSON call as the signed-in browser user (cookie session + CSRF token). */
async function api(request: APIRequestContext, method: 'get' | 'post' | 'put' | 'patch', path: string, data?: unknown) {
  const me = await request.get(`${baseUrl}/api/v1/me`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const res = await request[method](`${baseUrl}/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrfToken } });
  return { status: res.status(), body: res.headers()['content-type']?.includes('json') ? await res.json() : await res.text() };
}

describe.skipIf(!browserAvailable)('listening: programme, nomination, independent session, capture, summary, exports', () => {
  let browser: Browser;
  let adminPage: Page;
  let leadPage: Page;
  let partnerPage: Page;
  let interviewerPage: Page;
  const ids = { client: '', contact: '', programme: '', session: '', lead: '', partner: '', interviewer: '' };

  beforeAll(async () => {
    browser = await launchBrowser();
    adminPage = await newPage(browser);
    await signIn(adminPage);
    for (const [key, person] of Object.entries(people)) {
      const res = await api(adminPage.request, 'post', '/users', { ...person, password: PASSWORD });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[key as keyof typeof people] = (res.body as { user: { id: string } }).user.id;
    }
    const client = await api(adminPage.request, 'post', '/clients', { name: clientName, status: 'active', isKeyClient: true });
    expect(client.status).toBe(201);
    ids.client = (client.body as { id: string }).id;
    const team = await api(adminPage.request, 'put', `/clients/${ids.client}/team`, { members: [{ userId: ids.partner, teamRole: 'relationship_partner' }] });
    expect(team.status).toBe(200);
    const contact = await api(adminPage.request, 'post', `/clients/${ids.client}/contacts`, {
      name: 'Georgina Fell',
      preferredName: 'Gina',
      role: 'General Counsel',
      email: `gina-${run}@ravensworth.example`,
    });
    expect(contact.status).toBe(201);
    ids.contact = (contact.body as { id: string }).id;

    leadPage = await newPage(browser);
    await signIn(leadPage, people.lead.email, PASSWORD);
    partnerPage = await newPage(browser);
    await signIn(partnerPage, people.partner.email, PASSWORD);
    interviewerPage = await newPage(browser);
    await signIn(interviewerPage, people.interviewer.email, PASSWORD);
  }, 60_000);
  afterAll(async () => browser?.close());

  it('should let the programme lead open a programme and propose the client to its partner', async () => {
    const page = leadPage;
    const year = new Date().getUTCFullYear();
    const created = await api(page.request, 'post', '/programmes', {
      name: `Listening ${year} ${run}`,
      startsOn: `${year}-01-01`,
      endsOn: `${year}-12-31`,
      status: 'active',
      targetSessions: 4,
      targetKeyClientShare: 0.5,
      targetAtRiskShare: 0.25,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.programme = (created.body as { id: string }).id;

    await page.goto(`${baseUrl}/programmes/${ids.programme}`);
    await page.getByRole('heading', { name: `Listening ${year} ${run}` }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Propose clients' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Clients' }).fill(clientName.slice(0, 14));
    await page.getByRole('option', { name: new RegExp(clientName) }).click();
    // A multi-select stays open for the next pick; close it so it does not cover the form.
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Send to partners' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(clientName).first().waitFor();
  });

  it('should let the partner accept from the nominations inbox', async () => {
    const page = partnerPage;
    await page.goto(`${baseUrl}/nominations`);
    await page.getByRole('heading', { name: 'Nominations inbox' }).waitFor();
    await page.getByText(clientName).first().waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Yes' }).first().click();
    await expect
      .poll(async () => {
        const res = await api(leadPage.request, 'get', `/programmes/${ids.programme}/nominations`);
        return (res.body as { items: { status: string }[] }).items.map((n) => n.status);
      })
      .toEqual(['accepted']);
  });

  it('should refuse the relationship partner as interviewer and plan the session with an independent one', async () => {
    const page = leadPage;
    await page.goto(`${baseUrl}/sessions/new?clientId=${ids.client}&programmeId=${ids.programme}`);
    await page.getByRole('heading', { name: 'Plan a listening session' }).waitFor();
    await page.getByRole('textbox', { name: 'Objective' }).fill('Hear how the relationship is going after the merger');
    await page.getByRole('textbox', { name: 'Expectations' }).fill('Listening only: no pitch, no fee negotiation');
    const stakeholders = page.getByRole('combobox', { name: 'Client stakeholders' });
    await stakeholders.click();
    await page.getByRole('option', { name: /Georgina Fell/ }).click();
    await page.keyboard.press('Escape');
    await page.getByText('Phone', { exact: true }).click();

    const pickInterviewer = async (name: string) => {
      const field = page.getByRole('combobox', { name: 'Interviewer' });
      await field.fill(name.split(' ')[0] ?? name);
      await page.getByRole('option', { name: new RegExp(name) }).click();
    };
    await pickInterviewer(people.partner.name);
    await page.getByRole('button', { name: 'Save plan' }).click();
    // The API refuses: the partner is on the client's relationship team. Nothing is created.
    await page
      .getByText(/relationship team/i)
      .first()
      .waitFor();
    expect(await page.getByRole('combobox', { name: 'Interviewer' }).getAttribute('aria-invalid')).toBe('true');
    const none = await api(page.request, 'get', `/sessions?clientId=${ids.client}`);
    expect((none.body as { items: unknown[] }).items).toEqual([]);
    await expectAccessible(page);

    await pickInterviewer(people.interviewer.name);
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByRole('heading', { name: `Session with ${clientName}` }).waitFor();
    ids.session = new URL(page.url()).pathname.split('/')[2] ?? '';
    expect(ids.session).toMatch(/^[0-9a-f-]{36}$/);
    await expectAccessible(page);

    // Agree a date, then schedule from the session page.
    const dated = await api(page.request, 'patch', `/sessions/${ids.session}`, { startsAt: '2026-12-01T10:00:00.000Z' });
    expect(dated.status, JSON.stringify(dated.body)).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByRole('button', { name: 'Mark completed' }).waitFor();
  });

  it('should serve a calendar invite a real iCalendar parser reads, with a higher SEQUENCE after a reschedule', async () => {
    const read = async () => {
      const res = await leadPage.request.get(`${baseUrl}/api/v1/sessions/${ids.session}/invite.ics`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toMatch(/^text\/calendar/);
      const calendar = new ICAL.Component(ICAL.parse(await res.text()));
      const event = calendar.getFirstSubcomponent('vevent');
      if (!event) {
        throw new Error('no VEVENT in the invite');
      }
      return { calendar, event };
    };
    const first = await read();
    expect(first.calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(String(first.event.getFirstPropertyValue('uid'))).toContain(ids.session);
    const start = first.event.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.toJSDate().toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(String(first.event.getFirstPropertyValue('organizer'))).toContain(people.interviewer.email);
    const attendees = first.event.getAllProperties('attendee').map((p) => String(p.getFirstValue()));
    expect(attendees.some((a) => a.includes(`gina-${run}@ravensworth.example`))).toBe(true);

    const moved = await api(leadPage.request, 'patch', `/sessions/${ids.session}`, { startsAt: '2026-12-02T15:30:00.000Z' });
    expect(moved.status).toBe(200);
    const second = await read();
    expect(String(second.event.getFirstPropertyValue('uid'))).toBe(String(first.event.getFirstPropertyValue('uid')));
    expect(Number(second.event.getFirstPropertyValue('sequence'))).toBeGreaterThan(Number(first.event.getFirstPropertyValue('sequence') ?? 0));
  });

  it('should keep every word the interviewer typed across a reload, and a programme-only remark from the partner', async () => {
    const page = interviewerPage;
    await page.goto(`${baseUrl}/sessions/${ids.session}/capture`);
    await page.getByRole('heading', { name: `Capture: ${clientName}` }).waitFor();
    await expectAccessible(page);
    const notes = page.getByRole('textbox', { name: 'How is the relationship with the firm going, in your own words?' });
    // The network is down while they type, and they reload: the draft kept on this device survives.
    const answers = '**/api/v1/sessions/*/answers/**';
    await page.route(answers, (route) => route.abort('internetdisconnected'));
    await notes.fill(NOTE);
    await page
      .locator('#notes-status-how_going')
      .getByText(/on this device/)
      .waitFor();
    await page.reload();
    await page.getByRole('heading', { name: `Capture: ${clientName}` }).waitFor();
    await page.unroute(answers);
    await expect.poll(() => notes.inputValue()).toBe(NOTE);
    // And it reaches the server.
    await expect
      .poll(async () => {
        const session = (await api(page.request, 'get', `/sessions/${ids.session}`)).body as { answers: { questionKey: string; notes: string }[] };
        return session.answers.find((a) => a.questionKey === 'how_going')?.notes;
      })
      .toBe(NOTE);

    await page.getByRole('radiogroup', { name: 'Likelihood to recommend (NPS)' }).getByText('9', { exact: true }).click();
    await page.getByRole('textbox', { name: 'New remark' }).fill(`Between us: the ${SECRET}`);
    await page.getByRole('radiogroup', { name: 'Confidentiality' }).getByText('Programme only', { exact: true }).click();
    await page.getByRole('button', { name: 'Add remark' }).click();
    await page.getByRole('textbox', { name: 'New remark' }).fill('Your weekly call is the best thing about working with you');
    // The form keeps the last confidentiality chosen; this one may be quoted.
    await page.getByRole('radiogroup', { name: 'Confidentiality' }).getByText('Attributable', { exact: true }).click();
    await page.getByRole('button', { name: 'Add remark' }).click();
    await expect.poll(async () => ((await api(page.request, 'get', `/sessions/${ids.session}/remarks`)).body as { items: unknown[] }).items.length).toBe(2);
    await expect.poll(async () => ((await api(page.request, 'get', `/sessions/${ids.session}`)).body as { scores: { nps: number | null } }).scores.nps).toBe(9);

    const lead = await api(leadPage.request, 'get', `/sessions/${ids.session}`);
    expect(JSON.stringify(lead.body)).toContain(SECRET);
    const partner = await api(partnerPage.request, 'get', `/sessions/${ids.session}`);
    expect(partner.status).toBe(200);
    expect(JSON.stringify(partner.body)).not.toContain(SECRET);
    await partnerPage.goto(`${baseUrl}/sessions/${ids.session}`);
    await partnerPage.getByRole('heading', { name: `Session with ${clientName}` }).waitFor();
    await partnerPage.getByText('Your weekly call is the best thing').waitFor();
    expect(await partnerPage.getByText(SECRET).count()).toBe(0);
  });

  it('should complete the session, draft, review and export a summary without the programme-only remark', async () => {
    const page = leadPage;
    await page.goto(`${baseUrl}/sessions/${ids.session}`);
    await page.getByRole('button', { name: 'Mark completed' }).click();
    await page
      .getByRole('link', { name: /summary/i })
      .first()
      .click();
    await page.waitForURL(/\/summary$/);
    await page.getByRole('button', { name: 'Build draft from capture' }).click();
    await page.getByRole('button', { name: 'Mark reviewed' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Mark reviewed' }).click();
    await expect.poll(async () => ((await api(page.request, 'get', `/sessions/${ids.session}`)).body as { status: string }).status).toBe('summary_reviewed');

    const docx = await page.request.get(`${baseUrl}/api/v1/sessions/${ids.session}/summary.docx`);
    expect(docx.status()).toBe(200);
    expect(docx.headers()['content-disposition']).toMatch(/attachment; filename=.*\.docx/);
    const zip = await JSZip.loadAsync(await docx.body());
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml']));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain(clientName);
    expect(xml).toContain('Your weekly call is the best thing about working with you');
    expect(xml).not.toContain(SECRET);

    const pdf = await page.request.get(`${baseUrl}/api/v1/sessions/${ids.session}/summary.pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
