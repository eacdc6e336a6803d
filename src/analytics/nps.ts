/**
 * The Net Promoter Score and the averages of satisfaction and score dimensions, as pure
 * functions over answers already counted by the counting rule (counting.ts).
 *
 * - Promoters answer 9–10, passives 7–8, detractors 0–6; NPS = % promoters − % detractors,
 *   from −100 to 100.
 * - Margin of error (95%): each answer scores +1 (promoter), 0 (passive) or −1 (detractor);
 *   the NPS is 100 × their mean, so its margin is 100 × 1.96 × sqrt(variance / n), with the
 *   variance of those scores (population variance). It is 0 when every answer is alike.
 * - Small samples: with no answers there is no figure; under READ_WITH_CARE_BELOW (30) answers a
 *   warning says to read with care; under TOO_FEW_TO_READ_BELOW (10) it says the figure is too
 *   few answers to read as a score.
 */

export const PROMOTER_MIN = 9;
export const DETRACTOR_MAX = 6;
export const TOO_FEW_TO_READ_BELOW = 10;
export const READ_WITH_CARE_BELOW = 30;
/** z for a 95% confidence interval. */
const Z95 = 1.96;

export type NpsBand = 'promoter' | 'passive' | 'detractor';

export function npsBand(score: number): NpsBand {
  if (score >= PROMOTER_MIN) {
    return 'promoter';
  }
  return score <= DETRACTOR_MAX ? 'detractor' : 'passive';
}

export interface NpsFigures {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100…100, rounded to one decimal; null without answers. */
  nps: number | null;
  /** ± points at 95%, rounded to one decimal; null without answers. */
  margin: number | null;
  warning: string | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The plain warning for a sample of n answers, or null when n is large enough to read. */
export function sampleWarning(n: number, margin: number | null = null): string | null {
  if (n === 0) {
    return 'No answers yet.';
  }
  if (n < TOO_FEW_TO_READ_BELOW) {
    return `Only ${n} answer${n === 1 ? '' : 's'}: too few to read as a score; treat them as individual voices.`;
  }
  if (n < READ_WITH_CARE_BELOW) {
    return `Only ${n} answers: read with care${margin === null ? '' : ` (±${margin} points)`}.`;
  }
  return null;
}

/** NPS, counts and margin of error of NPS answers (0–10). */
export function npsOf(scores: readonly number[]): NpsFigures {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const s of scores) {
    const band = npsBand(s);
    if (band === 'promoter') {
      promoters++;
    } else if (band === 'detractor') {
      detractors++;
    } else {
      passives++;
    }
  }
  return npsFigures(scores.length, promoters, passives, detractors);
}

/** NPS and margin of error from the counts of each band. */
export function npsFigures(n: number, promoters: number, passives: number, detractors: number): NpsFigures {
  if (n === 0) {
    return { n, promoters, passives, detractors, nps: null, margin: null, warning: sampleWarning(0) };
  }
  const mean = (promoters - detractors) / n;
  const variance = Math.max(0, (promoters + detractors) / n - mean * mean);
  const margin = round1(100 * Z95 * Math.sqrt(variance / n));
  return { n, promoters, passives, detractors, nps: round1(100 * mean), margin, warning: sampleWarning(n, margin) };
}

export interface Average {
  n: number;
  /** Rounded to two decimals; null without answers. */
  mean: number | null;
}

export function averageOf(values: readonly number[]): Average {
  if (values.length === 0) {
    return { n: 0, mean: null };
  }
  return { n: values.length, mean: round2(values.reduce((a, b) => a + b, 0) / values.length) };
}

/** Groups items under each of their keys (an item may sit in several groups, or none). */
export function groupUnder<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      const list = out.get(key);
      if (list) {
        list.push(item);
      } else {
        out.set(key, [item]);
      }
    }
  }
  return out;
}
