import { describe, expect, it } from 'vitest';
import { meetingInMonth, nextDueDates } from './calendar.js';
import { ruleGuidance } from './guidance.js';
import { buildReportsFeed } from './reports-due.js';

describe('meetingInMonth', () => {
  it('should clamp a day past the month end to its last day', () => {
    expect(meetingInMonth({ type: 'day_of_month', day: 31 }, 2026, 1)).toBe('2026-02-28');
    expect(meetingInMonth({ type: 'day_of_month', day: 15 }, 2026, 10)).toBe('2026-11-15');
  });
  it('should find the nth and the last weekday', () => {
    // 1 November 2026 is a Sunday.
    expect(meetingInMonth({ type: 'nth_weekday', nth: 1, weekday: 1 }, 2026, 10)).toBe('2026-11-02');
    expect(meetingInMonth({ type: 'nth_weekday', nth: 1, weekday: 7 }, 2026, 10)).toBe('2026-11-01');
    expect(meetingInMonth({ type: 'nth_weekday', nth: 3, weekday: 4 }, 2026, 10)).toBe('2026-11-19');
    expect(meetingInMonth({ type: 'nth_weekday', nth: -1, weekday: 5 }, 2026, 10)).toBe('2026-11-27');
    expect(meetingInMonth({ type: 'nth_weekday', nth: -1, weekday: 1 }, 2026, 10)).toBe('2026-11-30');
  });
});

describe('nextDueDates', () => {
  it('should put each report leadDays before its meeting, inside the window only', () => {
    const rule = { anchor: { type: 'day_of_month' as const, day: 5 }, leadDays: 7 };
    expect(nextDueDates(rule, '2026-11-01', '2027-01-31')).toEqual([
      { dueOn: '2026-11-28', meetingOn: '2026-12-05' },
      { dueOn: '2026-12-29', meetingOn: '2027-01-05' },
      { dueOn: '2027-01-29', meetingOn: '2027-02-05' },
    ]);
  });
  it('should return nothing for an empty or reversed window', () => {
    expect(nextDueDates({ anchor: { type: 'day_of_month', day: 5 }, leadDays: 0 }, '2026-11-06', '2026-11-30')).toEqual([]);
    expect(nextDueDates({ anchor: { type: 'day_of_month', day: 5 }, leadDays: 0 }, '2026-12-01', '2026-11-01')).toEqual([]);
  });
});

describe('ruleGuidance', () => {
  it('should say Megge, not Meg', () => {
    expect(ruleGuidance({ kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] }, 'Megge Ross')).toEqual({
      do: ['Call Megge Ross “Megge”'],
      dont: ['Not “Meg”'],
    });
  });
  it('should list brands with their aliases', () => {
    const g = ruleGuidance({ kind: 'avoid_brands', brands: [{ name: 'Chevrolet', aliases: ['Chevy', 'GM'] }] }, null);
    expect(g.dont).toEqual(['No Chevrolet (also Chevy, GM)']);
  });
});

describe('buildReportsFeed', () => {
  const item = {
    uid: 'report-p1-2026-12-05@hearken',
    preferenceId: 'p1',
    client: { id: 'c1', name: 'Ford Motor Company' },
    contact: null,
    report: 'Litigation status update',
    statement: 'Before each board meeting',
    dueOn: '2026-11-28',
    meetingOn: '2026-12-05',
  };
  it('should write one all-day event per occurrence with its stable UID', () => {
    const ics = buildReportsFeed([item]);
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('UID:report-p1-2026-12-05@hearken');
    expect(ics).toMatch(/DTSTART;VALUE=DATE:20261128/);
    expect(ics).toContain('Litigation status update due: Ford Motor Company');
  });
  it('should write a valid empty calendar', () => {
    const ics = buildReportsFeed([]);
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('END:VCALENDAR');
    expect(ics).not.toContain('BEGIN:VEVENT');
  });
});
