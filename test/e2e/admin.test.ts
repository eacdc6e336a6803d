import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

/** Names unique to this run, so the test does not depend on what other test files created. */
const run = Date.now().toString(36);
const teamName = `Disputes ${run}`;
const newUser = { name: `Priya Shah ${run}`, email: `priya.shah.${run}@hearken.test`, title: 'Senior associate' };
const clientName = `Walled Holdings ${run}`;

/** Waits for modals and notifications to finish fading, so that colours are measured at rest. */
async function settled(page: Page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}

async function expectNoSeriousA11yViolations(page: Page) {
  // The pointer rests away from the navigation: the shell's active link, while hovered, is a
  // known contrast shortfall of AppLayout (reported to the lead), not of these pages.
  await page.mouse.move(1000, 850);
  await settled(page);
  const violations = await seriousA11yViolations(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

/** Screenshots for a human to look at; set HEARKEN_E2E_SCREENSHOTS=/some/dir to keep them. */
async function snapshot(page: Page, name: string) {
  const dir = process.env.HEARKEN_E2E_SCREENSHOTS;
  if (dir) {
    await settled(page);
    await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
  }
}

/**
 * Picks an option in a Mantine Select or MultiSelect by typing into it (server-searched lists),
 * then tabs away as a keyboard user would, which closes a multi-select's dropdown.
 */
async function pick(page: Page, field: Locator, typed: string, option: RegExp | string) {
  await field.click();
  await field.fill(typed);
  await page.getByRole('option', { name: option }).click();
  await field.press('Tab');
}

function bearer(token: string) {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

describe.skipIf(!browserAvailable)('administration and account pages', () => {
  let browser: Browser;
  let page: Page;
  let generatedPassword = '';
  let newUserPassword = '';
  let adminToken = '';
  let temporaryPassword = '';

  const attemptSignIn = (email: string, password: string) =>
    fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page);
  });
  afterAll(async () => browser?.close());

  it('should create a team with a member and list it with its kind and member count', async () => {
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('heading', { name: 'Teams and practice groups' }).waitFor();
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = page.getByRole('dialog', { name: 'New team' });
    await dialog.getByLabel('Name').fill(teamName);
    await dialog.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Team', exact: true }).click();
    await dialog.getByLabel('Description').fill('Commercial litigation and arbitration.');
    await pick(page, dialog.getByRole('combobox', { name: 'Members' }), 'e2e-admin', /E2E Admin/);
    await snapshot(page, 'team-form');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: teamName });
    await expect(row.getByRole('cell').allInnerTexts()).resolves.toEqual([teamName, 'TEAM', 'Commercial litigation and arbitration.', '1', '']);
    await snapshot(page, 'teams');
    await expectNoSeriousA11yViolations(page);
  });

  it('should create a user with a generated password that is shown once', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name').fill(newUser.name);
    await dialog.getByLabel('Email').fill(newUser.email);
    await dialog.getByLabel('Title').fill(newUser.title);
    await dialog.getByLabel('Office').fill('London');
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    // Each role is offered with what it means.
    await expect(page.getByRole('option', { name: /Partner/ }).innerText()).resolves.toContain('edits the clients on whose team they are');
    await page.getByRole('option', { name: /Member/ }).click();
    await snapshot(page, 'user-form');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Create user' }).click();

    const shown = page.getByRole('dialog', { name: 'User created' });
    await expect(shown.innerText()).resolves.toContain('Shown only once');
    generatedPassword = await shown.getByRole('textbox', { name: 'Temporary password' }).inputValue();
    expect(generatedPassword.length).toBeGreaterThanOrEqual(12);
    await shown.getByRole('button', { name: 'Copy temporary password' }).waitFor();
    await snapshot(page, 'user-created');
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });

    await page.getByRole('main').getByLabel('Search').fill(newUser.email);
    const row = page.getByRole('row').filter({ hasText: newUser.email });
    await expect(row.getByRole('cell').allInnerTexts()).resolves.toEqual([
      newUser.name,
      newUser.email,
      'Member',
      newUser.title,
      'London',
      '',
      'ACTIVE',
      'Weekly',
      '',
    ]);
  });

  it('should show a duplicate email inline on the email field', async () => {
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name').fill('Someone Else');
    await dialog.getByLabel('Email').fill(newUser.email.toUpperCase());
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const email = dialog.getByLabel('Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await email.getAttribute('aria-describedby'))?.split(' ').find((id) => id.includes('error'));
    await expect(page.locator(`[id="${errorId}"]`).innerText()).resolves.toBe('Is already used by another user');
    await snapshot(page, 'user-duplicate-email');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('should add the new user to a team and show it in the users table', async () => {
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('button', { name: `Edit ${teamName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${teamName}` });
    // The members already on the team are loaded into the picker.
    await dialog.getByText('E2E Admin').waitFor();
    await pick(page, dialog.getByRole('combobox', { name: 'Members' }), 'Priya', new RegExp(newUser.name));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(page.getByRole('row').filter({ hasText: teamName }).getByRole('cell').nth(3).innerText()).resolves.toBe('2');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('main').getByLabel('Search').fill(newUser.email);
    await expect.poll(() => page.getByRole('row').filter({ hasText: newUser.email }).getByRole('cell').nth(5).innerText()).toBe(teamName);
    await snapshot(page, 'users');
    await expectNoSeriousA11yViolations(page);
  });

  it('should let the new user sign in, without the admin navigation, and change their password', async () => {
    const other = await newPage(browser);
    try {
      await signIn(other, newUser.email, generatedPassword);
      const nav = other.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: 'Clients' }).count()).resolves.toBe(1);
      for (const link of ['Users', 'Teams', 'Ethical walls', 'Audit log']) {
        await expect(nav.getByRole('link', { name: link }).count()).resolves.toBe(0);
      }
      await other.goto(`${baseUrl}/admin/users`);
      await expect(other.getByRole('alert').innerText()).resolves.toContain('Admins only');
      await snapshot(other, 'non-admin-users');
      await expectNoSeriousA11yViolations(other);

      await other.goto(`${baseUrl}/account`);
      await other.getByRole('heading', { name: 'Your account' }).waitFor();
      await expect(other.getByRole('region', { name: 'Profile' }).innerText()).resolves.toContain(teamName);
      const form = other.getByRole('region', { name: 'Change password' });
      await form.getByLabel('Current password').fill('not my password at all');
      await form.getByLabel(/^New password/).fill('a fresh and long passphrase');
      await form.getByLabel('Confirm new password').fill('a fresh and long passphrase');
      await form.getByRole('button', { name: 'Change password' }).click();
      const current = form.getByLabel('Current password');
      await expect.poll(() => current.getAttribute('aria-invalid')).toBe('true');
      await expect(form.innerText()).resolves.toContain('Is not your current password');

      await current.fill(generatedPassword);
      await form.getByRole('button', { name: 'Change password' }).click();
      await other.getByText('Password changed.').waitFor();
      newUserPassword = 'a fresh and long passphrase';
    } finally {
      await other.context().close();
    }
    expect((await attemptSignIn(newUser.email, newUserPassword)).status).toBe(200);
  });

  it('should reset the user’s password and show the temporary one once', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('main').getByLabel('Search').fill(newUser.email);
    await page.getByRole('button', { name: `Reset password for ${newUser.name}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset password?' });
    await confirm.getByRole('button', { name: 'Reset password' }).click();
    const shown = page.getByRole('dialog', { name: 'Password reset' });
    temporaryPassword = await shown.getByRole('textbox', { name: 'Temporary password' }).inputValue();
    await shown.getByRole('button', { name: 'Done' }).click();

    expect((await attemptSignIn(newUser.email, newUserPassword)).status).toBe(401);
    expect((await attemptSignIn(newUser.email, temporaryPassword)).status).toBe(200);
  });

  it('should create a personal API token whose secret works against the API', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Account and API tokens' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await expect(page.getByRole('link', { name: /API reference/ }).getAttribute('href')).resolves.toBe('/api/docs');
    await page.getByLabel('Token name').fill(`e2e ${run}`);
    await page.getByLabel('Expires after (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();

    const shown = page.getByRole('dialog', { name: `Token “e2e ${run}” created` });
    adminToken = await shown.getByRole('textbox', { name: 'API token' }).inputValue();
    await expect(shown.innerText()).resolves.toContain(`curl -H "Authorization: Bearer ${adminToken}" ${baseUrl}/api/v1/me`);
    await snapshot(page, 'token-created');
    await expectNoSeriousA11yViolations(page);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: `e2e ${run}` });
    const cells = await row.getByRole('cell').allInnerTexts();
    const prefix = (cells[1] ?? '').replace(/…$/, '');
    expect(prefix.length).toBeGreaterThan(3);
    expect(adminToken.startsWith(prefix)).toBe(true);
    expect(cells[3]).toBe('Never');
    expect(cells[5]).toBe('ACTIVE');

    const me = await fetch(`${baseUrl}/api/v1/me`, { headers: bearer(adminToken) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(admin.email);
    await snapshot(page, 'account');
    await expectNoSeriousA11yViolations(page);
  });

  it('should wall a client, list its members, and lift the wall', async () => {
    const created = await fetch(`${baseUrl}/api/v1/clients`, { method: 'POST', headers: bearer(adminToken), body: JSON.stringify({ name: clientName }) });
    expect(created.status).toBe(201);

    await page.getByRole('link', { name: 'Ethical walls' }).click();
    await page.getByRole('heading', { name: 'Ethical walls' }).waitFor();
    await expect(page.getByText('visible only to its listed members, admins included').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Wall a client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Wall a client' });
    await pick(page, dialog.getByRole('combobox', { name: 'Client' }), clientName, clientName);
    await pick(page, dialog.getByRole('combobox', { name: 'Listed members' }), 'Priya', new RegExp(newUser.name));
    // The admin is not listed, so the page warns that the client will disappear from their view.
    await dialog.getByText('you will no longer see this client').waitFor();
    await dialog.getByRole('button', { name: 'Wall client' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: clientName });
    await expect(row.getByRole('cell').allInnerTexts()).resolves.toEqual([clientName, newUser.name, '1', '']);
    await snapshot(page, 'walls');
    await expectNoSeriousA11yViolations(page);
    // The wall holds for the admin too: the client is now not found.
    const hidden = await fetch(`${baseUrl}/api/v1/clients?q=${encodeURIComponent(clientName)}`, { headers: bearer(adminToken) });
    expect(((await hidden.json()) as { items: unknown[] }).items).toEqual([]);

    await page.getByRole('button', { name: `Lift wall around ${clientName}` }).click();
    await page.getByRole('dialog', { name: 'Lift the wall?' }).getByRole('button', { name: 'Lift wall' }).click();
    await row.waitFor({ state: 'detached' });
    const visible = await fetch(`${baseUrl}/api/v1/clients?q=${encodeURIComponent(clientName)}`, { headers: bearer(adminToken) });
    expect(((await visible.json()) as { items: { name: string }[] }).items.map((c) => c.name)).toEqual([clientName]);
  });

  it('should show the user’s creation in the audit log and export the filtered log as CSV', async () => {
    const found = await fetch(`${baseUrl}/api/v1/users?q=${encodeURIComponent(newUser.email)}`, { headers: bearer(adminToken) });
    const userId = ((await found.json()) as { items: { id: string }[] }).items[0]?.id as string;

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'Users (user.)' }).click();
    await page.getByLabel('Entity ID').fill(userId);
    await expect.poll(() => new URL(page.url()).searchParams.get('entityId')).toBe(userId);

    // Newest first. (Joining a team is recorded on the team, not on the user.)
    const actions = page.getByRole('row').locator('td:nth-child(4)');
    await expect.poll(() => actions.allInnerTexts()).toEqual(['user.reset_password', 'user.change_password', 'user.create']);
    const creation = page.getByRole('row').filter({ hasText: 'user.create' });
    await expect(creation.getByRole('cell').nth(2).innerText()).resolves.toBe(admin.email);
    const time = creation.locator('time');
    expect(await time.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    await creation.getByRole('button', { name: 'Show details' }).click();
    const changes = page.getByRole('list', { name: 'Changes' });
    await expect(changes.innerText()).resolves.toContain(`email: (none) → ${newUser.email}`);
    await expect(changes.innerText()).resolves.toContain('role: (none) → member');
    await snapshot(page, 'audit');
    await expectNoSeriousA11yViolations(page);

    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toBe(`/api/v1/audit.csv?action=user.&entityId=${userId}`);
    const csv = await page.request.get(`${baseUrl}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('at,actor,actor_id,action,entity,entity_id,client_id,changes,request_id');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['user.reset_password', 'user.change_password', 'user.create']);
  });

  it('should unlock a locked-out user and change their role', async () => {
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 423; attempt++) {
      status = (await attemptSignIn(newUser.email, 'certainly not the password')).status;
    }
    expect(status).toBe(423);

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('main').getByLabel('Search').fill(newUser.email);
    const row = page.getByRole('row').filter({ hasText: newUser.email });
    await expect.poll(() => row.getByRole('cell').nth(6).innerText()).toBe('ACTIVE\nLOCKED');
    await page.getByRole('button', { name: `Edit ${newUser.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${newUser.name}` });
    await dialog.getByText('Sign-in is locked').waitFor();
    await snapshot(page, 'user-edit-locked');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await dialog.getByText('Sign-in is locked').waitFor({ state: 'detached' });

    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: /Partner/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => row.getByRole('cell').allInnerTexts())
      .toEqual([newUser.name, newUser.email, 'Partner', newUser.title, 'London', teamName, 'ACTIVE', 'Weekly', '']);
    expect((await attemptSignIn(newUser.email, temporaryPassword)).status).toBe(200);
  });

  it('should delete a team after confirming', async () => {
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('button', { name: `Delete ${teamName}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete team?' });
    await expect(confirm.innerText()).resolves.toContain('Its 2 members keep their accounts');
    await confirm.getByRole('button', { name: 'Delete team' }).click();
    await page.getByRole('row').filter({ hasText: teamName }).waitFor({ state: 'detached' });
    const teams = await fetch(`${baseUrl}/api/v1/teams`, { headers: bearer(adminToken) });
    expect(((await teams.json()) as { items: { name: string }[] }).items.map((t) => t.name)).not.toContain(teamName);
  });

  it('should revoke the token so that the API refuses it', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Account and API tokens' }).click();
    await page.getByRole('button', { name: `Revoke e2e ${run}` }).click();
    await page.getByRole('dialog', { name: 'Revoke token?' }).getByRole('button', { name: 'Revoke token' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('row')
          .filter({ hasText: `e2e ${run}` })
          .getByRole('cell')
          .nth(5)
          .innerText(),
      )
      .toMatch(/^REVOKED /);
    const me = await fetch(`${baseUrl}/api/v1/me`, { headers: bearer(adminToken) });
    expect(me.status).toBe(401);
  });
});
