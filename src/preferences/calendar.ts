import type { ReportingScheduleRule } from './rules.js';

/**
 * When reports fall due under a reporting schedule: the meeting each month (a day of the month,
 * or the nth weekday), and the report due `leadDays` before it. Pure; dates are YYYY-MM-DD in UTC.
 */

export interface DueDate {
  /** When the report must reach the client. */
  dueOn: string;
  /** The meeting it feeds. */
  meetingOn: string;
}

const DAY_MS = 86_400_000;

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The meeting date in a month (month 0–11); a day past the month's end falls on its last day. */
export function meetingInMonth(anchor: ReportingScheduleRule['anchor'], year: number, month: number): string {
  if (anchor.type === 'day_of_month') {
    return iso(new Date(Date.UTC(year, month, Math.min(anchor.day, daysInMonth(year, month)))));
  }
  const isoWeekday = (d: Date) => ((d.getUTCDay() + 6) % 7) + 1;
  if (anchor.nth === -1) {
    const last = new Date(Date.UTC(year, month, daysInMonth(year, month)));
    const back = (isoWeekday(last) - anchor.weekday + 7) % 7;
    return iso(new Date(last.getTime() - back * DAY_MS));
  }
  const first = new Date(Date.UTC(year, month, 1));
  const forward = (anchor.weekday - isoWeekday(first) + 7) % 7;
  return iso(new Date(first.getTime() + (forward + (anchor.nth - 1) * 7) * DAY_MS));
}

/** Every report due date from `from` to `to` (inclusive), earliest first. */
export function nextDueDates(rule: Pick<ReportingScheduleRule, 'anchor' | 'leadDays'>, from: string, to: string): DueDate[] {
  if (from > to) {
    return [];
  }
  const out: DueDate[] = [];
  // Meetings up to leadDays after `to` can have a report due inside the window.
  const start = new Date(`${from}T00:00:00.000Z`);
  const end = new Date(Date.parse(`${to}T00:00:00.000Z`) + (rule.leadDays + 31) * DAY_MS);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  while (Date.UTC(year, month, 1) <= end.getTime()) {
    const meetingOn = meetingInMonth(rule.anchor, year, month);
    const dueOn = iso(new Date(Date.parse(`${meetingOn}T00:00:00.000Z`) - rule.leadDays * DAY_MS));
    if (dueOn >= from && dueOn <= to) {
      out.push({ dueOn, meetingOn });
    }
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return out;
}
