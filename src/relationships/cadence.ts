/**
 * Check-in cadence, pure: how long since the last interaction, measured against the ideal and
 * maximum number of days between interactions. Green within the ideal, amber up to the
 * maximum, red past it or when there has never been one.
 */
export type CadenceStatus = 'green' | 'amber' | 'red';

export interface CadenceRule {
  idealDays: number;
  maxDays: number;
}

export interface CadenceReading {
  status: CadenceStatus;
  /** Whole days since the last interaction; null when there has never been one. */
  daysSince: number | null;
  /** Days past the ideal (negative while within it); null when there has never been one. */
  overdueDays: number | null;
}

const DAY_MS = 86_400_000;

/** Whole days from one YYYY-MM-DD date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function cadenceStatus(lastOn: string | null, rule: CadenceRule, today: string): CadenceReading {
  if (!lastOn) {
    return { status: 'red', daysSince: null, overdueDays: null };
  }
  const daysSince = Math.max(0, daysBetween(lastOn, today));
  const status: CadenceStatus = daysSince <= rule.idealDays ? 'green' : daysSince <= rule.maxDays ? 'amber' : 'red';
  return { status, daysSince, overdueDays: daysSince - rule.idealDays };
}

/**
 * Most overdue first: never contacted before anything else, then red before amber before
 * green, then by days past the ideal.
 */
export function compareOverdue(a: CadenceReading, b: CadenceReading): number {
  if (a.daysSince === null || b.daysSince === null) {
    return (a.daysSince === null ? 0 : 1) - (b.daysSince === null ? 0 : 1);
  }
  const rank = { red: 0, amber: 1, green: 2 } as const;
  return rank[a.status] - rank[b.status] || (b.overdueDays ?? 0) - (a.overdueDays ?? 0);
}

/** A stored `{idealDays, maxDays}` setting, or the fallback when it is missing or malformed. */
export function parseCadenceSetting(value: string | undefined, fallback: CadenceRule): CadenceRule {
  if (value === undefined) {
    return fallback;
  }
  try {
    const v = JSON.parse(value) as Partial<CadenceRule>;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 730;
    if (ok(v.idealDays) && ok(v.maxDays) && v.idealDays <= v.maxDays) {
      return { idealDays: v.idealDays, maxDays: v.maxDays };
    }
  } catch {
    // fall back
  }
  return fallback;
}
