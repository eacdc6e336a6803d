import { decodeCursor, encodeCursor } from '../db/pagination.js';
import { ValidationError } from '../http/errors.js';

/**
 * The drill-down vocabulary of participation, the loop and retention (GET /analytics/records),
 * as pure data and functions: which figures (metrics) each source offers, the kind of record
 * behind each, and how a list of ids is paged. The ids themselves come from each service's one
 * internal computation, so the records listed are exactly those counted in the figure.
 */

export const RECORD_SOURCES = ['participation', 'loop', 'problems', 'retention'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];

export const RECORD_KINDS = ['client', 'action', 'insight', 'problem', 'referral', 'nomination'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Per source, each figure that drills down, and the kind of record behind it. */
export const RECORD_METRICS = {
  participation: {
    proposed: 'nomination',
    accepted: 'nomination',
    deferred: 'nomination',
    declined: 'nomination',
    volunteered: 'nomination',
    putForward: 'nomination',
    atRiskPutForward: 'nomination',
    heldBack: 'client',
  },
  loop: { actions: 'action', done: 'action', wontDo: 'action', open: 'action', closed: 'action', overdue: 'action', unactioned: 'insight' },
  problems: { reported: 'problem', resolved: 'problem' },
  retention: {
    activeAtStart: 'client',
    retained: 'client',
    lost: 'client',
    lapsed: 'client',
    referrals: 'referral',
    referralsPending: 'referral',
    referralsWon: 'referral',
    referralsLost: 'referral',
    referralsNoFit: 'referral',
    opportunities: 'insight',
    opportunitiesDone: 'insight',
    opportunitiesOpen: 'insight',
    opportunitiesWontDo: 'insight',
    opportunitiesNoAction: 'insight',
  },
} as const satisfies Record<RecordSource, Record<string, RecordKind>>;

export type RecordMetric<S extends RecordSource> = keyof (typeof RECORD_METRICS)[S];
export type ParticipationMetric = RecordMetric<'participation'>;
export type LoopMetric = RecordMetric<'loop'>;
export type ProblemMetric = RecordMetric<'problems'>;
export type RetentionMetric = RecordMetric<'retention'>;

/** Retention figures that belong to one calendar year (years[]), so the drill-down names the year. */
export const PER_YEAR_METRICS: readonly RetentionMetric[] = ['activeAtStart', 'retained', 'lost', 'lapsed'];

/** The group value that names the group without a key (no team, unassigned). */
export const NO_GROUP = 'none';

/** A one-line description of every source's metrics, for the API documentation. */
export const METRICS_DESCRIPTION = RECORD_SOURCES.map((s) => `${s}: ${Object.keys(RECORD_METRICS[s]).join(', ')}`).join('; ');

/**
 * Checks that the metric is one the source offers (and that a per-year retention figure names
 * its year); returns the kind of record behind it. Throws a 400 naming the field otherwise.
 */
export function recordMetric(source: RecordSource, metric: string, year: number | undefined): RecordKind {
  const metrics: Record<string, RecordKind> = RECORD_METRICS[source];
  const kind = Object.hasOwn(metrics, metric) ? metrics[metric] : undefined;
  if (!kind) {
    throw new ValidationError('metric', `must be one of ${Object.keys(metrics).join(', ')} for ${source}`);
  }
  if (source === 'retention' && (PER_YEAR_METRICS as readonly string[]).includes(metric) && year === undefined) {
    throw new ValidationError('year', `is required for ${metric}`);
  }
  return kind;
}

export interface IdPage {
  ids: string[];
  total: number;
  nextCursor: string | null;
}

/**
 * One page of a list of ids, newest first (ids are UUIDv7, so their order is their creation
 * order), after the cursor. Duplicates count once. The cursor is the last id shown: a page
 * asked for after the list changed goes on from where the reader was, without repeats.
 */
export function pageOfIds(ids: readonly string[], limit: number, cursor?: string): IdPage {
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  const after = cursor ? decodeCursor(cursor).id : null;
  const rest = after === null ? sorted : sorted.filter((id) => id < after);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return { ids: page, total: sorted.length, nextCursor: rest.length > limit && last ? encodeCursor(null, last) : null };
}
