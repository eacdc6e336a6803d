/**
 * Pure figures for closing the loop: percentiles, time-to-close distributions and closure
 * rates, computed in memory so they are unit-tested without a database and give the same
 * answer on SQLite and PostgreSQL.
 */

const DAY_MS = 86_400_000;

/**
 * The p-th percentile (0 ≤ p ≤ 1) by linear interpolation between closest ranks (the
 * "inclusive" method of Excel's PERCENTILE.INC and R's type 7): for sorted values v₀…vₙ₋₁ the
 * rank is p·(n−1), and a fractional rank interpolates between its neighbours. The median of
 * [1, 2] is 1.5. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError('p must be between 0 and 1');
  }
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) {
    return null;
  }
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sorted[lo] as number;
  const high = sorted[hi] as number;
  return low + (high - low) * (rank - lo);
}

/** Rounds a number of days to two decimals for display (keeps null). */
export function roundDays(days: number | null): number | null {
  return days === null ? null : Math.round(days * 100) / 100;
}

export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

/** Count, median and 90th percentile of a list of durations in days (rounded to two decimals). */
export function distribution(days: readonly number[]): Distribution {
  return { count: days.length, median: roundDays(percentile(days, 0.5)), p90: roundDays(percentile(days, 0.9)) };
}

/** Days (fractional) between two ISO timestamps; never negative (a clock skew counts as 0). */
export function daysBetween(startIso: string, endIso: string): number {
  return Math.max(0, (Date.parse(endIso) - Date.parse(startIso)) / DAY_MS);
}

/** Whole days between two YYYY-MM-DD dates; never negative. */
export function daysBetweenDates(start: string, end: string): number {
  return Math.max(0, Math.round((Date.parse(`${end.slice(0, 10)}T00:00:00.000Z`) - Date.parse(`${start.slice(0, 10)}T00:00:00.000Z`)) / DAY_MS));
}

/** part / whole, or null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
