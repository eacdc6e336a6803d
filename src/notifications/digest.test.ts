import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { todayUtc } from '../actions/loop.js';
import { buildAction } from '../actions/testing.js';
import { runDigestSend } from '../cli/digest.js';
import { CliError } from '../cli/io.js';
import { putWall } from '../clients/walls.js';
import { updateUser } from '../firm/users.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { composeDigests, createMailTransport, type DigestTickState, deliverPending, digestTick, type MailLog } from './digest.js';
import { startSilentServer, startSmtp } from './testing.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const asCtx = (t: TestApp, u: User): ServiceContext => ({ db: t.database.db, actor: { id: u.id, role: u.role, name: u.name, email: u.email } });
const BASE_URL = 'https://hearken.firm.example';
const FROM = 'Hearken <hearken@firm.example>';
const QUICK = { connectionTimeout: 300, greetingTimeout: 300, socketTimeout: 300 };

/** Collects what would go to pino, so tests can see each failure was logged. */
function collectingLog() {
  const entries: { level: 'info' | 'warn' | 'error'; obj: object; msg: string }[] = [];
  const log: MailLog = {
    info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => entries.push({ level: 'error', obj, msg }),
  };
  return { log, entries };
}

const minutesAfter = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

for (const dialect of DIALECTS) {
  describe(`digest emails (${dialect})`, () => {
    let t: TestApp;
    let lead: User;
    let ann: User;
    let carol: User;
    let nomail: User;
    let gone: User;
    let quiet: User;
    let overdueId: string;
    let dueTodayId: string;
    let acmeId: string;
    const now = new Date();

    const outbox = () => t.database.db.selectFrom('email_outbox').selectAll().orderBy('id').execute();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const sys = systemContext(t.database.db);
      lead = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      ann = await buildUser(t, 'partner', { name: 'Ann Able' });
      carol = await buildUser(t, 'partner', { name: 'Carol Off' });
      nomail = await buildUser(t, 'partner', { name: 'Nora Nomail' });
      gone = await buildUser(t, 'partner', { name: 'Gus Gone' });
      quiet = await buildUser(t, 'member', { name: 'Quentin Quiet' });

      const { client: acme } = await buildClientWithTeam(sys, { name: 'Acme & <Sons>', partnerIds: [ann.id, carol.id, nomail.id, gone.id] });
      acmeId = acme.id;
      const today = todayUtc(now);
      const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
      overdueId = (await buildAction(asCtx(t, lead), { clientId: acme.id, ownerId: ann.id, title: 'Fix the <b>bill</b>', dueOn: yesterday })).id;
      dueTodayId = (await buildAction(asCtx(t, lead), { clientId: acme.id, ownerId: ann.id, title: 'Send the pack', dueOn: today })).id;
      await buildAction(asCtx(t, lead), { clientId: acme.id, ownerId: ann.id, title: 'Someday', dueOn: null });
      for (const u of [carol, nomail, gone]) {
        await buildAction(asCtx(t, lead), { clientId: acme.id, ownerId: u.id, title: `Task for ${u.name}`, dueOn: yesterday });
      }

      // A client Ann partners but is walled off from: nothing of it may reach her digest.
      const { client: hidden } = await buildClientWithTeam(sys, { name: 'Hidden Holdings', partnerIds: [ann.id] });
      await buildAction(asCtx(t, lead), { clientId: hidden.id, ownerId: ann.id, title: 'Secret merger follow-up', dueOn: yesterday });
      await putWall(sys, hidden.id, { walled: true, memberIds: [lead.id] });

      // A nomination awaiting Ann's answer.
      const leadApi = await signIn(t.app, lead.email);
      const programme = await leadApi.post('/api/v1/programmes', { name: 'FY26 listening', startsOn: '2026-01-01', endsOn: '2027-12-31', status: 'active' });
      expect((await leadApi.post(`/api/v1/programmes/${programme.json().id}/nominations`, { clientIds: [acme.id] })).statusCode).toBe(201);

      // Carol turned digests off; Nora has no usable email address; Gus has left.
      await t.database.db.updateTable('users').set({ digest_frequency: 'off' }).where('id', '=', carol.id).execute();
      // The service refuses an empty email, so an address lost in an import is simulated in the table.
      await t.database.db.updateTable('users').set({ email: '' }).where('id', '=', nomail.id).execute();
      await updateUser(sys, gone.id, { active: false });
    }, 60_000);
    afterAll(async () => t.close());
    afterEach(async () => {
      await t.database.db.deleteFrom('email_outbox').execute();
    });

    it('should send one email per user per period with both parts, working links and nothing they may not see; a re-run sends nothing', async () => {
      const smtp = await startSmtp();
      try {
        const { log, entries } = collectingLog();
        const config = { smtp: { url: smtp.url, from: FROM }, baseUrl: BASE_URL };
        const first = await runDigestSend(t.database, config, { frequency: 'weekly', now, log }, QUICK);
        expect(first.delivered).toEqual({ sent: 1, retrying: 0, failed: 0 });
        expect(first.composed.queued.map((q) => q.userId)).toEqual([ann.id]);
        expect(first.composed.skipped.map((s) => s.userId)).not.toContain(quiet.id); // nothing to say is not a skip
        expect(first.composed.skipped).toEqual(
          expect.arrayContaining([
            { userId: nomail.id, name: 'Nora Nomail', reason: 'no email address' },
            { userId: gone.id, name: 'Gus Gone', reason: 'inactive' },
          ]),
        );
        expect(first.composed.skipped.map((s) => s.userId)).not.toContain(carol.id);
        expect(first.composed.nothingToSay).toBeGreaterThanOrEqual(2); // the lead and Quentin
        expect(entries.filter((e) => e.level !== 'info')).toEqual([]);

        expect(smtp.messages).toHaveLength(1);
        const [mail] = smtp.messages;
        expect(mail?.to).toEqual([ann.email]);
        expect(mail?.from).toBe('hearken@firm.example');
        expect(mail?.subject).toMatch(/^Hearken weekly digest \(\d{4}-W\d{2}\): 2 actions, 1 overdue check-in, 1 nomination$/);
        expect(mail?.headers['content-type']).toMatch(/^multipart\/alternative/);
        // Plain text: every item, with absolute links.
        expect(mail?.text).toContain(`Fix the <b>bill</b> (Acme & <Sons>; was due`);
        expect(mail?.text).toContain(`${BASE_URL}/actions?action=${overdueId}`);
        expect(mail?.text).toContain(`${BASE_URL}/actions?action=${dueTodayId}`);
        expect(mail?.text).toContain(`${BASE_URL}/clients/${acmeId}`);
        // One check-in: Acme's; Hidden Holdings, whose partner Ann is but behind a wall she is not on, is left out.
        expect(mail?.text).toContain('Overdue check-ins (1)');
        expect(mail?.text).toContain('Acme & <Sons> (FY26 listening)');
        expect(mail?.text).toContain(`${BASE_URL}/nominations`);
        expect(mail?.text).not.toContain('Someday');
        // HTML: escaped, with the same links.
        expect(mail?.html).toContain('Fix the &lt;b&gt;bill&lt;/b&gt; (Acme &amp; &lt;Sons&gt;; was due');
        expect(mail?.html).toContain(`<a href="${BASE_URL}/actions?action=${overdueId}">`);
        expect(mail?.html).not.toContain('<b>bill</b>');
        // Confidentiality: nothing of the walled client, not even its name.
        for (const part of [mail?.text, mail?.html, mail?.subject]) {
          expect(part).not.toContain('Hidden Holdings');
          expect(part).not.toContain('Secret merger');
        }
        // The links open what they name, for the recipient.
        const annApi = await signIn(t.app, ann.email);
        const linked = [...(mail?.text.matchAll(/\/actions\?action=([0-9a-f-]+)/g) ?? [])].map((m) => m[1]);
        expect(linked.length).toBe(2);
        for (const id of linked) {
          expect((await annApi.get(`/api/v1/actions/${id}`)).statusCode).toBe(200);
        }
        expect((await annApi.get(`/api/v1/clients/${acmeId}`)).statusCode).toBe(200);

        const rows = await outbox();
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ user_id: ann.id, kind: 'digest', status: 'sent', attempts: 1, last_error: null, to_address: ann.email });

        // Re-running (the CLI again, or the scheduler on another server) sends nothing more.
        const again = await runDigestSend(t.database, config, { frequency: 'weekly', now: minutesAfter(now, 30), log }, QUICK);
        expect(again.composed.queued).toEqual([]);
        expect(again.composed.alreadyQueued).toBe(1);
        expect(again.delivered).toEqual({ sent: 0, retrying: 0, failed: 0 });
        expect(smtp.messages).toHaveLength(1);
        expect(await outbox()).toHaveLength(1);
      } finally {
        await smtp.close();
      }
    });

    it('should refuse to send without SMTP, and a dry run writes and sends nothing', async () => {
      const { log } = collectingLog();
      await expect(runDigestSend(t.database, { smtp: undefined, baseUrl: BASE_URL }, { now, log })).rejects.toThrow(CliError);
      await expect(runDigestSend(t.database, { smtp: undefined, baseUrl: BASE_URL }, { now, log })).rejects.toThrow(/SMTP is not configured/);
      const dry = await runDigestSend(t.database, { smtp: undefined, baseUrl: BASE_URL }, { now, log, dryRun: true });
      expect(dry.composed.queued.map((q) => q.email)).toEqual([ann.email]);
      expect(dry.delivered).toBeNull();
      expect(await outbox()).toEqual([]);
    });

    it('should keep a refused message pending, retry it with back-off, log each failure, and mark it failed after the last attempt', async () => {
      const smtp = await startSmtp({ refuse: 550 });
      const transport = createMailTransport({ url: smtp.url, from: FROM }, QUICK);
      try {
        const { log, entries } = collectingLog();
        await composeDigests(t.database.db, { now, baseUrl: BASE_URL, frequencies: ['weekly'] });
        const opts = { from: FROM, log, maxAttempts: 3, backoffMinutes: [5, 30] };

        expect(await deliverPending(t.database.db, transport, { ...opts, now })).toEqual({ sent: 0, retrying: 1, failed: 0 });
        let [row] = await outbox();
        expect(row).toMatchObject({ status: 'pending', attempts: 1 });
        expect(row?.last_error).toContain('550');
        expect(row?.next_attempt_at).toBe(minutesAfter(now, 5).toISOString());

        // Not due yet: nothing is tried.
        expect(await deliverPending(t.database.db, transport, { ...opts, now: minutesAfter(now, 4) })).toEqual({ sent: 0, retrying: 0, failed: 0 });
        expect(smtp.refusals).toBe(1);

        expect(await deliverPending(t.database.db, transport, { ...opts, now: minutesAfter(now, 6) })).toEqual({ sent: 0, retrying: 1, failed: 0 });
        [row] = await outbox();
        expect(row).toMatchObject({ status: 'pending', attempts: 2 });
        expect(row?.next_attempt_at).toBe(minutesAfter(now, 36).toISOString());

        expect(await deliverPending(t.database.db, transport, { ...opts, now: minutesAfter(now, 40) })).toEqual({ sent: 0, retrying: 0, failed: 1 });
        [row] = await outbox();
        expect(row).toMatchObject({ status: 'failed', attempts: 3, user_id: ann.id });
        expect(row?.text_body).toContain('Fix the <b>bill</b>');
        expect(smtp.refusals).toBe(3);
        expect(smtp.messages).toEqual([]);
        expect(entries.map((e) => e.level)).toEqual(['warn', 'warn', 'error']);
        expect(entries[0]?.obj).toMatchObject({ outboxId: row?.id, attempts: 1 });

        // A failed message stays failed (kept for admins), and is never queued again this period.
        expect(await deliverPending(t.database.db, transport, { ...opts, now: minutesAfter(now, 600) })).toEqual({ sent: 0, retrying: 0, failed: 0 });
        expect((await composeDigests(t.database.db, { now, baseUrl: BASE_URL, frequencies: ['weekly'] })).alreadyQueued).toBe(1);

        // Admins see it, with the server's answer; nobody else may list the outbox.
        const admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
        const failed = await admin.get('/api/v1/email-outbox?status=failed');
        expect(failed.statusCode).toBe(200);
        expect(failed.json().items).toEqual([
          expect.objectContaining({ id: row?.id, to: ann.email, status: 'failed', attempts: 3, lastError: expect.stringContaining('550') }),
        ]);
        expect((await admin.get('/api/v1/email-outbox?status=sent')).json().items).toEqual([]);
        expect((await admin.get('/api/v1/email-outbox?status=lost')).statusCode).toBe(400);
        expect((await (await signIn(t.app, ann.email)).get('/api/v1/email-outbox')).statusCode).toBe(403);
      } finally {
        transport.close();
        await smtp.close();
      }
    });

    it('should retry a message after a server that never answers times out, and deliver it once the server is back', async () => {
      const silent = await startSilentServer();
      const smtp = await startSmtp();
      const hanging = createMailTransport({ url: silent.url, from: FROM }, QUICK);
      const working = createMailTransport({ url: smtp.url, from: FROM }, QUICK);
      try {
        const { log, entries } = collectingLog();
        await composeDigests(t.database.db, { now, baseUrl: BASE_URL, frequencies: ['weekly'] });
        expect(await deliverPending(t.database.db, hanging, { now, from: FROM, log })).toEqual({ sent: 0, retrying: 1, failed: 0 });
        expect(silent.connections).toBeGreaterThanOrEqual(1);
        let [row] = await outbox();
        expect(row).toMatchObject({ status: 'pending', attempts: 1 });
        expect(row?.last_error).toMatch(/ETIMEDOUT|timeout|Greeting never received/i);
        expect(entries.map((e) => e.level)).toEqual(['warn']);

        expect(await deliverPending(t.database.db, working, { now: minutesAfter(now, 6), from: FROM, log })).toEqual({ sent: 1, retrying: 0, failed: 0 });
        [row] = await outbox();
        expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
        expect(smtp.messages.map((m) => m.to)).toEqual([[ann.email]]);
      } finally {
        hanging.close();
        working.close();
        await silent.close();
        await smtp.close();
      }
    });

    it('should, on schedule, send nothing before the hour, then once per period, whichever server ticks', async () => {
      const smtp = await startSmtp();
      const transport = createMailTransport({ url: smtp.url, from: FROM }, QUICK);
      try {
        const { log } = collectingLog();
        // 2026-11-23 is a Monday; the default schedule is Mondays at 07:00 UTC.
        const monday = new Date('2026-11-23T06:55:00Z');
        const serverA: DigestTickState = new Map();
        const serverB: DigestTickState = new Map();
        const tick = (state: DigestTickState, at: Date) => digestTick(t.database.db, state, { transport, from: FROM, baseUrl: BASE_URL, log, now: at });

        const early = await tick(serverA, monday);
        expect(early.composed.queued).toEqual([]);
        expect(await outbox()).toEqual([]);

        const due = await tick(serverA, minutesAfter(monday, 10));
        expect(due.composed.queued.map((q) => [q.userId, q.periodKey])).toEqual([[ann.id, '2026-W48']]);
        expect(due.delivered.sent).toBe(1);
        // The same server later, and another server at the same time: nothing more.
        expect((await tick(serverA, minutesAfter(monday, 15))).composed.queued).toEqual([]);
        const other = await tick(serverB, minutesAfter(monday, 15));
        expect(other.composed.queued).toEqual([]);
        expect(other.composed.alreadyQueued).toBe(1);
        expect(smtp.messages).toHaveLength(1);
        // Next week, a new digest.
        expect((await tick(serverA, minutesAfter(monday, 7 * 24 * 60 + 10))).composed.queued.map((q) => q.periodKey)).toEqual(['2026-W49']);
      } finally {
        transport.close();
        await smtp.close();
      }
    });

    it('should queue daily digests under their own period, apart from weekly ones', async () => {
      await t.database.db.updateTable('users').set({ digest_frequency: 'daily' }).where('id', '=', ann.id).execute();
      try {
        const report = await composeDigests(t.database.db, { now, baseUrl: BASE_URL });
        expect(report.queued).toEqual([expect.objectContaining({ userId: ann.id, frequency: 'daily', periodKey: todayUtc(now) })]);
        expect(report.queued[0]?.subject).toContain('2 actions, 1 overdue check-in, 1 nomination');
        // Only the action overdue or due today: a daily digest looks one day ahead.
        const [row] = await outbox();
        expect(row?.text_body).toContain('Actions coming due today (1)');
      } finally {
        await t.database.db.updateTable('users').set({ digest_frequency: 'weekly' }).where('id', '=', ann.id).execute();
      }
    });
  });
}
