import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, daysBetweenDates, distribution, percentile, rate } from './loop-metrics.js';

describe('percentile', () => {
  it('should return null for no values', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(distribution([])).toEqual({ count: 0, median: null, p90: null });
  });

  it('should return the value itself for one value', () => {
    expect(percentile([7], 0.5)).toBe(7);
    expect(percentile([7], 0.9)).toBe(7);
  });

  it('should interpolate between closest ranks (hand-computed)', () => {
    expect(percentile([1, 2], 0.5)).toBe(1.5);
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    // ten values 1..10: rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9) = 9.1
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 0.9)).toBeCloseTo(9.1, 10);
    // [0, 10, 20, 100]: median rank 1.5 → 15; p90 rank 2.7 → 20 + 0.7 × 80 = 76
    expect(percentile([0, 10, 20, 100], 0.5)).toBe(15);
    expect(percentile([0, 10, 20, 100], 0.9)).toBeCloseTo(76, 10);
  });

  it('should handle ties', () => {
    expect(percentile([4, 4, 4, 4], 0.5)).toBe(4);
    expect(percentile([4, 4, 4, 4], 0.9)).toBe(4);
    expect(distribution([2, 2, 5])).toEqual({ count: 3, median: 2, p90: 4.4 });
  });

  it('should refuse a p outside 0..1', () => {
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it('should keep p50 ≤ p90 and both within min..max', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const p50 = percentile(values, 0.5) as number;
        const p90 = percentile(values, 0.9) as number;
        const min = Math.min(...values);
        const max = Math.max(...values);
        expect(p50).toBeLessThanOrEqual(p90);
        expect(p50).toBeGreaterThanOrEqual(min);
        expect(p90).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('should not depend on the order of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p) => {
        expect(percentile([...values].reverse(), p)).toBe(percentile(values, p));
      }),
    );
  });
});

describe('durations and rates', () => {
  it('should count fractional days between timestamps, never negative', () => {
    expect(daysBetween('2026-01-01T00:00:00.000Z', '2026-01-03T12:00:00.000Z')).toBe(2.5);
    expect(daysBetween('2026-01-03T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe(0);
  });

  it('should count whole days between dates', () => {
    expect(daysBetweenDates('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetweenDates('2026-03-01', '2026-03-01')).toBe(0);
  });

  it('should give null for a rate of nothing', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 4)).toBe(0.25);
  });
});
