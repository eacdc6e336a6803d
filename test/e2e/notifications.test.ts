import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

/**
 * The notification centre and the digest preference (issue 4, point 8), in a real browser: an
 * action given to a partner rings their bell; they read it from the popover, find it on the
 * notifications page, and choose a daily digest on their account page.
 */

const run = Date.now().toString(36);
const PASSWORD = 'notification journey passphrase';
const clientName = `Wrenfield Mills ${run}`;
const partner = { email: `bell-${run}@firm.test`, name: `Bea Bell ${run}`, role: 'partner' };
// Admins administer and do not run client work: a programme lead gives the partner the action.
const lead = { email: `bell-lead-${run}@firm.test`, name: `Lew Lead ${run}`, role: 'programme_lead' };

async function expectAccessible(page: Page) {
  const violations = await seriousA11yViolations(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

async function api(request: APIRequestContext, method: 'post' | 'put', path: string, data?: unknown) {
  const me = await request.get(`${baseUrl}/api/v1/me`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const res = await request[method](`${baseUrl}/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrfToken } });
  return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(!browserAvailable)('notifications: the bell, the page and the digest choice', () => {
  let browser: Browser;
  let page: Page;
  const title = `Send the revised fee proposal ${run}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await newPage(browser);
    await signIn(admin);
    const user = await api(admin.request, 'post', '/users', { ...partner, password: PASSWORD });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const partnerId = (user.body.user as { id: string }).id;
    const client = await api(admin.request, 'post', '/clients', { name: clientName, status: 'active', isKeyClient: false });
    const clientId = client.body.id as string;
    expect((await api(admin.request, 'put', `/clients/${clientId}/team`, { members: [{ userId: partnerId, teamRole: 'relationship_partner' }] })).status).toBe(
      200,
    );
    expect((await api(admin.request, 'post', '/users', { ...lead, password: PASSWORD })).status).toBe(201);
    const leadPage = await newPage(browser);
    await signIn(leadPage, lead.email, PASSWORD);
    const action = await api(leadPage.request, 'post', '/actions', { clientId, ownerId: partnerId, title, priority: 'normal' });
    await leadPage.close();
    expect(action.status, JSON.stringify(action.body)).toBe(201);
    page = await newPage(browser);
    await signIn(page, partner.email, PASSWORD);
  }, 60_000);
  afterAll(async () => browser?.close());

  it('should show the unread count on the bell and list the notification in its popover', async () => {
    const bell = page.getByRole('button', { name: 'Notifications, 1 unread' });
    await bell.waitFor();
    await bell.click();
    const popover = page.getByRole('dialog', { name: 'Notifications' });
    await popover.getByRole('link', { name: `New action for ${clientName}: ${title}` }).waitFor();
    await expectAccessible(page);
    await popover.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
  });

  it('should list it on the notifications page, with a link that opens the action', async () => {
    await page.getByRole('dialog', { name: 'Notifications' }).getByRole('link', { name: 'See all notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications' }).first().waitFor();
    const link = page.getByRole('main').getByRole('link', { name: `New action for ${clientName}: ${title}` });
    await link.waitFor();
    await expectAccessible(page);
    await link.click();
    expect(new URL(page.url()).pathname).toBe('/actions');
    expect(new URL(page.url()).searchParams.get('action')).toBeTruthy();
  });

  it('should let them choose a daily digest on the account page', async () => {
    await page.goto(`${baseUrl}/account`);
    const daily = page.getByRole('radio', { name: 'Daily' });
    await daily.waitFor();
    expect(await page.getByRole('radio', { name: 'Weekly' }).isChecked()).toBe(true);
    await daily.click();
    await page.getByText('You will receive a daily digest.').waitFor();
    expect(await daily.isChecked()).toBe(true);
    await expectAccessible(page);
    await page.reload();
    await page.getByRole('radio', { name: 'Daily' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Daily' }).isChecked()).toBe(true);
  });
});
