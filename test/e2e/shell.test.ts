import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browserAvailable, launchBrowser, newPage, seriousA11yViolations, signIn } from './support.js';

describe.skipIf(!browserAvailable)('sign-in and the app shell', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  afterAll(async () => browser?.close());

  it('should send a signed-out visitor to the sign-in page', async () => {
    await page.goto(`${baseUrl}/clients`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const violations = await seriousA11yViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  });

  it('should say so when the password is wrong', async () => {
    await page.getByLabel('Email').fill('nobody@hearken.test');
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong email or password');
  });

  it('should sign in, show the navigation, and sign out', async () => {
    await signIn(page);
    expect(new URL(page.url()).pathname).toBe('/clients');
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${baseUrl}/clients`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
