import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

/**
 * Closing the loop and finding it again (issue 4), in a real browser: a partner records a
 * concern and turns it into an action, closes it with a note, and the client's "you said, we
 * did" report pairs the two; a search from the header finds both with the words marked; a
 * member off the client's team finds nothing, and no count either.
 */

const run = Date.now().toString(36);
const PASSWORD = 'search journey passphrase';
const clientName = `Ottersby Shipping ${run}`;
const WORD = `kestrel${run}`;
const people = {
  partner: { email: `partner-${run}@firm.test`, name: `Pia Partner ${run}`, role: 'partner' },
  outsider: { email: `outsider-${run}@firm.test`, name: `Otto Outsider ${run}`, role: 'member' },
} as const;

async function expectAccessible(page: Page) {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

/** A JSON call as the signed-in browser user (cookie session + CSRF token). */
async function api(request: APIRequestContext, method: 'get' | 'post' | 'put' | 'patch', path: string, data?: unknown) {
  const me = await request.get(`${baseUrl}/api/v1/me`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const res = await request[method](`${baseUrl}/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrfToken } });
  return { status: res.status(), body: res.headers()['content-type']?.includes('json') ? await res.json() : await res.text() };
}

describe.skipIf(!browserAvailable)('search: record, act, close, report, find — and nothing for those without access', () => {
  let browser: Browser;
  let adminPage: Page;
  let partnerPage: Page;
  let outsiderPage: Page;
  const ids = { client: '', partner: '', outsider: '', insight: '', action: '' };

  beforeAll(async () => {
    browser = await launchBrowser();
    adminPage = await newPage(browser);
    await signIn(adminPage);
    for (const [key, person] of Object.entries(people)) {
      const res = await api(adminPage.request, 'post', '/users', { ...person, password: PASSWORD });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[key as keyof typeof people] = (res.body as { user: { id: string } }).user.id;
    }
    const client = await api(adminPage.request, 'post', '/clients', { name: clientName, status: 'active', isKeyClient: false });
    expect(client.status).toBe(201);
    ids.client = (client.body as { id: string }).id;
    const team = await api(adminPage.request, 'put', `/clients/${ids.client}/team`, { members: [{ userId: ids.partner, teamRole: 'relationship_partner' }] });
    expect(team.status).toBe(200);
    partnerPage = await newPage(browser);
    await signIn(partnerPage, people.partner.email, PASSWORD);
    outsiderPage = await newPage(browser);
    await signIn(outsiderPage, people.outsider.email, PASSWORD);
  }, 60_000);
  afterAll(async () => browser?.close());

  it('should let the partner record a concern, act on it and close the action', async () => {
    const themes = await api(partnerPage.request, 'get', '/themes?active=true');
    const themeId = (themes.body as { items: { id: string }[] }).items[0]?.id as string;
    const today = new Date().toISOString().slice(0, 10);
    const insight = await api(partnerPage.request, 'post', '/insights', {
      clientId: ids.client,
      type: 'concern',
      severity: 'medium',
      summary: `The ${WORD} invoices arrive without a breakdown`,
      quote: 'We cannot tell what we are paying for.',
      confidentiality: 'attributable',
      source: 'call',
      heardOn: today,
      themeIds: [themeId],
    });
    expect(insight.status, JSON.stringify(insight.body)).toBe(201);
    ids.insight = (insight.body as { id: string }).id;
    const action = await api(partnerPage.request, 'post', '/actions', {
      clientId: ids.client,
      title: `Itemise the ${WORD} invoices`,
      ownerId: ids.partner,
      priority: 'normal',
      insightId: ids.insight,
    });
    expect(action.status, JSON.stringify(action.body)).toBe(201);
    ids.action = (action.body as { id: string }).id;
    const closed = await api(partnerPage.request, 'patch', `/actions/${ids.action}`, {
      status: 'done',
      closureNote: 'Invoices now list each task and its hours.',
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  });

  it('should pair the concern with what was done in the "you said, we did" report', async () => {
    const page = partnerPage;
    await page.goto(`${baseUrl}/clients/${ids.client}/you-said-we-did`);
    await page.getByRole('heading', { name: `You said, we did — ${clientName}` }).waitFor();
    await page.getByText(`The ${WORD} invoices arrive without a breakdown`).first().waitFor();
    await page.getByText(`Itemise the ${WORD} invoices`).first().waitFor();
  });

  it('should find the insight and the action from the header search, the words marked', async () => {
    const page = partnerPage;
    // The client list binds "/" to its own name filter; elsewhere "/" reaches the header's search box.
    await page.goto(`${baseUrl}/problems`);
    await page.getByRole('heading', { name: 'Problems' }).first().waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('/');
    const box = page.getByRole('textbox', { name: 'Search insights, notes, check-ins, problems and actions' });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(`${WORD} invoices`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await page.getByText('2 results').waitFor();
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByRole('link', { name: `The ${WORD} invoices arrive without a breakdown` }).waitFor();
    await results.getByRole('link', { name: `Itemise the ${WORD} invoices` }).waitFor();
    expect(await results.locator('mark').filter({ hasText: WORD }).count()).toBeGreaterThanOrEqual(2);
    await expectAccessible(page);

    // Narrowed to actions, only the action is left.
    await page.goto(`${baseUrl}/search?q=${WORD}&kind=action`);
    await page.getByText('1 result').waitFor();
    await page.getByRole('link', { name: `Itemise the ${WORD} invoices` }).click();
    await page.waitForURL(new RegExp(`/actions\\?action=${ids.action}`));
  });

  it('should show someone off the client’s team nothing — not even a count', async () => {
    const page = outsiderPage;
    await page.goto(`${baseUrl}/search?q=${encodeURIComponent(`${WORD} invoices`)}`);
    await page.getByText('Nothing found').waitFor();
    expect(await page.getByText(/\d+ results?$/).count()).toBe(0);
    expect(await page.getByText(WORD).count()).toBe(0);
    await expectAccessible(page);
    const res = await api(page.request, 'get', `/search?q=${WORD}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], total: 0 });
  });
});
