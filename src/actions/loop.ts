import type { ActionStatus } from '../db/schema.js';

/**
 * The loop's rules as pure functions of the data and "now", so they are tested without a
 * database and the SQL that applies them (lists, the sweep) follows the same definitions.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Statuses in which an action still needs doing. */
export const OPEN_STATUSES: ActionStatus[] = ['open', 'in_progress'];

export function isOpen(status: ActionStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Today's date in UTC as YYYY-MM-DD. */
export function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A date `days` after a YYYY-MM-DD date (UTC), as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Overdue: still open or in progress, with a due date before today (UTC). Due today is not overdue. */
export function isOverdue(action: { status: ActionStatus; due_on: string | null }, now: Date): boolean {
  return isOpen(action.status) && action.due_on !== null && action.due_on < todayUtc(now);
}

/** Whole days from a YYYY-MM-DD date to today (UTC); 0 on the day itself. */
export function daysSince(date: string, now: Date): number {
  return Math.floor((Date.parse(`${todayUtc(now)}T00:00:00.000Z`) - Date.parse(`${date}T00:00:00.000Z`)) / DAY_MS);
}

/** The latest heard-on date that counts as unactioned: heard more than `afterDays` days ago. */
export function unactionedHeardBefore(now: Date, afterDays: number): string {
  return addDays(todayUtc(now), -afterDays);
}

/** Feedback unactioned: a concern or risk heard more than `afterDays` days ago with no action linked. */
export function isUnactioned(insight: { type: string; heard_on: string }, linkedActions: number, now: Date, afterDays: number): boolean {
  return (insight.type === 'concern' || insight.type === 'risk') && linkedActions === 0 && insight.heard_on < unactionedHeardBefore(now, afterDays);
}

/** The last-activity instant before which an open action escalates. */
export function escalationCutoff(now: Date, afterDays: number): string {
  return new Date(now.getTime() - afterDays * DAY_MS).toISOString();
}

/** Escalation due: open or in progress, untouched for more than `afterDays` days, and not escalated yet. */
export function isEscalationDue(
  action: { status: ActionStatus; last_activity_at: string; escalated_at: string | null },
  now: Date,
  afterDays: number,
): boolean {
  return isOpen(action.status) && action.escalated_at === null && action.last_activity_at < escalationCutoff(now, afterDays);
}

/** Detractor: an NPS answer of 0–6. */
export function isDetractor(nps: number | null | undefined): boolean {
  return nps !== null && nps !== undefined && nps >= 0 && nps <= 6;
}

/**
 * Whether a status change is allowed: open ↔ in_progress, either to done or wont_do, and done
 * or wont_do back to open. Returns the refusal message, or null when allowed.
 */
export function statusRefusal(from: ActionStatus, to: ActionStatus): string | null {
  if (from === to) {
    return null;
  }
  if (isOpen(from)) {
    return null;
  }
  if (to === 'open') {
    return null;
  }
  return `cannot go from ${from} to ${to}: reopen it first`;
}
