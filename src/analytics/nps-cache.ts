import type { Insertable, SelectQueryBuilder } from 'kysely';
import { chunked, yieldToEventLoop } from '../db/batching.js';
import type { Db } from '../db/connect.js';
import type { Database, NpsQuartersTable } from '../db/schema.js';
import { isoTimestamp } from '../db/values.js';
import { HELD_STATUSES } from '../listening/session-states.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { readCacheState, writeCacheState } from './cache.js';
import { type Answer, type CountedAnswer, countedAnswers } from './counting.js';
import { type ClientQuarter, pivotCounted } from './nps-tally.js';

/**
 * The counting rule applied once per client and quarter (nps_quarters), so firm-wide NPS
 * figures read a few tens of thousands of rows instead of a million scores. Computed over every
 * held session, as the system sees them: programme leads and management read every held session
 * of the clients they may see, so their walls and filters, applied when the cache is read, give
 * exactly what they would count live. Kept fresh by the dirty marks (cache.ts).
 */

/** Held sessions joined with their clients: the base the caller narrows (visibility, filters, period). */
export type HeldSessionQuery = SelectQueryBuilder<Database, 'listening_sessions' | 'clients', object>;

export interface HeldSessionFacts {
  id: string;
  clientId: string;
  at: string;
  nps: number | null;
  satisfaction: number | null;
}

/**
 * Loads held sessions (narrowed by the caller) and their scores, and applies the counting rule
 * to every measure: `nps`, `satisfaction` and `dim:<key>` for each scored dimension.
 */
export async function loadCountedAnswers(
  ctx: ServiceContext,
  narrow: (q: HeldSessionQuery) => HeldSessionQuery,
): Promise<{ sessions: Map<string, HeldSessionFacts>; counted: Map<string, CountedAnswer[]> }> {
  const base = ctx.db
    .selectFrom('listening_sessions')
    .innerJoin('clients', 'clients.id', 'listening_sessions.client_id')
    .where('listening_sessions.status', 'in', HELD_STATUSES)
    .where('listening_sessions.completed_at', 'is not', null);
  const rows = await narrow(base)
    .select([
      'listening_sessions.id',
      'listening_sessions.client_id',
      'listening_sessions.completed_at',
      'listening_sessions.nps',
      'listening_sessions.satisfaction',
    ])
    .execute();
  const sessions = new Map<string, HeldSessionFacts>();
  for (const r of rows) {
    sessions.set(r.id, {
      id: r.id,
      clientId: r.client_id,
      at: isoTimestamp(r.completed_at),
      nps: r.nps === null ? null : Number(r.nps),
      satisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
    });
  }
  const byMeasure = new Map<string, Answer[]>([
    ['nps', []],
    ['satisfaction', []],
  ]);
  for (const s of sessions.values()) {
    if (s.nps !== null) {
      byMeasure.get('nps')?.push({ sessionId: s.id, clientId: s.clientId, at: s.at, value: s.nps });
    }
    if (s.satisfaction !== null) {
      byMeasure.get('satisfaction')?.push({ sessionId: s.id, clientId: s.clientId, at: s.at, value: s.satisfaction });
    }
  }
  for (const ids of chunked([...sessions.keys()])) {
    await yieldToEventLoop();
    const scores = await ctx.db.selectFrom('session_scores').select(['session_id', 'dimension', 'score']).where('session_id', 'in', ids).execute();
    for (const sc of scores) {
      const s = sessions.get(sc.session_id);
      if (!s) {
        continue;
      }
      const measure = `dim:${sc.dimension}`;
      let list = byMeasure.get(measure);
      if (!list) {
        list = [];
        byMeasure.set(measure, list);
      }
      list.push({ sessionId: s.id, clientId: s.clientId, at: s.at, value: Number(sc.score) });
    }
  }
  const counted = new Map<string, CountedAnswer[]>();
  for (const [measure, answers] of byMeasure) {
    counted.set(measure, countedAnswers(answers));
  }
  return { sessions, counted };
}

/** Measure columns of nps_quarters (m0…m47, made by migration 0009). */
export const NPS_SLOTS = 48;

/** The measures of the firm in slot order: NPS, satisfaction, then every score dimension. */
export async function currentMeasures(db: Db): Promise<string[]> {
  const dims = await db.selectFrom('score_dimensions').select('key').orderBy('position').orderBy('key').execute();
  return ['nps', 'satisfaction', ...dims.map((d) => `dim:${d.key}`)];
}

/** What the cache was built under: its format and the measure of each slot. */
interface NpsCacheState {
  format: number;
  measures: string[];
}
const STATE_KEY = 'nps';
/** Bumped when the cached rows change shape, so an old cache is rebuilt rather than misread. */
const CACHE_FORMAT = 2;

export async function readNpsCacheState(db: Db): Promise<NpsCacheState | null> {
  const raw = await readCacheState(db, STATE_KEY);
  if (!raw) {
    return null;
  }
  const state = JSON.parse(raw) as NpsCacheState;
  return state.format === CACHE_FORMAT ? state : null;
}

/** Recomputes the cached rows of `clientIds` (every client with 'all'), in one transaction. */
async function recomputeNps(db: Db, clientIds: readonly string[] | 'all', measures: readonly string[]): Promise<void> {
  const ctx = systemContext(db, 'nps cache');
  const slotOf = new Map(measures.map((m, i) => [m, i]));
  const rows: ClientQuarter[] = [];
  for (const ids of clientIds === 'all' ? [null] : chunked(clientIds)) {
    const { counted } = await loadCountedAnswers(ctx, (q) => (ids === null ? q : q.where('listening_sessions.client_id', 'in', ids)));
    rows.push(...pivotCounted(counted));
  }
  const quarters = rows.map((r) => {
    // Every row fills the same columns (null where unanswered), so rows insert in batches.
    const values: Record<string, unknown> = { client_id: r.clientId, quarter: r.quarter, sessions: r.sessions.length };
    for (let slot = 0; slot < measures.length; slot++) {
      values[`m${slot}`] = null;
    }
    for (const [measure, [value]] of Object.entries(r.answers)) {
      const slot = slotOf.get(measure);
      if (slot !== undefined) {
        values[`m${slot}`] = value;
      }
    }
    return values as Insertable<NpsQuartersTable>;
  });
  const sessions = rows.flatMap((r) =>
    r.sessions.map(([sessionId, at], index) => ({
      session_id: sessionId,
      client_id: r.clientId,
      quarter: r.quarter,
      completed_at: at,
      counts_for: measures
        .filter((m) => r.answers[m]?.[1] === index)
        .map((m) => m.replace(/^dim:/, ''))
        .join(','),
    })),
  );
  await db.transaction().execute(async (trx) => {
    if (clientIds === 'all') {
      await trx.deleteFrom('nps_quarter_sessions').execute();
      await trx.deleteFrom('nps_quarters').execute();
    } else {
      for (const ids of chunked(clientIds)) {
        await trx.deleteFrom('nps_quarter_sessions').where('client_id', 'in', ids).execute();
        await trx.deleteFrom('nps_quarters').where('client_id', 'in', ids).execute();
      }
    }
    for (const chunk of chunked(quarters, 100)) {
      await trx.insertInto('nps_quarters').values(chunk).execute();
    }
    for (const chunk of chunked(sessions, 200)) {
      await trx.insertInto('nps_quarter_sessions').values(chunk).execute();
    }
  });
}

/**
 * Brings the NPS cache up to date: rebuilt whole when it was never built, was reset, or the
 * firm's measures changed (a dimension added); else the marked clients. Returns false when the
 * firm has more measures than the cache has slots (then NPS is computed live).
 */
export async function refreshNpsCache(db: Db, marked: readonly string[]): Promise<boolean> {
  const measures = await currentMeasures(db);
  if (measures.length > NPS_SLOTS) {
    return false;
  }
  const state = await readNpsCacheState(db);
  if (!state || state.measures.join('|') !== measures.join('|')) {
    await recomputeNps(db, 'all', measures);
    await writeCacheState(db, STATE_KEY, JSON.stringify({ format: CACHE_FORMAT, measures } satisfies NpsCacheState));
  } else if (marked.length > 0) {
    await recomputeNps(db, marked, measures);
  }
  return true;
}
