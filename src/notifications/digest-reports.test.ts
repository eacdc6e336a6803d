import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { runDigestSend } from '../cli/digest.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { createPreference } from '../preferences/preferences.js';
import { systemContext } from '../server/context.js';
import type { MailLog } from './digest.js';
import { startSmtp } from './testing.js';

const BASE_URL = 'https://hearken.firm.example';
const FROM = 'Hearken <hearken@firm.example>';
const QUICK = { connectionTimeout: 300, greetingTimeout: 300, socketTimeout: 300 };
const silent: MailLog = { info: () => {}, warn: () => {}, error: () => {} };
// Monday 23 November 2026: the weekly window runs to Sunday 29 November.
const NOW = new Date('2026-11-23T12:00:00.000Z');

for (const dialect of DIALECTS) {
  describe(`digest: reports coming due (${dialect})`, () => {
    let t: TestApp;
    let ann: Awaited<ReturnType<typeof buildUser>>;
    let clientId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const sys = systemContext(t.database.db);
      ann = await buildUser(t, 'partner', { name: 'Ann Able' });
      await buildUser(t, 'partner', { name: 'Otto Offteam' });
      const { client } = await buildClientWithTeam(sys, { name: 'Kestrel Holdings', partnerIds: [ann.id] });
      clientId = client.id;
      const reporting = (report: string, day: number, leadDays: number) =>
        createPreference(sys, {
          clientId,
          category: 'reporting',
          statement: `${report} before each board meeting`,
          source: 'person',
          rule: { kind: 'reporting_schedule', report, anchor: { type: 'day_of_month', day }, leadDays },
        });
      // Board on the 30th, five days' lead: due Wednesday 25 November, inside the week.
      await reporting('Litigation status update', 30, 5);
      // Due 8 December: outside the week.
      await reporting('Budget letter', 10, 2);
      // A walled client Ann is not on the wall of: nothing of it may reach her.
      const { client: hidden } = await buildClientWithTeam(sys, { name: 'Hidden Holdings', partnerIds: [ann.id], walled: true, wallMemberIds: [] });
      await createPreference(sys, {
        clientId: hidden.id,
        category: 'reporting',
        statement: 'Secret report',
        source: 'person',
        rule: { kind: 'reporting_schedule', report: 'Secret report', anchor: { type: 'day_of_month', day: 27 }, leadDays: 1 },
      });
    }, 60_000);
    afterAll(async () => t.close());

    it('should list the reports due in the weekly window, with a link to the brief, to the client team only', async () => {
      const smtp = await startSmtp();
      try {
        const config = { smtp: { url: smtp.url, from: FROM }, baseUrl: BASE_URL };
        const sent = await runDigestSend(t.database, config, { frequency: 'weekly', now: NOW, log: silent }, QUICK);
        expect(sent.composed.queued.map((q) => q.userId)).toEqual([ann.id]);
        expect(smtp.messages).toHaveLength(1);
        const [mail] = smtp.messages;
        // The new client has never been checked in with: that is an overdue check-in too.
        expect(mail?.subject).toBe('Hearken weekly digest (2026-W48): 1 overdue check-in, 1 report');
        expect(mail?.text).toContain('Reports coming due (1)');
        expect(mail?.text).toContain('Litigation status update for Kestrel Holdings (due 2026-11-25)');
        expect(mail?.text).toContain(`${BASE_URL}/clients/${clientId}/brief`);
        expect(mail?.html).toContain(`<a href="${BASE_URL}/clients/${clientId}/brief">`);
        for (const part of [mail?.text, mail?.html, mail?.subject]) {
          expect(part).not.toContain('Budget letter');
          expect(part).not.toContain('Hidden Holdings');
          expect(part).not.toContain('Secret report');
        }
      } finally {
        await smtp.close();
      }
    });

    it('should leave a report out of the daily digest of a day it is not due', async () => {
      const smtp = await startSmtp();
      try {
        await t.database.db.updateTable('users').set({ digest_frequency: 'daily' }).where('id', '=', ann.id).execute();
        const config = { smtp: { url: smtp.url, from: FROM }, baseUrl: BASE_URL };
        await runDigestSend(t.database, config, { frequency: 'daily', now: NOW, log: silent }, QUICK);
        expect(smtp.messages).toHaveLength(1);
        expect(smtp.messages[0]?.subject).toBe('Hearken daily digest for 2026-11-23: 1 overdue check-in');
        expect(smtp.messages[0]?.text).not.toContain('Litigation status update');
        await runDigestSend(t.database, config, { frequency: 'daily', now: new Date('2026-11-25T12:00:00.000Z'), log: silent }, QUICK);
        expect(smtp.messages).toHaveLength(2);
        expect(smtp.messages[1]?.text).toContain('Litigation status update for Kestrel Holdings (due 2026-11-25)');
      } finally {
        await smtp.close();
      }
    });
  });
}
