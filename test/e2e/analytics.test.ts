import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

const run = Date.now().toString(36);
const lead = { email: `analytics-lead-${run}@hearken.test`, password: 'an analytics lead passphrase', name: `Analytics Lead ${run}` };
const clientName = `Harrow Foundry ${run}`;
const actionTitle = `Send the revised fee proposal ${run}`;

async function expectNoSeriousA11yViolations(page: Page) {
  const v = await seriousA11yViolations(page);
  expect(v, JSON.stringify(v)).toEqual([]);
}

async function csrfOf(page: Page): Promise<string> {
  return ((await (await page.request.get(`${baseUrl}/api/v1/me`)).json()) as { csrfToken: string }).csrfToken;
}

const PAGES = [
  { path: '/analytics/nps', heading: 'NPS and satisfaction', nav: 'NPS' },
  { path: '/analytics/bias', heading: 'Sample bias', nav: 'Sample bias' },
  { path: '/analytics/participation', heading: 'Partner participation', nav: 'Participation' },
  { path: '/analytics/loop', heading: 'Closing the loop', nav: 'Closing the loop' },
  { path: '/analytics/retention', heading: 'Retention and growth', nav: 'Retention' },
];

describe.skipIf(!browserAvailable)('analytics dashboards: every page, empty states, a drill-down', () => {
  let browser: Browser;
  let page: Page;
  let leadId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminPage = await newPage(browser);
    await signIn(adminPage);
    const created = await adminPage.request.post(`${baseUrl}/api/v1/users`, {
      data: { email: lead.email, name: lead.name, role: 'programme_lead', password: lead.password },
      headers: { 'X-CSRF-Token': await csrfOf(adminPage) },
    });
    expect(created.status()).toBe(201);
    const body = (await created.json()) as { id?: string; user?: { id: string } };
    leadId = body.user?.id ?? body.id ?? '';
    expect(leadId).not.toBe('');
    await adminPage.context().close();
    page = await newPage(browser);
    await signIn(page, lead.email, lead.password);
    const csrf = await csrfOf(page);
    const client = await page.request.post(`${baseUrl}/api/v1/clients`, { data: { name: clientName }, headers: { 'X-CSRF-Token': csrf } });
    expect(client.status()).toBe(201);
    const clientId = ((await client.json()) as { id: string }).id;
    const action = await page.request.post(`${baseUrl}/api/v1/actions`, {
      data: { clientId, title: actionTitle, ownerId: leadId },
      headers: { 'X-CSRF-Token': csrf },
    });
    expect(action.status(), await action.text()).toBe(201);
  });
  afterAll(async () => browser?.close());

  it('should list the dashboards under Analytics and open each one accessibly', async () => {
    await page.goto(`${baseUrl}/analytics`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const p of PAGES) {
      await nav.getByRole('link', { name: p.nav, exact: true }).click();
      await page.getByRole('heading', { name: p.heading }).waitFor();
      expect(new URL(page.url()).pathname).toBe(p.path);
      await page.getByRole('status', { name: 'Loading' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Print' }).waitFor();
      await expectNoSeriousA11yViolations(page);
    }
  });

  it('should say plainly when there is nothing to count, keeping the filter in the URL', async () => {
    // Nobody has the new lead as a relationship partner, so every figure filtered by them is empty.
    await page.goto(`${baseUrl}/analytics/nps?partner=${leadId}`);
    await page.getByText('No answers yet').waitFor();
    await page.getByRole('combobox', { name: 'Partner' }).waitFor();
    expect(
      await page
        .getByRole('textbox', { name: 'Partner' })
        .or(page.getByRole('combobox', { name: 'Partner' }))
        .first()
        .inputValue(),
    ).toBe(lead.name);
    await expectNoSeriousA11yViolations(page);
    await page.goto(`${baseUrl}/analytics/bias?partner=${leadId}`);
    await page.getByText('No clients to compare').waitFor();
    await page.goto(`${baseUrl}/analytics/retention?partner=${leadId}`);
    await page.getByText('Nothing to show yet').waitFor();
    await expectNoSeriousA11yViolations(page);
  });

  it('should drill down from an owner’s number of actions to the action itself', async () => {
    await page.goto(`${baseUrl}/analytics/loop`);
    await page.getByRole('heading', { name: 'Actions by owner' }).waitFor();
    await page.getByRole('button', { name: `1 actions, ${lead.name}: show the records` }).click();
    const drawer = page.getByRole('dialog', { name: `Actions: ${lead.name}` });
    await drawer.getByRole('link', { name: actionTitle }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await drawer.getByRole('button', { name: 'Close' }).click();
    await drawer.waitFor({ state: 'detached' });
  });
});
