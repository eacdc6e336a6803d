import { chunked } from '../db/batching.js';
import type { Db } from '../db/connect.js';

/**
 * The analytics cache's bookkeeping (migration 0009): which clients changed since their cached
 * figures were computed (marked by database triggers on every write path), and what the cache
 * was computed under. The caches themselves (health-cache.ts, nps-cache.ts) are refreshed
 * together by `refreshAnalyticsCache` before a firm-wide dashboard reads them, so a figure is
 * never older than the request that reads it.
 */

export interface DirtyMark {
  clientId: string;
  version: number;
}

/** The clients marked since the last refresh, with the version each was marked at. */
export async function readDirtyMarks(db: Db): Promise<DirtyMark[]> {
  const rows = await db.selectFrom('analytics_dirty').select(['client_id', 'version']).execute();
  return rows.map((r) => ({ clientId: r.client_id, version: Number(r.version) }));
}

/**
 * Clears the marks a refresh has dealt with. A mark whose version grew meanwhile (a write that
 * raced the refresh) stays, so the next refresh computes that client again.
 */
export async function clearDirtyMarks(db: Db, marks: readonly DirtyMark[]): Promise<void> {
  const byVersion = new Map<number, string[]>();
  for (const m of marks) {
    byVersion.set(m.version, [...(byVersion.get(m.version) ?? []), m.clientId]);
  }
  for (const [version, ids] of byVersion) {
    for (const chunk of chunked(ids)) {
      await db.deleteFrom('analytics_dirty').where('version', '=', version).where('client_id', 'in', chunk).execute();
    }
  }
}

export async function readCacheState(db: Db, key: string): Promise<string | null> {
  const row = await db.selectFrom('analytics_cache_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function writeCacheState(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('analytics_cache_state')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Forgets what the caches were computed under, so the next read rebuilds them whole (after a restore). */
export async function resetAnalyticsCache(db: Db): Promise<void> {
  await db.deleteFrom('analytics_cache_state').execute();
}

/**
 * Runs `refresh` at most once at a time per database in this process, so that concurrent
 * dashboard requests share one refresh instead of each recomputing the firm. A request arriving
 * while a refresh runs waits for the next one (shared by everyone who arrived meanwhile): the
 * running refresh may have read the marks before that request's own writes. (Several servers may
 * still refresh at once; the caches' writes are idempotent upserts.)
 */
interface Runs {
  running?: Promise<void> | undefined;
  next?: Promise<void> | undefined;
}
const runsOf = new WeakMap<Db, Map<string, Runs>>();
export function onceAtATime(db: Db, name: string, refresh: () => Promise<void>): Promise<void> {
  let byName = runsOf.get(db);
  if (!byName) {
    byName = new Map();
    runsOf.set(db, byName);
  }
  let runs = byName.get(name);
  if (!runs) {
    runs = {};
    byName.set(name, runs);
  }
  const r = runs;
  if (!r.running) {
    r.running = refresh().finally(() => {
      r.running = undefined;
    });
    return r.running;
  }
  r.next ??= r.running
    .catch(() => undefined)
    .then(() => {
      r.next = undefined;
      return onceAtATime(db, name, refresh);
    });
  return r.next;
}
