import { randomBytes } from 'node:crypto';
import { createEvents, type EventAttributes } from 'ics';
import { v7 as uuidv7 } from 'uuid';
import { addDays, todayUtc } from '../actions/loop.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { UserRow } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { digest } from '../firm/auth.js';
import { UnauthorizedError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import { nextDueDates } from './calendar.js';
import { visiblePreferences } from './preferences.js';
import { PreferenceRule } from './rules.js';
import type { CalendarTokenStatus, ReportDue } from './schemas.js';

/**
 * Reports coming due under the clients' reporting schedules, for the app, the digest and the
 * personal calendar feed. A report occurrence's UID is stable (preference and meeting date), so
 * a subscribed calendar updates an event rather than adding a second one.
 */

export function reportUid(preferenceId: string, meetingOn: string): string {
  return `report-${preferenceId}-${meetingOn}@hearken`;
}

async function reportsDue(ctx: ServiceContext, from: string, to: string, clientId?: string): Promise<ReportDue[]> {
  const rows = await ctx.db
    .selectFrom('preferences')
    .innerJoin('clients', 'clients.id', 'preferences.client_id')
    .leftJoin('contacts', 'contacts.id', 'preferences.contact_id')
    .select([
      'preferences.id',
      'preferences.client_id',
      'clients.name as client_name',
      'preferences.contact_id',
      'contacts.name as contact_name',
      'preferences.statement',
      'preferences.rule',
    ])
    .where(visiblePreferences(ctx.actor))
    .where('preferences.archived', '=', false)
    .where('preferences.category', '=', 'reporting')
    .where('preferences.rule', 'is not', null)
    .$if(!!clientId, (q) => q.where('preferences.client_id', '=', clientId ?? ''))
    .orderBy('preferences.id')
    .execute();
  const out: ReportDue[] = [];
  for (const r of rows) {
    let rule: PreferenceRule | null = null;
    try {
      const parsed = PreferenceRule.safeParse(JSON.parse(r.rule ?? 'null'));
      rule = parsed.success ? parsed.data : null;
    } catch {
      rule = null;
    }
    if (rule?.kind !== 'reporting_schedule') {
      continue;
    }
    for (const due of nextDueDates(rule, from, to)) {
      out.push({
        uid: reportUid(r.id, due.meetingOn),
        preferenceId: r.id,
        client: { id: r.client_id, name: r.client_name },
        contact: r.contact_id && r.contact_name ? { id: r.contact_id, name: r.contact_name } : null,
        report: rule.report,
        statement: r.statement,
        dueOn: due.dueOn,
        meetingOn: due.meetingOn,
      });
    }
  }
  return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.client.name.localeCompare(b.client.name) || a.uid.localeCompare(b.uid));
}

/**
 * Reports due from `from` to `to` (YYYY-MM-DD, inclusive) for every client whose preferences the
 * actor may read (walls and team scope inside the SQL), earliest first. For the digest too.
 */
export function reportsDueForUser(ctx: ServiceContext, from: string, to: string): Promise<ReportDue[]> {
  return reportsDue(ctx, from, to);
}

/** Reports due for one client; the caller has checked that the actor may read its preferences. */
export function reportsDueForClient(ctx: ServiceContext, clientId: string, from: string, to: string): Promise<ReportDue[]> {
  return reportsDue(ctx, from, to, clientId);
}

export async function reportsDueAhead(ctx: ServiceContext, days: number, now = new Date()) {
  const from = todayUtc(now);
  const to = addDays(from, days);
  return { from, to, items: await reportsDueForUser(ctx, from, to) };
}

// ---------------------------------------------------------------- the feed token

const FEED_PREFIX = 'hkcal_';
export const FEED_PATH = '/api/v1/me/calendar.ics';

export async function calendarTokenStatus(ctx: ServiceContext): Promise<CalendarTokenStatus> {
  const row = await ctx.db
    .selectFrom('calendar_feed_tokens')
    .select(['prefix', 'created_at'])
    .where('user_id', '=', ctx.actor.id ?? '')
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return { active: !!row, prefix: row?.prefix ?? null, createdAt: row?.created_at ?? null };
}

/** A new feed token for the acting user (the secret is returned once); any earlier one is revoked. */
export async function createCalendarToken(ctx: ServiceContext): Promise<{ token: string; path: string; prefix: string; createdAt: string }> {
  const userId = ctx.actor.id;
  if (!userId) {
    throw new UnauthorizedError();
  }
  const token = `${FEED_PREFIX}${randomBytes(32).toString('base64url')}`;
  const at = nowIso();
  const row = { id: uuidv7(), user_id: userId, token_hash: digest(token), prefix: token.slice(0, FEED_PREFIX.length + 6), created_at: at, revoked_at: null };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('calendar_feed_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    await trx.insertInto('calendar_feed_tokens').values(row).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'calendar_token.create', entity: 'calendar_feed_token', entityId: row.id, after: { prefix: row.prefix } });
  });
  return { token, path: `${FEED_PATH}?token=${encodeURIComponent(token)}`, prefix: row.prefix, createdAt: at };
}

/** Revokes the acting user's feed token(s): subscribed calendars stop updating. */
export async function revokeCalendarToken(ctx: ServiceContext): Promise<void> {
  const userId = ctx.actor.id ?? '';
  await ctx.db.transaction().execute(async (trx) => {
    const active = await trx.selectFrom('calendar_feed_tokens').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    const at = nowIso();
    for (const t of active) {
      await trx.updateTable('calendar_feed_tokens').set({ revoked_at: at }).where('id', '=', t.id).execute();
      await recordAudit(
        { ...ctx, db: trx },
        { action: 'calendar_token.revoke', entity: 'calendar_feed_token', entityId: t.id, changes: { revokedAt: [null, at] } },
      );
    }
  });
}

/** The user a feed token belongs to; revoked, unknown or deactivated means none. */
export async function resolveCalendarToken(db: Db, token: string | undefined): Promise<UserRow | undefined> {
  if (!token?.startsWith(FEED_PREFIX)) {
    return undefined;
  }
  const row = await db
    .selectFrom('calendar_feed_tokens')
    .innerJoin('users', 'users.id', 'calendar_feed_tokens.user_id')
    .selectAll('users')
    .select('calendar_feed_tokens.revoked_at')
    .where('calendar_feed_tokens.token_hash', '=', digest(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || !toBool(row.active)) {
    return undefined;
  }
  const { revoked_at: _revoked, ...user } = row;
  return user;
}

// ---------------------------------------------------------------- ICS

function dateArray(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y as number, m as number, d as number];
}

/** The reports as an RFC 5545 calendar of all-day events, one per report occurrence. Pure. */
export function buildReportsFeed(items: ReportDue[], calName = 'Hearken: client reports due'): string {
  if (items.length === 0) {
    return [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Hearken//Client reports//EN',
      'CALSCALE:GREGORIAN',
      `X-WR-CALNAME:${calName}`,
      'END:VCALENDAR',
      '',
    ].join('\r\n');
  }
  const events: EventAttributes[] = items.map((item) => ({
    uid: item.uid,
    title: `${item.report} due: ${item.client.name}`,
    description: `${item.client.name}${item.contact ? ` (${item.contact.name})` : ''} asked: “${item.statement}”\nMeeting: ${item.meetingOn}.`,
    start: dateArray(item.dueOn),
    end: dateArray(addDays(item.dueOn, 1)),
    busyStatus: 'FREE',
    transp: 'TRANSPARENT',
  }));
  const { error, value } = createEvents(events, { productId: '-//Hearken//Client reports//EN', calName });
  if (error || !value) {
    throw error ?? new Error('the calendar feed could not be built');
  }
  return value;
}

/** The feed for a token: reports due from a week ago to six months ahead, as the token's user may see them. */
export async function calendarFeed(db: Db, token: string | undefined, now = new Date()): Promise<string> {
  const user = await resolveCalendarToken(db, token);
  if (!user) {
    throw new UnauthorizedError('The calendar feed token is invalid or revoked');
  }
  const today = todayUtc(now);
  const ctx: ServiceContext = { db, actor: { id: user.id, role: user.role, name: user.name, email: user.email } };
  return buildReportsFeed(await reportsDueForUser(ctx, addDays(today, -7), addDays(today, 183)));
}
