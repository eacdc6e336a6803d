import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../support/pdf-text.js';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

const run = Date.now().toString(36);
const lead = { email: `export-lead-${run}@hearken.test`, password: 'an export lead passphrase', name: `Export Lead ${run}` };

async function csrfOf(page: Page): Promise<string> {
  return ((await (await page.request.get(`${baseUrl}/api/v1/me`)).json()) as { csrfToken: string }).csrfToken;
}

/** Clicks and returns the downloaded file's bytes and suggested name. */
async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

describe.skipIf(!browserAvailable)('analytics exports: Excel of a table, the PDF management report', () => {
  let browser: Browser;
  let page: Page;

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
    const leadId = body.user?.id ?? body.id ?? '';
    await adminPage.context().close();
    page = await newPage(browser);
    await signIn(page, lead.email, lead.password);
    const csrf = await csrfOf(page);
    const client = await page.request.post(`${baseUrl}/api/v1/clients`, { data: { name: `Export Client ${run}` }, headers: { 'X-CSRF-Token': csrf } });
    expect(client.status()).toBe(201);
    const clientId = ((await client.json()) as { id: string }).id;
    const action = await page.request.post(`${baseUrl}/api/v1/actions`, {
      data: { clientId, title: `Export action ${run}`, ownerId: leadId },
      headers: { 'X-CSRF-Token': csrf },
    });
    expect(action.status(), await action.text()).toBe(201);
  });
  afterAll(async () => browser?.close());

  it('should export a dashboard table as a real .xlsx, shares as percentages', async () => {
    await page.goto(`${baseUrl}/analytics/loop`);
    await page.getByRole('heading', { name: 'Closing the loop' }).waitFor();
    const excel = page.getByRole('button', { name: 'Export Actions by owner as Excel' });
    await excel.waitFor();
    await page.getByRole('link', { name: 'PDF report' }).waitFor();
    const violations = await seriousA11yViolations(page);
    expect(violations, JSON.stringify(violations)).toEqual([]);
    const file = await download(page, () => excel.click());
    expect(file.name).toBe('loop-by-owner.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('Actions by owner');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('Owner');
    expect(header).toContain('Closure rate');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    // The new lead owns the one action they created: a row with a number of actions and a 0% closure rate.
    const rows = sheet.getRows(2, sheet.rowCount - 1) ?? [];
    const mine = rows.find((r) => r.getCell(1).value === lead.name);
    expect(mine).toBeDefined();
    expect(mine?.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    const closure = mine?.getCell(header.indexOf('Closure rate') + 1);
    expect(closure?.type).toBe(ExcelJS.ValueType.Number);
    expect(closure?.value).toBe(0);
    expect(closure?.numFmt).toBe('0%');
  });

  it('should download the PDF management report with the page’s filters', async () => {
    await page.goto(`${baseUrl}/analytics/nps?from=2020-01-01&to=2030-12-31`);
    await page.getByRole('heading', { name: 'NPS and satisfaction' }).waitFor();
    const link = page.getByRole('link', { name: 'PDF report' });
    expect(await link.getAttribute('href')).toBe('/api/v1/analytics/report.pdf?from=2020-01-01&to=2030-12-31');
    const file = await download(page, () => link.click());
    expect(file.name).toMatch(/^management-report-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = pdfText(file.bytes);
    expect(text).toContain('Client listening: management report');
    expect(text).toContain('1 January 2020 to 31 December 2030');
    expect(text).toContain(lead.name);
  });
});
