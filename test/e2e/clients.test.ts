import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

/** Names unique to this run, so the journey does not depend on what other test files created. */
const run = Date.now().toString(36);
const clientName = `Halden Shipping ${run}`;

async function expectNoSeriousA11yViolations(page: Page) {
  // A notification or modal still fading in has text at part opacity, which axe reads as low contrast.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  const violations = await seriousA11yViolations(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

/** The client names in the list, top to bottom. */
function listedNames(page: Page): Promise<string[]> {
  return page.locator('table tbody tr td:first-child a').allTextContents();
}

/** Creates a client through the API as the signed-in browser user (cookie session + CSRF token). */
async function createClientViaApi(page: Page, body: { name: string; status?: string; annualFees?: number }) {
  const me = await page.request.get(`${baseUrl}/api/v1/me`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const res = await page.request.post(`${baseUrl}/api/v1/clients`, { data: body, headers: { 'X-CSRF-Token': csrfToken } });
  expect(res.status()).toBe(201);
}

describe.skipIf(!browserAvailable)('clients: list, form, client page', () => {
  let browser: Browser;
  let page: Page;
  let clientPath = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page);
  });
  afterAll(async () => browser?.close());

  it('should refuse a client without a name inline, and create nothing', async () => {
    await page.goto(`${baseUrl}/clients`);
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    const creates: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/clients') {
        creates.push(r.url());
      }
    });
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page);

    await dialog.getByRole('button', { name: 'Create client' }).click();
    await dialog.getByText('Enter the client’s name').waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Name', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(creates).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('should create a client through the form and open its page', async () => {
    await page.getByRole('button', { name: 'New client' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(clientName);
    await dialog.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Prospect' }).click();
    await dialog.getByLabel('Industry').fill('Shipping');
    await dialog.getByLabel('Annual fees').fill('250000');
    await dialog.getByRole('switch', { name: 'Key client' }).check({ force: true });
    await dialog.getByLabel('Competitors').fill('Maersk Legal');
    await dialog.getByLabel('Competitors').press('Enter');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Create client' }).click();

    await page.getByRole('heading', { name: clientName }).waitFor();
    clientPath = new URL(page.url()).pathname;
    expect(clientPath).toMatch(/^\/clients\/[0-9a-f-]{36}$/);
    await page.getByText(`${clientName} created`).waitFor();
    const details = page.locator('dl');
    await details.getByText('250,000').waitFor();
    await details.getByText('Maersk Legal').waitFor();
    await details.getByText('Shipping').waitFor();
    expect(await details.getByText('Prospect').count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
  });

  it('should add a contact on the contacts tab', async () => {
    await page.getByRole('tab', { name: /Contacts/ }).click();
    expect(new URL(page.url()).pathname).toBe(`${clientPath}/contacts`);
    await page.getByText('No contacts yet').waitFor();
    await page.getByRole('button', { name: 'Add contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add contact' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Margaret Holm');
    await dialog.getByLabel('Preferred name').fill('Megge');
    await dialog.getByLabel('Role').fill('General Counsel');
    await dialog.getByLabel('Email').fill('m.holm@halden.example');
    await dialog.getByRole('switch', { name: 'Decision-maker' }).check({ force: true });
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /Margaret Holm/ });
    await row.getByText('Megge').waitFor();
    await row.getByText('General Counsel').waitFor();
    await row.getByRole('cell', { name: 'Yes', exact: true }).waitFor();
    await page.getByRole('tab', { name: /Contacts\s*1/ }).waitFor();
    await expectNoSeriousA11yViolations(page);
  });

  it('should refuse a matter closed before it opened, then add it', async () => {
    await page.getByRole('tab', { name: /Matters/ }).click();
    await page.getByRole('button', { name: 'Add matter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add matter' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Charter-party dispute');
    await dialog.getByLabel('Reference').fill('HS-0042');
    await dialog.getByLabel('Opened on').fill('2025-03-10');
    await dialog.getByLabel('Closed on').fill('2025-01-05');
    await dialog.getByLabel('Client project code').fill('PRJ-77');
    await dialog.getByRole('button', { name: 'Add matter' }).click();
    await dialog.getByText('The closing date cannot be before the opening date').waitFor();
    await expect.poll(() => dialog.getByLabel('Closed on').getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(page);

    await dialog.getByLabel('Closed on').fill('2025-06-30');
    await dialog.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Closed' }).click();
    await dialog.getByRole('button', { name: 'Add matter' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Charter-party dispute/ });
    await row.getByText('10 Mar 2025').waitFor();
    await row.getByText('30 Jun 2025').waitFor();
    await row.getByText('PRJ-77').waitFor();
    await page.getByRole('tab', { name: /Matters\s*1/ }).waitFor();
  });

  it('should put a person on the relationship team, and list the client under My clients', async () => {
    await page.getByRole('tab', { name: /Team/ }).click();
    await page.getByText('Nobody is on the relationship team yet').waitFor();
    await page.getByRole('button', { name: 'Edit team' }).click();
    const dialog = page.getByRole('dialog', { name: /Relationship team of/ });
    await dialog.getByRole('combobox', { name: 'Add a person' }).fill('e2e-admin');
    await page.getByRole('option', { name: /E2E Admin/ }).click();
    await dialog.getByRole('combobox', { name: 'Team role of E2E Admin' }).click();
    await page.getByRole('option', { name: 'Relationship partner' }).click();
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Save team' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /E2E Admin/ })
      .getByText('Relationship partner')
      .waitFor();

    await page.goto(`${baseUrl}/clients?mine=1`);
    const row = page.getByRole('row', { name: new RegExp(clientName) });
    await row.getByText('E2E Admin').waitFor();
    expect(await page.getByRole('switch', { name: 'My clients' }).isChecked()).toBe(true);
    // The other clients of this run have nobody on their team, so "My clients" leaves them out.
    await expect.poll(async () => (await listedNames(page)).filter((n) => n.includes(run))).toEqual([clientName]);
  });

  it('should find the client by searching the list, and open it', async () => {
    await page.goto(`${baseUrl}/clients`);
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search' });
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(`shipping ${run}`);
    await page.waitForURL((url) => url.searchParams.get('q') === `shipping ${run}`);
    await page.getByRole('link', { name: clientName }).waitFor();
    // Rows of an earlier, shorter search stay on screen until the last one answers: poll.
    await expect.poll(() => listedNames(page)).toEqual([clientName]);
    await expectNoSeriousA11yViolations(page);

    // The search lives in the URL: a reload shows the same list.
    await page.reload();
    await page.getByRole('link', { name: clientName }).waitFor();
    expect(await search.inputValue()).toBe(`shipping ${run}`);

    await page.getByRole('link', { name: clientName }).click();
    await page.getByRole('heading', { name: clientName }).waitFor();
    await page.getByRole('tab', { name: /Contacts/ }).click();
    await page
      .getByRole('row', { name: /Margaret Holm/ })
      .getByText('Megge')
      .waitFor();
  });

  it('should sort by a column header and filter by status', async () => {
    const prefix = `Sortcheck ${run}`;
    await createClientViaApi(page, { name: `${prefix} Alpha`, status: 'prospect', annualFees: 300 });
    await createClientViaApi(page, { name: `${prefix} Bravo`, status: 'active', annualFees: 100 });
    await createClientViaApi(page, { name: `${prefix} Charlie`, status: 'lapsed', annualFees: 200 });
    await page.goto(`${baseUrl}/clients?q=${encodeURIComponent(prefix)}`);
    await page.getByRole('link', { name: `${prefix} Alpha` }).waitFor();
    expect(await listedNames(page)).toEqual([`${prefix} Alpha`, `${prefix} Bravo`, `${prefix} Charlie`]);
    await page.getByText('3 clients match').waitFor();

    const feesHeader = page.getByRole('columnheader', { name: 'Annual fees' });
    expect(await feesHeader.getAttribute('aria-sort')).toBe('none');
    // Largest fees first on the first press, then smallest first.
    await feesHeader.getByRole('button').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'annualFees' && url.searchParams.get('order') === 'desc');
    await expect.poll(() => feesHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => listedNames(page)).toEqual([`${prefix} Alpha`, `${prefix} Charlie`, `${prefix} Bravo`]);
    expect(await page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('none');
    await feesHeader.getByRole('button').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'annualFees' && url.searchParams.get('order') === null);
    await expect.poll(() => feesHeader.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => listedNames(page)).toEqual([`${prefix} Bravo`, `${prefix} Charlie`, `${prefix} Alpha`]);

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Lapsed' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.searchParams.get('status') === 'lapsed');
    await page.getByText('1 client match').waitFor();
    await expect.poll(() => listedNames(page)).toEqual([`${prefix} Charlie`]);

    await page.getByRole('searchbox', { name: 'Search' }).fill(`${prefix} nothing like this`);
    await page.getByText('No clients match').waitFor();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await page.waitForURL((url) => url.search === '' || url.search === '?sort=annualFees');
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('');
  });

  it('should say a client that does not exist is not found', async () => {
    await page.goto(`${baseUrl}/clients/01900000-0000-7000-8000-000000000000`);
    await page.getByRole('heading', { name: 'Client not found' }).waitFor();
    await page.getByText('you do not have access to it').waitFor();
  });

  it('should offer to delete a client together with its contacts, then delete it', async () => {
    await page.goto(`${baseUrl}${clientPath}`);
    await page.getByRole('heading', { name: clientName }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: `Delete ${clientName}?` })
      .getByRole('button', { name: 'Delete client' })
      .click();
    const cascade = page.getByRole('dialog', { name: `${clientName} still has 1 matter and 1 contact` });
    await cascade.waitFor();
    await cascade.getByRole('button', { name: 'Delete with everything' }).click();
    await page.waitForURL((url) => url.pathname === '/clients');
    await page.getByText(`${clientName} deleted`).waitFor();

    const res = await page.request.get(`${baseUrl}/api/v1${clientPath}`);
    expect(res.status()).toBe(404);
  });

  it('should sign out', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${baseUrl}${clientPath}`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
