import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM = process.env.HEARKEN_CHROMIUM ?? '/usr/bin/chromium';

/** Whether this run has a browser; test files use `describe.skipIf(!browserAvailable)`. */
export const browserAvailable = inject('browserAvailable');
export const baseUrl = inject('baseUrl');
export const admin = { email: inject('adminEmail'), password: inject('adminPassword') };

/** Debian's Chromium, headless, with the flags this closed network needs (no background calls home). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A page in its own browser context (cookies not shared), as axe-core requires. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  return context.newPage();
}

/** Signs in through the real sign-in page and waits for the app shell. */
export async function signIn(page: Page, email = admin.email, password = admin.password): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * Waits until nothing on the page is mid-transition. Mantine fades notifications, modals and
 * dropdowns in and out by changing inline opacity, sometimes a frame before the CSS transition
 * starts, so running animations alone do not tell; text at part opacity reads to axe as low
 * contrast. Checked twice, a moment apart, so that a transition about to start is seen.
 */
export async function settle(page: Page): Promise<void> {
  const still = () =>
    page.waitForFunction(
      () => {
        if (document.getAnimations().some((a) => a.playState === 'running')) {
          return false;
        }
        const layers = document.querySelectorAll(
          '.mantine-Notification-root, .mantine-Modal-content, .mantine-Popover-dropdown, .mantine-Menu-dropdown, .mantine-Combobox-dropdown',
        );
        return [...layers].every((layer) => {
          for (let el: Element | null = layer; el && el !== document.body; el = el.parentElement) {
            if (getComputedStyle(el).opacity !== '1') {
              return false;
            }
          }
          return true;
        });
      },
      undefined,
      { polling: 50 },
    );
  await still();
  await page.waitForTimeout(150);
  await still();
}

/** The serious and critical accessibility violations on the page (axe-core, WCAG 2.1 A/AA), once it has settled. */
export async function seriousA11yViolations(page: Page) {
  await settle(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}
