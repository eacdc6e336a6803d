import type { DigestFrequency } from '../db/schema.js';

/** Pure date logic of the digest schedule (UTC throughout). */

export type SendingFrequency = Exclude<DigestFrequency, 'off'>;

export interface DigestSchedule {
  /** The hour (0–23, UTC) digests go out. */
  hourUtc: number;
  /** For weekly digests, the ISO weekday (1 = Monday … 7 = Sunday). */
  weeklyDay: number;
}

/** ISO week of a date, e.g. 2026-W48 (the week belongs to the year of its Thursday). */
export function isoWeekKey(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The period a digest sent at `now` covers: the day (2026-11-23) or the ISO week (2026-W48). */
export function periodKey(frequency: SendingFrequency, now: Date): string {
  return frequency === 'daily' ? now.toISOString().slice(0, 10) : isoWeekKey(now);
}

/**
 * Whether this period's digest may go out at `now`: for a daily digest once the configured hour
 * has come today; for a weekly one once the configured weekday and hour have come this ISO
 * week (so a server that was down on Monday still sends on Tuesday, within the same week).
 */
export function digestDue(frequency: SendingFrequency, now: Date, schedule: DigestSchedule): boolean {
  const hour = now.getUTCHours();
  if (frequency === 'daily') {
    return hour >= schedule.hourUtc;
  }
  const weekday = now.getUTCDay() || 7;
  return weekday > schedule.weeklyDay || (weekday === schedule.weeklyDay && hour >= schedule.hourUtc);
}

/** How long to wait before retry number `attempts` + 1 (after `attempts` failures). */
export const RETRY_BACKOFF_MINUTES = [5, 30, 120, 360] as const;

export function nextAttemptAt(attempts: number, now: Date, backoffMinutes: readonly number[] = RETRY_BACKOFF_MINUTES): string {
  const minutes = backoffMinutes[Math.min(attempts, backoffMinutes.length) - 1] ?? backoffMinutes[0] ?? 5;
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}
