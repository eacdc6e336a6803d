import { nextDueDates } from '../calendar.js';
import type { RuleSource } from '../rules.js';

/**
 * Reporting calendar over a client's preferences: the reports due in a window, each with the
 * preference it comes from. The date arithmetic (anchor → meeting, clamped to the month's last day or
 * the nth/last ISO weekday; due = meeting − leadDays) is `nextDueDates` in `../calendar.ts`, shared with
 * the app calendar and the ICS feed. Pure, UTC dates.
 */

export interface ReportDue {
  preferenceId: string;
  statement: string;
  clientId: string;
  contactId: string | null;
  report: string;
  /** ISO date of the meeting the report feeds. */
  meetingDate: string;
  /** ISO date the report is due: meetingDate − leadDays. */
  dueDate: string;
}

const DAY_MS = 86_400_000;

/** Reports due from `from` (ISO date, inclusive) for `days` days, sorted by due date. */
export function reportsDue(rules: RuleSource[], from: string, days = 90): ReportDue[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  if (!Number.isFinite(start) || days <= 0) {
    return [];
  }
  const to = new Date(start + (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const out: ReportDue[] = [];
  for (const s of rules) {
    if (s.rule.kind !== 'reporting_schedule') {
      continue;
    }
    for (const due of nextDueDates(s.rule, from, to)) {
      out.push({
        preferenceId: s.preferenceId,
        statement: s.statement,
        clientId: s.clientId,
        contactId: s.contactId,
        report: s.rule.report,
        meetingDate: due.meetingOn,
        dueDate: due.dueOn,
      });
    }
  }
  return out.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.report.localeCompare(b.report));
}
