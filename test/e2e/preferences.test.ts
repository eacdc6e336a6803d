import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

const run = Date.now().toString(36);
const lead = { email: `lead-${run}@hearken.test`, password: 'a programme lead passphrase' };
const clientName = `Meridian Motors ${run}`;

async function expectNoSeriousA11yViolations(page: Page) {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

async function csrfOf(page: Page): Promise<string> {
  return ((await (await page.request.get(`${baseUrl}/api/v1/me`)).json()) as { csrfToken: string }).csrfToken;
}

describe.skipIf(!browserAvailable)('preferences: quick add, the brief, the calendar feed', () => {
  let browser: Browser;
  let page: Page;
  let clientId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminPage = await newPage(browser);
    await signIn(adminPage);
    const created = await adminPage.request.post(`${baseUrl}/api/v1/users`, {
      data: { email: lead.email, name: `Lead ${run}`, role: 'programme_lead', password: lead.password },
      headers: { 'X-CSRF-Token': await csrfOf(adminPage) },
    });
    expect(created.status()).toBe(201);
    await adminPage.context().close();
    page = await newPage(browser);
    await signIn(page, lead.email, lead.password);
    const client = await page.request.post(`${baseUrl}/api/v1/clients`, { data: { name: clientName }, headers: { 'X-CSRF-Token': await csrfOf(page) } });
    expect(client.status()).toBe(201);
    clientId = ((await client.json()) as { id: string }).id;
  });
  afterAll(async () => browser?.close());

  it('should record a preference in seconds with Enter, and list it', async () => {
    await page.goto(`${baseUrl}/clients/${clientId}/preferences`);
    const statement = page.getByRole('textbox', { name: 'In their words' });
    await statement.waitFor();
    await expectNoSeriousA11yViolations(page);
    await statement.fill('Never a Chevy from the airport');
    await statement.press('Enter');
    await page.getByText('“Never a Chevy from the airport”').waitFor();
    expect(await statement.inputValue()).toBe('');
  });

  it('should take a structured rule from the quick add, and show it in the list', async () => {
    await page.getByRole('combobox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Names' }).click();
    await page.getByRole('button', { name: 'Add a rule and where it came from' }).click();
    const preferred = page.getByRole('textbox', { name: 'Name to use' });
    await preferred.waitFor();
    await preferred.fill('Kit');
    await expectNoSeriousA11yViolations(page);
    const statement = page.getByRole('textbox', { name: 'In their words' });
    await statement.fill('Call me Kit');
    await statement.press('Enter');
    await page.getByText('“Call me Kit”').waitFor();
    await page.getByText('Use “Kit”').waitFor();
  });

  it('should show the brief with Print, Word and PDF', async () => {
    await page.goto(`${baseUrl}/clients/${clientId}/brief`);
    await page.getByRole('heading', { name: `Client brief: ${clientName}` }).waitFor();
    await page.getByText('“Never a Chevy from the airport”').waitFor();
    for (const name of ['Print', 'Word', 'PDF']) {
      await page.getByRole('button', { name }).or(page.getByRole('link', { name })).first().waitFor();
    }
    await expectNoSeriousA11yViolations(page);
  });

  it('should create a calendar feed link shown once, which the feed accepts', async () => {
    await page.goto(`${baseUrl}/account`);
    await page.getByRole('button', { name: 'Create a feed link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Calendar feed link created' });
    const link = await dialog.getByRole('textbox', { name: 'Feed link' }).inputValue();
    expect(link).toContain('/api/v1/me/calendar.ics?token=');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Revoke' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    const feed = await fetch(link);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  });

  it('should list nothing to ask again and no reports due, accessibly', async () => {
    for (const path of ['/preferences/ask-again', '/reports-due']) {
      await page.goto(`${baseUrl}${path}`);
      await page
        .getByRole('heading', { level: 1 })
        .or(page.getByRole('heading', { level: 2 }))
        .first()
        .waitFor();
      await page
        .getByText(/Nothing to ask again|No reports due/)
        .first()
        .waitFor();
      await expectNoSeriousA11yViolations(page);
    }
  });
});
