import { describe, expect, it } from 'vitest';
import { meetingInMonth } from '../calendar.js';
import type { ReportingScheduleRule } from '../rules.js';
import { reportsDue } from './reporting.js';

/** Month 1–12 for readable cases; calendar.ts takes 0–11. */
const meetingDateInMonth = (anchor: ReportingScheduleRule['anchor'], year: number, month: number) => meetingInMonth(anchor, year, month - 1);

import { ruleSource } from './testing.js';

describe('meetingDateInMonth', () => {
  it('should clamp a day of the month to the month end', () => {
    expect(meetingDateInMonth({ type: 'day_of_month', day: 31 }, 2026, 4)).toBe('2026-04-30');
    expect(meetingDateInMonth({ type: 'day_of_month', day: 30 }, 2028, 2)).toBe('2028-02-29');
    expect(meetingDateInMonth({ type: 'day_of_month', day: 15 }, 2026, 11)).toBe('2026-11-15');
  });

  it('should find the nth and the last weekday', () => {
    // November 2026 starts on a Sunday.
    expect(meetingDateInMonth({ type: 'nth_weekday', nth: 1, weekday: 7 }, 2026, 11)).toBe('2026-11-01');
    expect(meetingDateInMonth({ type: 'nth_weekday', nth: 1, weekday: 1 }, 2026, 11)).toBe('2026-11-02');
    expect(meetingDateInMonth({ type: 'nth_weekday', nth: 3, weekday: 4 }, 2026, 11)).toBe('2026-11-19');
    expect(meetingDateInMonth({ type: 'nth_weekday', nth: -1, weekday: 1 }, 2026, 11)).toBe('2026-11-30');
    expect(meetingDateInMonth({ type: 'nth_weekday', nth: -1, weekday: 5 }, 2026, 11)).toBe('2026-11-27');
  });
});

describe('reportsDue', () => {
  const board = ruleSource(
    { kind: 'reporting_schedule', report: 'Litigation status update', anchor: { type: 'nth_weekday', nth: 1, weekday: 2 }, leadDays: 5 },
    { statement: 'I report on all disputes at the monthly board meeting.' },
  );

  it('should list due dates in the window, meeting minus lead days, sorted', () => {
    const due = reportsDue([board, ruleSource({ kind: 'billing' })], '2026-11-23', 90);
    expect(due.map((d) => [d.meetingDate, d.dueDate])).toEqual([
      ['2026-12-01', '2026-11-26'],
      ['2027-01-05', '2026-12-31'],
      ['2027-02-02', '2027-01-28'],
    ]);
    expect(due[0]).toMatchObject({
      preferenceId: board.preferenceId,
      statement: board.statement,
      clientId: 'client-1',
      contactId: null,
      report: 'Litigation status update',
    });
  });

  it('should include a report due in the window for a meeting after it, and exclude ones due before the start', () => {
    const monthEnd = ruleSource({ kind: 'reporting_schedule', report: 'Board pack', anchor: { type: 'day_of_month', day: 31 }, leadDays: 10 });
    expect(reportsDue([monthEnd], '2026-11-21', 10).map((d) => d.dueDate)).toEqual([]);
    expect(reportsDue([monthEnd], '2026-11-20', 1).map((d) => [d.meetingDate, d.dueDate])).toEqual([['2026-11-30', '2026-11-20']]);
    expect(reportsDue([monthEnd], 'not a date', 30)).toEqual([]);
  });
});
