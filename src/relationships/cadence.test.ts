import { describe, expect, it } from 'vitest';
import { cadenceStatus, compareOverdue, daysBetween, parseCadenceSetting } from './cadence.js';

const rule = { idealDays: 30, maxDays: 60 };
const today = '2026-06-30';

describe('cadence', () => {
  it('counts whole days between dates, across months and leap days', () => {
    expect(daysBetween('2026-06-01', '2026-06-30')).toBe(29);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-06-30', '2026-06-01')).toBe(-29);
  });

  it('is green up to the ideal days, amber up to the maximum, red past it', () => {
    expect(cadenceStatus('2026-06-30', rule, today)).toEqual({ status: 'green', daysSince: 0, overdueDays: -30 });
    expect(cadenceStatus('2026-05-31', rule, today).status).toBe('green'); // 30 days
    expect(cadenceStatus('2026-05-30', rule, today)).toEqual({ status: 'amber', daysSince: 31, overdueDays: 1 });
    expect(cadenceStatus('2026-05-01', rule, today).status).toBe('amber'); // 60 days
    expect(cadenceStatus('2026-04-30', rule, today)).toEqual({ status: 'red', daysSince: 61, overdueDays: 31 });
  });

  it('is red when there has never been an interaction', () => {
    expect(cadenceStatus(null, rule, today)).toEqual({ status: 'red', daysSince: null, overdueDays: null });
  });

  it('treats an interaction dated after today as today', () => {
    expect(cadenceStatus('2026-07-02', rule, today)).toMatchObject({ status: 'green', daysSince: 0 });
  });

  it('orders never first, then red, amber, and by days past the ideal', () => {
    const never = cadenceStatus(null, rule, today);
    const red = cadenceStatus('2026-01-01', rule, today);
    const amber = cadenceStatus('2026-05-20', rule, today);
    const lessAmber = cadenceStatus('2026-05-29', rule, today);
    const sorted = [lessAmber, red, amber, never].sort(compareOverdue);
    expect(sorted).toEqual([never, red, amber, lessAmber]);
  });

  it('reads a stored setting and falls back on a malformed one', () => {
    const fallback = { idealDays: 1, maxDays: 2 };
    expect(parseCadenceSetting('{"idealDays":20,"maxDays":40}', fallback)).toEqual({ idealDays: 20, maxDays: 40 });
    expect(parseCadenceSetting('{"idealDays":50,"maxDays":40}', fallback)).toEqual(fallback);
    expect(parseCadenceSetting('not json', fallback)).toEqual(fallback);
    expect(parseCadenceSetting(undefined, fallback)).toEqual(fallback);
  });
});
