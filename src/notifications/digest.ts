import { createRequire } from 'node:module';
import type nodemailerModule from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import { listActions } from '../actions/actions.js';
import { addDays, todayUtc } from '../actions/loop.js';
import type { Db } from '../db/connect.js';
import type { DigestFrequency, UserRow } from '../db/schema.js';
import { toBool } from '../db/values.js';
import { actorOf } from '../firm/auth.js';
import { scopeFor } from '../http/access.js';
import { listNominations } from '../listening/nominations.js';
import { reportsDueForUser } from '../preferences/reports-due.js';
import { listDue } from '../relationships/check-ins.js';
import type { SmtpConfig } from '../server/config.js';
import type { ServiceContext } from '../server/context.js';
import { buildDigestEmail, type DigestData, digestIsEmpty } from './digest-content.js';
import { digestDue, nextAttemptAt, periodKey, RETRY_BACKOFF_MINUTES, type SendingFrequency } from './digest-period.js';
import { countUnread, readDigestSchedule } from './notifications.js';

/** The outbox kind of a digest email. */
export const DIGEST_KIND = 'digest';
export const SENDING_FREQUENCIES: SendingFrequency[] = ['daily', 'weekly'];

export interface MailLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

// ---------------------------------------------------------------- what one user should hear about

/**
 * Gathers one user's digest through the same list services the web app uses, as that user, so
 * that it holds nothing the user may not see (walls, confidentiality, team scopes).
 */
export async function gatherDigest(
  db: Db,
  user: Pick<UserRow, 'id' | 'role' | 'name' | 'email'>,
  frequency: SendingFrequency,
  opts: { now: Date; baseUrl: string },
): Promise<DigestData> {
  const ctx: ServiceContext = { db, actor: actorOf(user), requestId: 'digest' };
  const today = todayUtc(opts.now);
  const horizon = frequency === 'daily' ? today : addDays(today, 6);

  const actions = (await listActions(ctx, { mine: true, status: 'open,in_progress', sort: 'dueOn', limit: 200 }, opts.now)).items
    .filter((a) => a.dueOn !== null && a.dueOn <= horizon)
    .map((a) => ({ id: a.id, title: a.title, clientName: a.client.name, dueOn: a.dueOn, overdue: a.overdue }));

  let checkIns: DigestData['checkIns'] = [];
  if (scopeFor(ctx.actor.role, 'check_in', 'read')) {
    const partnerOf = new Set(
      (await db.selectFrom('client_team').select('client_id').where('user_id', '=', user.id).where('team_role', '=', 'relationship_partner').execute()).map(
        (r) => r.client_id,
      ),
    );
    checkIns = (await listDue(ctx, {}, today)).items
      .filter((i) => i.status === 'red' && partnerOf.has(i.client.id))
      .map((i) => ({ clientId: i.client.id, clientName: i.client.name, contactName: i.contact?.name ?? null, daysSince: i.daysSince, maxDays: i.maxDays }));
  }

  let nominations: DigestData['nominations'] = [];
  if (scopeFor(ctx.actor.role, 'nomination', 'respond') && scopeFor(ctx.actor.role, 'nomination', 'read')) {
    nominations = (await listNominations(ctx, { mine: true, status: undefined, limit: 200 }))
      .filter((n) => n.waiting)
      .map((n) => ({ clientName: n.client.name, programmeName: n.programme.name }));
  }

  // Reports the user's clients expect in the digest's window (only clients whose preferences they may read).
  const reportsDue = (await reportsDueForUser(ctx, today, horizon)).map((r) => ({
    clientName: r.client.name,
    title: r.contact ? `${r.report} (${r.contact.name})` : r.report,
    dueOn: r.dueOn,
    link: `/clients/${r.client.id}/brief`,
  }));

  return {
    baseUrl: opts.baseUrl,
    recipientName: user.name,
    frequency,
    periodKey: periodKey(frequency, opts.now),
    actions,
    checkIns,
    nominations,
    reportsDue,
    unreadNotifications: await countUnread(db, ctx.actor),
  };
}

// ---------------------------------------------------------------- composing into the outbox

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface ComposeReport {
  /** Queued now (or, in a dry run, would be). */
  queued: { userId: string; email: string; frequency: SendingFrequency; periodKey: string; subject: string }[];
  /** Users who would get a digest but cannot: inactive, or no email address. */
  skipped: { userId: string; name: string; reason: string }[];
  /** This period's digest is already in the outbox (sent or not): never written twice. */
  alreadyQueued: number;
  /** Nothing to say this period. */
  nothingToSay: number;
}

export interface ComposeOptions {
  now: Date;
  baseUrl: string;
  /** Only these frequencies (default both). */
  frequencies?: SendingFrequency[];
  /** The scheduler: only frequencies whose configured hour (and weekday) has come. */
  onlyDue?: boolean;
  /** Compose and report, write nothing. */
  dryRun?: boolean;
}

/**
 * Writes this period's digest of every user who chose one into the outbox: one row per user,
 * kind and period (a unique constraint), so running again, or on several servers at once, never
 * queues a second one. Users with nothing to say get nothing.
 */
export async function composeDigests(db: Db, opts: ComposeOptions): Promise<ComposeReport> {
  const report: ComposeReport = { queued: [], skipped: [], alreadyQueued: 0, nothingToSay: 0 };
  let frequencies = opts.frequencies ?? SENDING_FREQUENCIES;
  if (opts.onlyDue) {
    const schedule = await readDigestSchedule(db);
    frequencies = frequencies.filter((f) => digestDue(f, opts.now, schedule));
  }
  if (frequencies.length === 0) {
    return report;
  }
  const users = await db
    .selectFrom('users')
    .selectAll()
    .where('digest_frequency', 'in', frequencies as DigestFrequency[])
    .where('role', '!=', 'external')
    .orderBy('name')
    .orderBy('id')
    .execute();
  for (const user of users) {
    const frequency = user.digest_frequency as SendingFrequency;
    const key = periodKey(frequency, opts.now);
    const existing = await db
      .selectFrom('email_outbox')
      .select('id')
      .where('user_id', '=', user.id)
      .where('kind', '=', DIGEST_KIND)
      .where('period_key', '=', key)
      .executeTakeFirst();
    if (existing) {
      report.alreadyQueued += 1;
      continue;
    }
    if (!toBool(user.active)) {
      report.skipped.push({ userId: user.id, name: user.name, reason: 'inactive' });
      continue;
    }
    const to = (user.email ?? '').trim();
    if (!EMAIL.test(to)) {
      report.skipped.push({ userId: user.id, name: user.name, reason: 'no email address' });
      continue;
    }
    const data = await gatherDigest(db, user, frequency, opts);
    if (digestIsEmpty(data)) {
      report.nothingToSay += 1;
      continue;
    }
    const email = buildDigestEmail(data);
    if (!opts.dryRun) {
      const at = opts.now.toISOString();
      const result = await db
        .insertInto('email_outbox')
        .values({
          id: uuidv7(),
          user_id: user.id,
          kind: DIGEST_KIND,
          period_key: key,
          to_address: to,
          subject: email.subject,
          text_body: email.text,
          html_body: email.html,
          status: 'pending',
          attempts: 0,
          last_error: null,
          next_attempt_at: at,
          created_at: at,
          sent_at: null,
        })
        .onConflict((oc) => oc.columns(['user_id', 'kind', 'period_key']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
        // Another server queued it between our check and our insert.
        report.alreadyQueued += 1;
        continue;
      }
    }
    report.queued.push({ userId: user.id, email: to, frequency, periodKey: key, subject: email.subject });
  }
  return report;
}

// ---------------------------------------------------------------- delivering

/** Builds the nodemailer transport from HEARKEN_SMTP_URL; `overrides` (tests) tighten timeouts. */
export function createMailTransport(
  smtp: SmtpConfig,
  overrides: Partial<Record<'connectionTimeout' | 'greetingTimeout' | 'socketTimeout', number>> = {},
): Transporter {
  const url = new URL(smtp.url);
  const secure = url.protocol === 'smtps:';
  // Loaded here, on first use, so a server that never sends mail never loads nodemailer.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof nodemailerModule;
  return nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    ...overrides,
  });
}

export interface DeliverOptions {
  now: Date;
  from: string;
  log: MailLog;
  /** After this many failed attempts a message is marked failed (kept for admins to see). */
  maxAttempts?: number;
  backoffMinutes?: readonly number[];
  /** At most this many messages per run. */
  batch?: number;
}

export interface DeliverReport {
  sent: number;
  /** Failed this time, will be retried. */
  retrying: number;
  /** Failed for the last time: status failed. */
  failed: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
/** How long a claimed message is left to its sender before another run may pick it up again. */
const CLAIM_MINUTES = 10;

/**
 * Sends pending outbox messages whose time has come. Each message is first claimed (its next
 * attempt pushed forward, conditionally), so two servers never send the same one; a refusal
 * (SMTP 4xx/5xx) or a timeout records the attempt and its error and backs off, and after
 * `maxAttempts` the message is marked failed: nothing is dropped silently.
 */
export async function deliverPending(db: Db, transport: Pick<Transporter, 'sendMail'>, opts: DeliverOptions): Promise<DeliverReport> {
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = opts.backoffMinutes ?? RETRY_BACKOFF_MINUTES;
  const nowIsoString = opts.now.toISOString();
  const report: DeliverReport = { sent: 0, retrying: 0, failed: 0 };
  const rows = await db
    .selectFrom('email_outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowIsoString)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(opts.batch ?? 100)
    .execute();
  for (const row of rows) {
    const claimed = await db
      .updateTable('email_outbox')
      .set({ next_attempt_at: new Date(opts.now.getTime() + CLAIM_MINUTES * 60_000).toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', row.attempts)
      .where('next_attempt_at', '<=', nowIsoString)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) {
      continue;
    }
    const attempts = row.attempts + 1;
    try {
      await transport.sendMail({ from: opts.from, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body });
      await db
        .updateTable('email_outbox')
        .set({ status: 'sent', attempts, sent_at: opts.now.toISOString(), last_error: null })
        .where('id', '=', row.id)
        .execute();
      report.sent += 1;
    } catch (err) {
      const message = describeError(err);
      const giveUp = attempts >= maxAttempts;
      await db
        .updateTable('email_outbox')
        .set({
          attempts,
          last_error: message,
          ...(giveUp ? { status: 'failed' as const } : { next_attempt_at: nextAttemptAt(attempts, opts.now, backoff) }),
        })
        .where('id', '=', row.id)
        .execute();
      const fields = { outboxId: row.id, userId: row.user_id, kind: row.kind, periodKey: row.period_key, attempts, error: message };
      if (giveUp) {
        report.failed += 1;
        opts.log.error(fields, 'email failed for the last time; marked failed');
      } else {
        report.retrying += 1;
        opts.log.warn(fields, 'email not delivered; will retry');
      }
    }
  }
  return report;
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { code?: string; responseCode?: number; response?: string };
    const parts = [e.code, e.responseCode ? String(e.responseCode) : undefined, e.response ?? e.message].filter(Boolean);
    return parts.join(' ').slice(0, 1000);
  }
  return String(err).slice(0, 1000);
}

// ---------------------------------------------------------------- the in-process schedule

/** What one scheduler remembers between ticks: the period each frequency was last composed for. */
export type DigestTickState = Map<SendingFrequency, string>;

/**
 * One tick of the schedule: composes the digests whose hour (and weekday) has come, once per
 * period in this process — a digest is a snapshot taken when the hour comes, so people with
 * nothing to say are not re-examined every few minutes — then delivers what is pending.
 */
export async function digestTick(
  db: Db,
  state: DigestTickState,
  opts: { transport: Pick<Transporter, 'sendMail'>; from: string; baseUrl: string; log: MailLog; now: Date },
): Promise<{ composed: ComposeReport; delivered: DeliverReport }> {
  const { now } = opts;
  const schedule = await readDigestSchedule(db);
  const frequencies = SENDING_FREQUENCIES.filter((f) => digestDue(f, now, schedule) && state.get(f) !== periodKey(f, now));
  const composed = await composeDigests(db, { now, baseUrl: opts.baseUrl, frequencies });
  for (const f of frequencies) {
    state.set(f, periodKey(f, now));
  }
  if (composed.queued.length > 0 || composed.skipped.length > 0) {
    opts.log.info({ queued: composed.queued.length, skipped: composed.skipped }, 'digests queued');
  }
  const delivered = await deliverPending(db, opts.transport, { now, from: opts.from, log: opts.log });
  if (delivered.sent + delivered.retrying + delivered.failed > 0) {
    opts.log.info({ ...delivered }, 'outbox delivered');
  }
  return { composed, delivered };
}

/**
 * Every few minutes, a `digestTick`. Safe on several app servers (the outbox's unique constraint
 * and the claim before sending). Does nothing when SMTP is not configured. The timer never holds
 * the process open.
 */
export function startDigestScheduler(db: Db, opts: { smtp: SmtpConfig | undefined; baseUrl: string; log: MailLog }, everyMs = 5 * 60 * 1000): () => void {
  const { smtp } = opts;
  if (!smtp) {
    opts.log.info({}, 'digest emails are off: HEARKEN_SMTP_URL is not set');
    return () => {};
  }
  const transport = createMailTransport(smtp);
  const state: DigestTickState = new Map();
  let running = false;
  const run = async () => {
    if (running) {
      return;
    }
    running = true;
    try {
      await digestTick(db, state, { transport, from: smtp.from, baseUrl: opts.baseUrl, log: opts.log, now: new Date() });
    } catch (err) {
      opts.log.error({ err }, 'digest run failed');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 90 * 1000);
  first.unref();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
    transport.close();
  };
}
