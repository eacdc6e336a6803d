import { describe, expect, it } from 'vitest';
import { addDays, daysSince, escalationCutoff, isDetractor, isEscalationDue, isOverdue, isUnactioned, statusRefusal, todayUtc } from './loop.js';

const now = new Date('2026-03-10T23:30:00.000Z');

describe('loop rules', () => {
  it('takes today in UTC and adds days across month ends', () => {
    expect(todayUtc(now)).toBe('2026-03-10');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('counts an action overdue only while open or in progress and due before today', () => {
    expect(isOverdue({ status: 'open', due_on: '2026-03-09' }, now)).toBe(true);
    expect(isOverdue({ status: 'in_progress', due_on: '2026-01-01' }, now)).toBe(true);
    expect(isOverdue({ status: 'open', due_on: '2026-03-10' }, now)).toBe(false);
    expect(isOverdue({ status: 'open', due_on: null }, now)).toBe(false);
    expect(isOverdue({ status: 'done', due_on: '2026-01-01' }, now)).toBe(false);
    expect(isOverdue({ status: 'wont_do', due_on: '2026-01-01' }, now)).toBe(false);
  });

  it('lists only concerns and risks with no action, heard more than the configured days ago', () => {
    expect(isUnactioned({ type: 'concern', heard_on: '2026-02-23' }, 0, now, 14)).toBe(true);
    expect(isUnactioned({ type: 'risk', heard_on: '2026-02-23' }, 0, now, 14)).toBe(true);
    expect(isUnactioned({ type: 'concern', heard_on: '2026-02-24' }, 0, now, 14)).toBe(false);
    expect(isUnactioned({ type: 'concern', heard_on: '2026-01-01' }, 1, now, 14)).toBe(false);
    expect(isUnactioned({ type: 'praise', heard_on: '2026-01-01' }, 0, now, 14)).toBe(false);
    expect(daysSince('2026-02-23', now)).toBe(15);
  });

  it('escalates open actions untouched for longer than the configured days, once', () => {
    const stale = { status: 'open' as const, last_activity_at: '2026-02-16T00:00:00.000Z', escalated_at: null };
    expect(escalationCutoff(now, 21)).toBe('2026-02-17T23:30:00.000Z');
    expect(isEscalationDue(stale, now, 21)).toBe(true);
    expect(isEscalationDue({ ...stale, last_activity_at: '2026-02-18T00:00:00.000Z' }, now, 21)).toBe(false);
    expect(isEscalationDue({ ...stale, escalated_at: '2026-03-01T00:00:00.000Z' }, now, 21)).toBe(false);
    expect(isEscalationDue({ ...stale, status: 'done' }, now, 21)).toBe(false);
    expect(isEscalationDue({ ...stale, status: 'in_progress' }, now, 21)).toBe(true);
  });

  it('knows a detractor score', () => {
    expect([0, 3, 6].map(isDetractor)).toEqual([true, true, true]);
    expect([7, 10, null, undefined].map(isDetractor)).toEqual([false, false, false, false]);
  });

  it('allows open ↔ in progress → done or won’t do, and reopening closed ones only to open', () => {
    expect(statusRefusal('open', 'in_progress')).toBeNull();
    expect(statusRefusal('in_progress', 'open')).toBeNull();
    expect(statusRefusal('open', 'done')).toBeNull();
    expect(statusRefusal('in_progress', 'wont_do')).toBeNull();
    expect(statusRefusal('done', 'open')).toBeNull();
    expect(statusRefusal('wont_do', 'open')).toBeNull();
    expect(statusRefusal('done', 'in_progress')).toMatch(/reopen/);
    expect(statusRefusal('done', 'wont_do')).toMatch(/reopen/);
    expect(statusRefusal('wont_do', 'done')).toMatch(/reopen/);
  });
});
