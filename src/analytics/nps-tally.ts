import type { CountedAnswer } from './counting.js';
import { FEE_BAND_LABELS, type FeeBand, type GroupBy } from './filters.js';
import { type Average, DETRACTOR_MAX, type NpsFigures, npsFigures, PROMOTER_MIN } from './nps.js';

/**
 * NPS figures as tallies over the counting rule's unit, one client in one quarter: pure, one
 * pass over the rows whatever the grouping, so a firm's figures cost a linear scan. The rows
 * come either from a live computation (pivotCounted) or from the analytics cache (nps-cache.ts);
 * both give the same rows, so both give the same figures.
 */

/** One client's counted answers in one quarter. */
export interface ClientQuarter {
  clientId: string;
  quarter: string;
  /** The sessions whose answers count: [session id, completion time ISO]. */
  sessions: [string, string][];
  /** measure (`nps`, `satisfaction`, `dim:<key>`) → [value, index into sessions]. */
  answers: Record<string, [number, number]>;
}

/** Turns counted answers (measure → answers) into one row per client and quarter. */
export function pivotCounted(counted: ReadonlyMap<string, readonly CountedAnswer[]>): ClientQuarter[] {
  const rows = new Map<string, ClientQuarter>();
  for (const [measure, answers] of counted) {
    for (const a of answers) {
      const key = `${a.clientId}|${a.quarter}`;
      let row = rows.get(key);
      if (!row) {
        row = { clientId: a.clientId, quarter: a.quarter, sessions: [], answers: {} };
        rows.set(key, row);
      }
      let index = row.sessions.findIndex(([id]) => id === a.sessionId);
      if (index < 0) {
        index = row.sessions.push([a.sessionId, a.at]) - 1;
      }
      row.answers[measure] = [a.value, index];
    }
  }
  return [...rows.values()];
}

export interface MeasureTally {
  n: number;
  sum: number;
  promoters: number;
  detractors: number;
}

/** A group's totals: what its figures are computed from, whether tallied here or summed in SQL. */
export interface GroupTotals {
  clients: number;
  sessions: number;
  measures: ReadonlyMap<string, MeasureTally>;
}

export function npsOfTotals(t: GroupTotals): NpsFigures {
  const m = t.measures.get('nps') ?? { n: 0, promoters: 0, detractors: 0 };
  return npsFigures(m.n, m.promoters, m.n - m.promoters - m.detractors, m.detractors);
}

export function averageOfTotals(t: GroupTotals, measure: string): Average {
  const m = t.measures.get(measure);
  // Scores are whole numbers, so the sum is exact whatever the order they were added in.
  return !m || m.n === 0 ? { n: 0, mean: null } : { n: m.n, mean: Math.round((m.sum / m.n) * 100) / 100 };
}

/** Running totals of one group: its clients, sessions and each measure's answers. */
export class Tally {
  readonly clientIds = new Set<string>();
  readonly sessionIds = new Set<string>();
  readonly measures = new Map<string, MeasureTally>();

  add(row: ClientQuarter): void {
    const entries = Object.entries(row.answers);
    if (entries.length === 0) {
      return;
    }
    this.clientIds.add(row.clientId);
    for (const [measure, [value, index]] of entries) {
      const session = row.sessions[index];
      if (session) {
        this.sessionIds.add(session[0]);
      }
      let t = this.measures.get(measure);
      if (!t) {
        t = { n: 0, sum: 0, promoters: 0, detractors: 0 };
        this.measures.set(measure, t);
      }
      t.n += 1;
      t.sum += value;
      if (value >= PROMOTER_MIN) {
        t.promoters += 1;
      } else if (value <= DETRACTOR_MAX) {
        t.detractors += 1;
      }
    }
  }

  totals(): GroupTotals {
    return { clients: this.clientIds.size, sessions: this.sessionIds.size, measures: this.measures };
  }
}

/** What grouping needs to know about a client. */
export interface ClientFacts {
  industry: string | null;
  isKeyClient: boolean;
  feeBand: FeeBand;
  practices: { id: string; name: string }[];
  partners: { id: string; name: string }[];
  offices: string[];
}

export const NO_GROUP_KEY = '_none';

/** The label of a group key (names of practices and partners come from their records). */
export function groupLabel(groupBy: GroupBy, key: string, name?: string | null): string {
  if (key === NO_GROUP_KEY) {
    return NO_GROUP_LABELS[groupBy];
  }
  switch (groupBy) {
    case 'segment':
      return key === 'key_client' ? 'Key clients' : 'Other clients';
    case 'feeBand':
      return FEE_BAND_LABELS[key as FeeBand] ?? key;
    case 'practice':
    case 'partner':
      return name ?? key;
    default:
      return key;
  }
}

const NO_GROUP_LABELS: Record<GroupBy, string> = {
  quarter: 'No quarter',
  industry: 'No industry recorded',
  segment: 'Other clients',
  feeBand: FEE_BAND_LABELS.unknown,
  practice: 'No practice',
  partner: 'No relationship partner',
  office: 'No office',
};

/** The groups a client's quarter falls in, as [key, label] pairs (a client may sit in several). */
export function groupsOf(groupBy: GroupBy, quarter: string, c: ClientFacts): [string, string][] {
  const keyed = (key: string, name?: string): [string, string] => [key, groupLabel(groupBy, key, name)];
  switch (groupBy) {
    case 'quarter':
      return [keyed(quarter)];
    case 'industry':
      return [keyed(c.industry ? c.industry : NO_GROUP_KEY)];
    case 'segment':
      return [keyed(c.isKeyClient ? 'key_client' : 'other')];
    case 'feeBand':
      return [keyed(c.feeBand)];
    case 'practice':
      return c.practices.length ? c.practices.map((p) => keyed(p.id, p.name)) : [keyed(NO_GROUP_KEY)];
    case 'partner':
      return c.partners.length ? c.partners.map((p) => keyed(p.id, p.name)) : [keyed(NO_GROUP_KEY)];
    case 'office':
      return c.offices.length ? c.offices.map((o) => keyed(o)) : [keyed(NO_GROUP_KEY)];
  }
}
