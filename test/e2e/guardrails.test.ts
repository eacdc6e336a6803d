import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

const run = Date.now().toString(36);
const lead = { email: `checks-lead-${run}@hearken.test`, password: 'a programme lead passphrase' };
const clientName = `Sterling Mutual ${run}`;
const invoice = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'preferences', 'guardrails', 'fixtures', 'trips-every-rule.ledes.txt'));

async function expectNoSeriousA11yViolations(page: Page) {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

async function csrfOf(page: Page): Promise<string> {
  return ((await (await page.request.get(`${baseUrl}/api/v1/me`)).json()) as { csrfToken: string }).csrfToken;
}

describe.skipIf(!browserAvailable)('guardrails: a billing guideline, an invoice check, the message and plan checks', () => {
  let browser: Browser;
  let page: Page;
  let clientId = '';
  const withClient = () => `clientId=${clientId}&clientName=${encodeURIComponent(clientName)}`;

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

  it('should add a billing guideline through the quick add', async () => {
    await page.goto(`${baseUrl}/clients/${clientId}/preferences`);
    const statement = page.getByRole('textbox', { name: 'In their words' });
    await statement.waitFor();
    await page.getByRole('combobox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Billing and invoices' }).click();
    await page.getByRole('button', { name: 'Add a rule and where it came from' }).click();
    const phrases = page.getByRole('combobox', { name: 'Phrases they will not pay for' });
    await phrases.waitFor();
    await phrases.fill('review of file');
    await phrases.press('Enter');
    await statement.fill('We will not pay for review of file');
    await statement.press('Enter');
    await page.getByText('“We will not pay for review of file”').waitFor();
  });

  it('should upload an invoice on the Invoice check page and show the flagged line', async () => {
    await page.goto(`${baseUrl}/checks/invoice?${withClient()}`);
    await page.getByRole('heading', { name: 'Invoice check' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await page.locator('input[type="file"]').setInputFiles({ name: 'trips-every-rule.ledes.txt', mimeType: 'text/plain', buffer: invoice });
    await page.getByRole('button', { name: 'Check invoice' }).click();
    const findings = page.getByRole('table', { name: 'Findings' });
    await findings.waitFor();
    const row = findings.getByRole('row').filter({ hasText: 'Disallowed phrase "review of file"' });
    await expect(row.count()).resolves.toBe(1);
    expect(await row.textContent()).toContain('Line 3');
    expect(await row.textContent()).toContain('“We will not pay for review of file”');
    expect(await row.textContent()).toContain('520.00');
    await page.getByText('Lines checked').waitFor();
    await page.getByRole('button', { name: 'Print' }).waitFor();
    await expectNoSeriousA11yViolations(page);
  });

  it('should list a malformed file by line and field', async () => {
    await page.locator('input[type="file"]').setInputFiles({ name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from('LEDES1998B[]\nNOT|A|HEADER[]\n') });
    await page.getByRole('button', { name: 'Check invoice' }).click();
    await page.getByText('The file could not be read').waitFor();
    await expectNoSeriousA11yViolations(page);
  });

  it('should check a message and a plan, marking what the client avoids, accessibly', async () => {
    const headers = { 'X-CSRF-Token': await csrfOf(page) };
    for (const data of [
      {
        clientId,
        category: 'meetings_platforms',
        statement: 'We are a Teams shop',
        rule: { kind: 'meeting_platform', preferred: ['Microsoft Teams'], avoid: ['Zoom'] },
      },
      { clientId, category: 'vendors_brands', statement: 'Never a Chevy', rule: { kind: 'avoid_brands', brands: [{ name: 'Chevrolet', aliases: ['Chevy'] }] } },
    ]) {
      expect((await page.request.post(`${baseUrl}/api/v1/preferences`, { data, headers })).status()).toBe(201);
    }
    await page.goto(`${baseUrl}/checks/message?${withClient()}`);
    await page.getByRole('heading', { name: 'Message check' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('textbox', { name: 'Body' }).fill('Shall we meet on Zoom?');
    await page.getByRole('button', { name: 'Check message' }).click();
    await page.getByRole('heading', { name: /finding/ }).waitFor();
    expect(await page.locator('mark').first().textContent()).toBe('Zoom');
    await page.getByText('“We are a Teams shop”').first().waitFor();
    await expectNoSeriousA11yViolations(page);

    await page.goto(`${baseUrl}/checks/plan?${withClient()}`);
    await page.getByRole('heading', { name: 'Plan check' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('textbox', { name: 'Plan' }).fill('Dinner at the Savoy, then a Chevy from the airport');
    await page.getByRole('button', { name: 'Check plan' }).click();
    await page.getByRole('heading', { name: '1 match: Chevrolet' }).waitFor();
    expect(await page.locator('mark').first().textContent()).toBe('Chevy');
    await expectNoSeriousA11yViolations(page);
  });
});
