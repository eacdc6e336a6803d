import { chunked } from '../db/batching.js';
import type { Db } from '../db/connect.js';
import { readCadenceDefaults } from '../relationships/check-ins.js';
import { systemContext } from '../server/context.js';
import { readCacheState, writeCacheState } from './cache.js';
import { clientBase, computeClientHealth, readHealthWeights } from './health-compute.js';

/**
 * Each active client's health today, cached for the firm-wide early-warning list (programme
 * leads and management), which would otherwise score the whole firm on every request.
 *
 * Two views, both computed as the system sees the firm: `shared` leaves programme-only insights
 * out (what management reads), `programme` counts them (what programme leads read). A reader's
 * walls and filters apply when the cache is read, so its rows are the same numbers the live
 * computation gives that reader. The cache is valid for one day, one set of weights and one set
 * of cadence defaults (health depends on all three); otherwise it is rebuilt whole. Between
 * rebuilds, clients whose records changed (analytics_dirty) are recomputed before any read.
 */

export type HealthView = 'shared' | 'programme';
const STATE_KEY = 'health';

/** What the cached health depends on besides the records: a change rebuilds the cache whole. */
export async function healthCacheKey(db: Db, today: string): Promise<string> {
  const [weights, cadence] = await Promise.all([readHealthWeights(db), readCadenceDefaults(db)]);
  return JSON.stringify({ today, weights, cadence });
}

/**
 * Recomputes the cached health of `clientIds` (or of every client with 'all'): active clients
 * get both views, others lose their rows. Writes in one transaction per call.
 */
export async function recomputeHealth(db: Db, clientIds: readonly string[] | 'all', today: string): Promise<void> {
  const ctx = systemContext(db, 'health cache');
  const weights = await readHealthWeights(db);
  const base = db.selectFrom('clients').select(['id', 'name', 'status', 'is_key_client', 'annual_fees']).where('status', '=', 'active');
  const clients =
    clientIds === 'all' ? await base.execute() : (await Promise.all(chunked(clientIds).map((ids) => base.where('id', 'in', ids).execute()))).flat();
  const rows = await computeClientHealth(ctx, clients.map(clientBase), today, weights, { bothViews: true });
  const values = rows.flatMap((r) => [
    {
      client_id: r.id,
      view: 'shared',
      score: r.health.score,
      band: r.health.band,
      reasons: JSON.stringify(r.health.reasons),
      warnings: JSON.stringify(r.warnings),
    },
    {
      client_id: r.id,
      view: 'programme',
      score: (r.programmeHealth ?? r.health).score,
      band: (r.programmeHealth ?? r.health).band,
      reasons: JSON.stringify((r.programmeHealth ?? r.health).reasons),
      warnings: JSON.stringify(r.warnings),
    },
  ]);
  await db.transaction().execute(async (trx) => {
    if (clientIds === 'all') {
      await trx.deleteFrom('health_current').execute();
    } else {
      for (const ids of chunked(clientIds)) {
        await trx.deleteFrom('health_current').where('client_id', 'in', ids).execute();
      }
    }
    for (const chunk of chunked(values, 200)) {
      await trx
        .insertInto('health_current')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['view', 'client_id']).doUpdateSet((eb) => ({
            score: eb.ref('excluded.score'),
            band: eb.ref('excluded.band'),
            reasons: eb.ref('excluded.reasons'),
            warnings: eb.ref('excluded.warnings'),
          })),
        )
        .execute();
    }
  });
}

/** Brings the health cache up to date: rebuilt whole when its key changed, else the marked clients. */
export async function refreshHealthCache(db: Db, marked: readonly string[], today: string): Promise<void> {
  const key = await healthCacheKey(db, today);
  if ((await readCacheState(db, STATE_KEY)) !== key) {
    await recomputeHealth(db, 'all', today);
    await writeCacheState(db, STATE_KEY, key);
  } else if (marked.length > 0) {
    await recomputeHealth(db, marked, today);
  }
}
