import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

const run = Date.now().toString(36);
const lead = { email: `analytics-lead-${run}@hearken.test`, password: 'an analytics lead passphrase', name: `Analytics Lead ${run}` };
const clientName = `Harrow Foundry ${run}`;
const actionTitle = `Send the revised fee proposal ${run}`;
const atRiskName = `Kestrel Mills ${run}`;
const overdueTitle = `Return the signed engagement letter ${run}`;
const detractorName = `Osprey Holdings ${run}`;
const sessionObjective = `Annual relationship review ${run}`;

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
  { path: '/analytics/health', heading: 'Client health', nav: 'Client health' },
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
    // One page of records from /analytics/records, with the figure's total.
    await drawer.getByText('Showing 1 of 1').waitFor();
    await expectNoSeriousA11yViolations(page);
    await drawer.getByRole('button', { name: 'Close' }).click();
    await drawer.waitFor({ state: 'detached' });
  });

  describe('client health', () => {
    let healthClientId = '';
    const detailUrl = () => `${baseUrl}/analytics/health/clients/${healthClientId}`;
    const reasonRow = (p: Page, text: string) =>
      p.getByRole('region', { name: 'Why: the reasons and their points' }).getByRole('row').filter({ hasText: text });

    beforeAll(async () => {
      const csrf = await csrfOf(page);
      const client = await page.request.post(`${baseUrl}/api/v1/clients`, {
        data: { name: atRiskName, annualFees: 120000 },
        headers: { 'X-CSRF-Token': csrf },
      });
      expect(client.status()).toBe(201);
      healthClientId = ((await client.json()) as { id: string }).id;
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const action = await page.request.post(`${baseUrl}/api/v1/actions`, {
        data: { clientId: healthClientId, title: overdueTitle, ownerId: leadId, dueOn: yesterday },
        headers: { 'X-CSRF-Token': csrf },
      });
      expect(action.status(), await action.text()).toBe(201);
    });

    it('should list a client with an overdue action, with the reason and its points, and drill to the action', async () => {
      await page.goto(`${baseUrl}/analytics/health`);
      const list = page.getByRole('region', { name: 'Early-warning list' });
      const row = list.getByRole('row').filter({ has: page.getByRole('link', { name: atRiskName }) });
      // Default weights: overdue action 5 each, check-in never made (cadence red) 10, never listened to 10.
      await row.getByText('1 overdue action (−5)').waitFor();
      await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('75');
      await row.getByText('No relationship partner').waitFor();

      // 75 is healthy: the at-risk band leaves the client out, the healthy band keeps it, and the band stays in the URL.
      await page.getByText('At risk', { exact: true }).click();
      await page.waitForURL(/band=at_risk/);
      await page.getByRole('link', { name: atRiskName }).waitFor({ state: 'detached' });
      await list.or(page.getByText('No clients to show')).waitFor();
      await expect(page.getByRole('link', { name: atRiskName }).count()).resolves.toBe(0);
      await page.getByText('Healthy', { exact: true }).click();
      await page.waitForURL(/band=healthy/);
      await list.getByRole('link', { name: atRiskName }).click();

      await page.getByRole('heading', { name: `Health of ${atRiskName}` }).waitFor();
      await reasonRow(page, '1 overdue action').getByText('−5').waitFor();
      await reasonRow(page, 'Check-in overdue').getByText('−10').waitFor();
      await reasonRow(page, 'Never listened to').getByText('−10').waitFor();
      await page.getByText('75 / 100').waitFor();
      await page.getByText('No snapshots yet.', { exact: false }).waitFor();
      await expectNoSeriousA11yViolations(page);

      await page.getByRole('button', { name: '1 overdue action: show the records' }).click();
      const drawer = page.getByRole('dialog', { name: '1 overdue action' });
      await drawer.getByRole('link', { name: overdueTitle }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await drawer.getByRole('button', { name: 'Close' }).click();
      await drawer.waitFor({ state: 'detached' });

      await page.getByRole('main').getByRole('link', { name: 'Client health' }).click();
      await page.waitForURL(/\/analytics\/health\?band=healthy$/);
    });

    it('should show a detractor session as a reason, drill to the session, and each key contact’s own health', async () => {
      const csrf = await csrfOf(page);
      const headers = { 'X-CSRF-Token': csrf };
      const client = await page.request.post(`${baseUrl}/api/v1/clients`, { data: { name: detractorName }, headers });
      expect(client.status()).toBe(201);
      const clientId = ((await client.json()) as { id: string }).id;
      const contact = async (name: string, jobTitle: string) => {
        const res = await page.request.post(`${baseUrl}/api/v1/clients/${clientId}/contacts`, { data: { name, jobTitle }, headers });
        expect(res.status(), await res.text()).toBe(201);
        return ((await res.json()) as { id: string }).id;
      };
      await contact('Gina Counsel', 'General Counsel');
      const cfo = await contact('Carl Finance', 'Chief Financial Officer');
      const session = await page.request.post(`${baseUrl}/api/v1/sessions`, {
        data: {
          clientId,
          objective: sessionObjective,
          contactIds: [cfo],
          interviewerId: leadId,
          format: 'phone',
          startsAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        },
        headers,
      });
      expect(session.status(), await session.text()).toBe(201);
      const sessionId = ((await session.json()) as { id: string }).id;
      for (const status of ['scheduled', 'completed']) {
        const moved = await page.request.post(`${baseUrl}/api/v1/sessions/${sessionId}/status`, { data: { status }, headers });
        expect(moved.status(), await moved.text()).toBe(200);
      }
      const scored = await page.request.put(`${baseUrl}/api/v1/sessions/${sessionId}/scores`, { data: { nps: 3 }, headers });
      expect(scored.status(), await scored.text()).toBe(200);

      await page.goto(`${baseUrl}/analytics/health`);
      const list = page.getByRole('region', { name: 'Early-warning list' });
      await list.getByRole('link', { name: detractorName }).click();
      await page.getByRole('heading', { name: `Health of ${detractorName}` }).waitFor();
      await reasonRow(page, 'is a detractor').getByText('−25').waitFor();

      // The CFO who gave the 3 carries the detractor points; the GC, never heard, has no warning sign.
      const contacts = page.getByRole('region', { name: 'Key contacts' });
      const cfoRow = contacts.getByRole('row').filter({ hasText: 'Carl Finance' });
      await cfoRow.getByText('is a detractor (−25)', { exact: false }).waitFor();
      await expect(cfoRow.getByRole('cell').nth(5).textContent()).resolves.toBe('75');
      const gcRow = contacts.getByRole('row').filter({ hasText: 'Gina Counsel' });
      await gcRow.getByText('No warning signs').waitFor();
      await expect(gcRow.getByRole('cell').nth(5).textContent()).resolves.toBe('100');
      await expectNoSeriousA11yViolations(page);

      await page.getByRole('button', { name: '1 latest NPS a detractor (0–6): show the records' }).click();
      const drawer = page.getByRole('dialog', { name: /Latest NPS 3 .* is a detractor/ });
      await drawer.getByRole('link', { name: `${detractorName}: ${sessionObjective}` }).click();
      await page.waitForURL(new RegExp(`/sessions/${sessionId}$`));
    });

    it('should let an admin change a weight, apply it to the scores, and reset it to the default', async () => {
      const adminPage = await newPage(browser);
      try {
        await signIn(adminPage);
        await adminPage.goto(`${baseUrl}/admin/settings`);
        const section = adminPage.getByRole('region', { name: 'Client health weights' });
        const overdue = section.getByLabel('Overdue action', { exact: true });
        await expect(overdue.inputValue()).resolves.toBe('5');
        await section.getByText('Default 5.', { exact: false }).waitFor();

        await overdue.fill('-1');
        await overdue.blur();
        await section.getByText('Must not be negative').waitFor();
        await expectNoSeriousA11yViolations(adminPage);

        await overdue.fill('7');
        await overdue.blur();
        await adminPage.getByRole('button', { name: 'Save health weights' }).click();
        await adminPage.getByText('Client health weights saved').waitFor();
        await adminPage.reload();
        await expect(adminPage.getByRole('region', { name: 'Client health weights' }).getByLabel('Overdue action', { exact: true }).inputValue()).resolves.toBe(
          '7',
        );

        // The lead's view of the client follows: 7 points for the overdue action, 100 − 7 − 10 − 10 = 73.
        await page.goto(detailUrl());
        await reasonRow(page, '1 overdue action').getByText('−7').waitFor();
        await page.getByText('73 / 100').waitFor();

        await adminPage.getByRole('button', { name: 'Reset to defaults' }).click();
        await expect(section.getByLabel('Overdue action', { exact: true }).inputValue()).resolves.toBe('5');
        await adminPage.getByRole('button', { name: 'Save health weights' }).click();
        await adminPage.getByText('Client health weights saved').waitFor();
        const saved = (await (await adminPage.request.get(`${baseUrl}/api/v1/settings/health`)).json()) as {
          weights: Record<string, number>;
          defaults: Record<string, number>;
        };
        expect(saved.weights).toEqual(saved.defaults);
        expect(saved.weights.overdueAction).toBe(5);
      } finally {
        await adminPage.context().close();
      }
    });
  });
});
