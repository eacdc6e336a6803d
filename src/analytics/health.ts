import { ValidationError } from '../http/errors.js';
import type { CadenceStatus } from '../relationships/cadence.js';
import { daysBetween } from '../relationships/cadence.js';
import { type Answer, countedAnswers } from './counting.js';

/**
 * Client health, pure: an explainable score 0–100 per client. Every client starts at 100 and
 * each warning sign takes points off (the weights below, editable by an admin); the score is
 * never below 0. Each deduction is a reason with its points, so the score always adds up:
 * `score = max(0, 100 − Σ reason.points)`.
 *
 * Signs (each weight is the points per occurrence):
 * - latest NPS (by the counting rule: the client's latest answer in its latest quarter heard)
 *   a detractor (0–6) or a passive (7–8); latest satisfaction (1–10) at or below 6;
 * - NPS falling: the latest quarter's counted answer is below the previous quarter's;
 * - each open concern or risk, by severity (open: heard in the last year and no action on it
 *   is done);
 * - each overdue open action; the check-in cadence red;
 * - not listened to (no held session) for more than a year, or never;
 * - each unresolved problem; each key contact who left in the last year;
 * - fees falling: the latest recorded change of annual fees lowered them (from the audit log;
 *   clients have no fee history, so a client whose fees were never changed has no such reason).
 *
 * Bands: `healthy` from 70, `watch` from 40, `at_risk` below 40.
 */

export const HEALTH_WEIGHT_KEYS = [
  'npsDetractor',
  'npsPassive',
  'npsFalling',
  'lowSatisfaction',
  'concernHigh',
  'concernMedium',
  'concernLow',
  'overdueAction',
  'checkInOverdue',
  'notListened',
  'openProblem',
  'contactLeft',
  'feesFalling',
] as const;
export type HealthWeightKey = (typeof HEALTH_WEIGHT_KEYS)[number];
export type HealthWeights = Record<HealthWeightKey, number>;

export const DEFAULT_HEALTH_WEIGHTS: HealthWeights = {
  npsDetractor: 25,
  npsPassive: 8,
  npsFalling: 10,
  lowSatisfaction: 10,
  concernHigh: 15,
  concernMedium: 8,
  concernLow: 3,
  overdueAction: 5,
  checkInOverdue: 10,
  notListened: 10,
  openProblem: 8,
  contactLeft: 8,
  feesFalling: 10,
};

/** The largest weight: one sign can take at most the whole score. */
export const MAX_WEIGHT = 100;
/** Not listened to for longer than this many days is a sign. */
export const NOT_LISTENED_DAYS = 365;
/** Concerns heard and contacts who left within this many days count. */
export const LOOKBACK_DAYS = 365;
/** Satisfaction (1–10) at or below this is low. */
export const LOW_SATISFACTION = 6;

export const HEALTH_BANDS = ['healthy', 'watch', 'at_risk'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];
export const BAND_FLOORS = { healthy: 70, watch: 40 } as const;

export function bandOf(score: number): HealthBand {
  return score >= BAND_FLOORS.healthy ? 'healthy' : score >= BAND_FLOORS.watch ? 'watch' : 'at_risk';
}

/** Checks weights: every known key a finite number from 0 to MAX_WEIGHT, not all zero (400 naming the field). */
export function validateHealthWeights(input: Record<string, unknown>): HealthWeights {
  const out = { ...DEFAULT_HEALTH_WEIGHTS };
  for (const key of Object.keys(input)) {
    if (!(HEALTH_WEIGHT_KEYS as readonly string[]).includes(key)) {
      throw new ValidationError(key, 'is not a health weight');
    }
  }
  for (const key of HEALTH_WEIGHT_KEYS) {
    const v = input[key];
    if (v === undefined) {
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValidationError(key, 'must be a number');
    }
    if (v < 0) {
      throw new ValidationError(key, 'must not be negative');
    }
    if (v > MAX_WEIGHT) {
      throw new ValidationError(key, `must be at most ${MAX_WEIGHT}`);
    }
    out[key] = v;
  }
  if (HEALTH_WEIGHT_KEYS.every((k) => out[k] === 0)) {
    throw new ValidationError(HEALTH_WEIGHT_KEYS[0], 'weights may not all be zero: the score would say nothing');
  }
  return out;
}

/** A stored weights setting, or the defaults where it is missing or malformed. */
export function parseHealthWeights(value: string | undefined): HealthWeights {
  if (value === undefined) {
    return { ...DEFAULT_HEALTH_WEIGHTS };
  }
  try {
    return validateHealthWeights(JSON.parse(value) as Record<string, unknown>);
  } catch {
    return { ...DEFAULT_HEALTH_WEIGHTS };
  }
}

export type Severity = 'low' | 'medium' | 'high';

/** What the score of one client (or one contact) is computed from: only what the reader may see. */
export interface HealthSignals {
  /** Held sessions' NPS answers (the counting rule picks the latest per quarter). */
  nps: readonly Answer[];
  satisfaction: readonly Answer[];
  /** Open concerns and risks (already restricted to open ones in the lookback). */
  concerns: readonly { id: string; severity: Severity }[];
  overdueActions: readonly { id: string }[];
  /** The client's check-in cadence; null when not applicable (a contact's health). */
  cadence: CadenceStatus | null;
  /** The last held session's day (YYYY-MM-DD); null when never; undefined when not applicable. */
  lastListenedOn?: string | null | undefined;
  openProblems: readonly { id: string }[];
  contactsLeft: readonly { id: string; name: string; leftOn: string }[];
  /** The latest change of annual fees, when there was one. */
  feeChange: { before: number; after: number; on: string } | null;
}

export type HealthReasonKind = HealthWeightKey;

export interface HealthReason {
  kind: HealthReasonKind;
  points: number;
  /** How many occurrences (concerns, actions, …) the points are for. */
  count: number;
  text: string;
  /** The records behind the reason (insight, action, problem, contact or session ids). */
  ids: string[];
}

export interface Health {
  score: number;
  band: HealthBand;
  reasons: HealthReason[];
}

export function emptySignals(): HealthSignals {
  return { nps: [], satisfaction: [], concerns: [], overdueActions: [], cadence: null, openProblems: [], contactsLeft: [], feeChange: null };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The client's (or contact's) health today from its signals and the weights. */
export function computeHealth(signals: HealthSignals, weights: HealthWeights, today: string): Health {
  const reasons: HealthReason[] = [];
  const add = (kind: HealthReasonKind, count: number, text: string, ids: string[]) => {
    const points = weights[kind] * count;
    if (count > 0 && points > 0) {
      reasons.push({ kind, points, count, text, ids });
    }
  };

  const nps = countedAnswers(signals.nps);
  const latestNps = nps.at(-1);
  if (latestNps) {
    if (latestNps.value <= 6) {
      add('npsDetractor', 1, `Latest NPS ${latestNps.value} (${latestNps.quarter}) is a detractor`, [latestNps.sessionId]);
    } else if (latestNps.value <= 8) {
      add('npsPassive', 1, `Latest NPS ${latestNps.value} (${latestNps.quarter}) is a passive`, [latestNps.sessionId]);
    }
    const previous = nps.at(-2);
    if (previous && latestNps.value < previous.value) {
      add('npsFalling', 1, `NPS fell from ${previous.value} (${previous.quarter}) to ${latestNps.value} (${latestNps.quarter})`, [
        previous.sessionId,
        latestNps.sessionId,
      ]);
    }
  }
  const latestSat = countedAnswers(signals.satisfaction).at(-1);
  if (latestSat && latestSat.value <= LOW_SATISFACTION) {
    add('lowSatisfaction', 1, `Latest satisfaction ${latestSat.value}/10 (${latestSat.quarter})`, [latestSat.sessionId]);
  }

  for (const [severity, kind] of [
    ['high', 'concernHigh'],
    ['medium', 'concernMedium'],
    ['low', 'concernLow'],
  ] as const) {
    const list = signals.concerns.filter((c) => c.severity === severity);
    add(
      kind,
      list.length,
      `${plural(list.length, `open ${severity}-severity concern or risk`, `open ${severity}-severity concerns or risks`)}`,
      list.map((c) => c.id),
    );
  }
  add(
    'overdueAction',
    signals.overdueActions.length,
    plural(signals.overdueActions.length, 'overdue action'),
    signals.overdueActions.map((a) => a.id),
  );
  if (signals.cadence === 'red') {
    add('checkInOverdue', 1, 'Check-in overdue (cadence red)', []);
  }
  if (signals.lastListenedOn !== undefined) {
    if (signals.lastListenedOn === null) {
      add('notListened', 1, 'Never listened to (no held session)', []);
    } else {
      const days = daysBetween(signals.lastListenedOn, today);
      if (days > NOT_LISTENED_DAYS) {
        add('notListened', 1, `Not listened to for ${days} days (last session ${signals.lastListenedOn})`, []);
      }
    }
  }
  add(
    'openProblem',
    signals.openProblems.length,
    plural(signals.openProblems.length, 'unresolved problem'),
    signals.openProblems.map((p) => p.id),
  );
  add(
    'contactLeft',
    signals.contactsLeft.length,
    `Key contact${signals.contactsLeft.length === 1 ? '' : 's'} left: ${signals.contactsLeft.map((c) => `${c.name} (${c.leftOn})`).join(', ')}`,
    signals.contactsLeft.map((c) => c.id),
  );
  if (signals.feeChange && signals.feeChange.after < signals.feeChange.before) {
    add('feesFalling', 1, `Annual fees fell from ${signals.feeChange.before} to ${signals.feeChange.after} (${signals.feeChange.on})`, []);
  }

  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  const score = Math.max(0, Math.min(100, Math.round(100 - total)));
  reasons.sort((a, b) => b.points - a.points || HEALTH_WEIGHT_KEYS.indexOf(a.kind) - HEALTH_WEIGHT_KEYS.indexOf(b.kind));
  return { score, band: bandOf(score), reasons };
}

export type SingleThreadKind = 'one_contact' | 'one_partner';

/** Warnings for a relationship carried by one active contact or one relationship partner. */
export function singleThreadWarnings(activeContacts: number, partners: number): { kind: SingleThreadKind; text: string }[] {
  const out: { kind: SingleThreadKind; text: string }[] = [];
  if (activeContacts <= 1) {
    out.push({
      kind: 'one_contact',
      text: activeContacts === 0 ? 'No active contact at the client' : 'Only one active contact carries the relationship',
    });
  }
  if (partners <= 1) {
    out.push({ kind: 'one_partner', text: partners === 0 ? 'No relationship partner' : 'Only one relationship partner carries the relationship' });
  }
  return out;
}

/** Early-warning order: lowest score first, then most fees at stake, then name. */
/** localeCompare's order, with its collator made once (a firm's list sorts thousands of names). */
const byLocale = new Intl.Collator();

export function compareRisk(
  a: { score: number; annualFees: number | null; name: string; id: string },
  b: { score: number; annualFees: number | null; name: string; id: string },
): number {
  return a.score - b.score || (b.annualFees ?? -1) - (a.annualFees ?? -1) || byLocale.compare(a.name, b.name) || byLocale.compare(a.id, b.id);
}
