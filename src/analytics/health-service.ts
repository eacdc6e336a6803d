import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { isoTimestamp, nowIso } from '../db/values.js';
import { requirePermission, visibleClients } from '../http/access.js';
import { NotFoundError } from '../http/errors.js';
import { seesAllInsights } from '../insights/access.js';
import { todayUtc } from '../insights/insights.js';
import type { ServiceContext } from '../server/context.js';
import { filteredClients, resolveAnalyticsFilters } from './filters.js';
import { BAND_FLOORS, compareRisk, DEFAULT_HEALTH_WEIGHTS, type Health, type HealthBand, LOOKBACK_DAYS, validateHealthWeights } from './health.js';
import type { HealthView } from './health-cache.js';
import { type ClientBase, type ClientHealthRow, clientBase, computeClientHealth, HEALTH_WEIGHTS_KEY, minusDays, readHealthWeights } from './health-compute.js';
import type { ClientHealth, HealthList, HealthListQuery, HealthSettings, HealthWeightsBody } from './health-schemas.js';
import { refreshAnalyticsCache } from './refresh.js';

export { HEALTH_WEIGHTS_KEY, readHealthWeights } from './health-compute.js';

export const HEALTH_RULES =
  'Each client starts at 100; each warning sign takes off its weight in points (per occurrence), never below 0: ' +
  'latest NPS a detractor or a passive and NPS falling quarter on quarter (the counting rule: latest answer per quarter), latest satisfaction 6/10 or lower, ' +
  `open concerns and risks by severity (heard in the last ${LOOKBACK_DAYS} days, no action on them done), overdue actions, check-in cadence red, ` +
  `no held session for over ${LOOKBACK_DAYS} days (or never), unresolved problems, key contacts who left in the last ${LOOKBACK_DAYS} days, ` +
  'and fees falling (the latest recorded change of annual fees lowered them; clients keep no other fee history). ' +
  `Bands: healthy from ${BAND_FLOORS.healthy}, watch from ${BAND_FLOORS.watch}, at risk below. Only what you may see is counted.`;

/**
 * The clients the reader reaches (as analyticsReach): walls always apply; partners and members
 * (`analytics.read: client_team`) only clients on whose relationship team they sit.
 */
function reachedClients(ctx: ServiceContext) {
  const { actor } = ctx;
  const scope = requirePermission(actor, 'analytics', 'read');
  return ctx.db
    .selectFrom('clients')
    .select(['clients.id', 'clients.name', 'clients.status', 'clients.is_key_client', 'clients.annual_fees'])
    .where(visibleClients(actor))
    .$if(scope !== 'any' && actor.role !== 'system', (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.user_id', '=', actor.id ?? ''),
        ),
      ),
    );
}

const listItem = (r: ClientHealthRow) => ({
  client: { id: r.id, name: r.name },
  status: r.status,
  isKeyClient: r.isKeyClient,
  annualFees: r.annualFees,
  score: r.health.score,
  band: r.health.band,
  reasons: r.health.reasons,
  warnings: r.warnings,
});

/**
 * Which cached view gives exactly what this reader would compute live, or null when the reader
 * must be computed live: firm-wide readers (programme leads: the `programme` view; management:
 * `shared`), unless the reader recorded a programme-only insight (they read their own, which
 * the shared view leaves out). Partners and members reach few clients: live is cheap for them.
 */
async function cachedViewFor(ctx: ServiceContext, scope: string): Promise<HealthView | null> {
  if (scope !== 'any' || ctx.actor.role === 'system' || ctx.actor.id === null) {
    return null;
  }
  if (seesAllInsights(ctx.actor)) {
    return 'programme';
  }
  const own = await ctx.db
    .selectFrom('insights')
    .select('id')
    .where('recorded_by', '=', ctx.actor.id)
    .where('confidentiality', '=', 'programme_only')
    .executeTakeFirst();
  return own ? null : 'shared';
}

/** A client with its score lifted to the top, so sorting thousands compares fields, not copies. */
type Ranked = ClientBase & { score: number; health: { score: number; band: HealthBand } };

/**
 * The early-warning list: the active clients the reader reaches (partners and members: their
 * own; walls always apply), filtered by the shared analytics filters, lowest score first and,
 * among equal scores, the most fees at stake first. Firm-wide readers read the health cache
 * (health-cache.ts), refreshed first; everyone else is computed live (`mode: 'live'` forces it,
 * which is how the tests prove the cache gives the same list).
 */
export async function healthList(ctx: ServiceContext, query: HealthListQuery, today = todayUtc(), mode: 'auto' | 'live' = 'auto'): Promise<HealthList> {
  const scope = requirePermission(ctx.actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const view = mode === 'live' ? null : await cachedViewFor(ctx, scope);
  const reached = reachedClients(ctx).where('clients.status', '=', 'active').where(filteredClients(filters));
  let ranked: Ranked[];
  let live = new Map<string, ClientHealthRow>();
  if (view) {
    await refreshAnalyticsCache(ctx.db, today);
    const rows = await reached
      .innerJoin('health_current', 'health_current.client_id', 'clients.id')
      .where('health_current.view', '=', view)
      .select(['health_current.score', 'health_current.band'])
      .execute();
    ranked = rows.map((r) => ({ ...clientBase(r), score: Number(r.score), health: { score: Number(r.score), band: r.band as HealthBand } }));
  } else {
    const rows = await reached.execute();
    const computed = await computeClientHealth(ctx, rows.map(clientBase), today, await readHealthWeights(ctx.db));
    live = new Map(computed.map((r) => [r.id, r]));
    ranked = computed.map((r) => ({ ...r, score: r.health.score }));
  }
  const all = ranked.filter((r) => !query.band || r.health.band === query.band).sort(compareRisk);
  const page = all.slice(query.offset, query.offset + query.limit);
  let items: ClientHealthRow[];
  if (view && page.length > 0) {
    const cached = new Map(
      (
        await ctx.db
          .selectFrom('health_current')
          .select(['client_id', 'reasons', 'warnings'])
          .where('view', '=', view)
          .where(
            'client_id',
            'in',
            page.map((r) => r.id),
          )
          .execute()
      ).map((r) => [r.client_id, r]),
    );
    items = page.map((r) => {
      const c = cached.get(r.id);
      return {
        ...r,
        health: { ...r.health, reasons: c ? (JSON.parse(c.reasons) as Health['reasons']) : [] },
        warnings: c ? (JSON.parse(c.warnings) as ClientHealthRow['warnings']) : [],
        contacts: [],
      };
    });
  } else {
    items = view ? [] : page.map((r) => live.get(r.id) as ClientHealthRow);
  }
  const feesIn = (band: string) => all.filter((r) => r.health.band === band).reduce((sum, r) => sum + (r.annualFees ?? 0), 0);
  return {
    today,
    rules: HEALTH_RULES,
    bandFloors: { ...BAND_FLOORS },
    items: items.map(listItem),
    total: all.length,
    limit: query.limit,
    offset: query.offset,
    nextOffset: query.offset + query.limit < all.length ? query.offset + query.limit : null,
    feesAtStake: { watch: feesIn('watch'), atRisk: feesIn('at_risk') },
  };
}

/**
 * One client's health: score, reasons, each active contact's health and the single-threaded
 * warnings, with the trend of daily snapshots (last year). A client the reader does not reach
 * is a 404, whether it does not exist or is walled. Snapshots leave programme-only insights out
 * (see takeHealthSnapshots); the trend is shown only to readers with firm-wide analytics.
 */
export async function clientHealth(ctx: ServiceContext, clientId: string, today = todayUtc()): Promise<ClientHealth> {
  const scope = requirePermission(ctx.actor, 'analytics', 'read');
  const row = await reachedClients(ctx).where('clients.id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Client');
  }
  const weights = await readHealthWeights(ctx.db);
  const [r] = await computeClientHealth(ctx, [clientBase(row)], today, weights, { contacts: true });
  if (!r) {
    throw new NotFoundError('Client');
  }
  const trend =
    scope === 'any'
      ? await ctx.db
          .selectFrom('health_snapshots')
          .select(['taken_on', 'score', 'band'])
          .where('client_id', '=', clientId)
          .where('taken_on', '>', minusDays(today, 366))
          .orderBy('taken_on')
          .execute()
      : [];
  return {
    ...listItem(r),
    today,
    rules: HEALTH_RULES,
    contacts: r.contacts.map((k) => ({
      contact: k.contact,
      jobTitle: k.jobTitle,
      isDecisionMaker: k.isDecisionMaker,
      lastHeardOn: k.lastHeardOn,
      score: k.health.score,
      band: k.health.band,
      reasons: k.health.reasons,
    })),
    trend: trend.map((t) => ({ takenOn: isoTimestamp(t.taken_on).slice(0, 10), score: Number(t.score), band: t.band as ClientHealth['band'] })),
  };
}

// ------------------------------------------------------------------ snapshots

/**
 * Stores today's health of every active client (one row per client and day). Idempotent: a
 * client already snapshotted today is left as it is. The figures are the health cache's shared
 * view (as the system sees the firm, without programme-only insights), refreshed first, so the
 * history never carries what most readers may not see and matches what management saw that day.
 */
export async function takeHealthSnapshots(db: Db, today = todayUtc()): Promise<{ taken: number; skipped: number }> {
  await refreshAnalyticsCache(db, today);
  const rows = await db
    .selectFrom('health_current')
    .innerJoin('clients', 'clients.id', 'health_current.client_id')
    .select(['health_current.client_id', 'health_current.score', 'health_current.band', 'health_current.reasons'])
    .where('health_current.view', '=', 'shared')
    .where('clients.status', '=', 'active')
    .execute();
  const done = new Set((await db.selectFrom('health_snapshots').select('client_id').where('taken_on', '=', today).execute()).map((r) => r.client_id));
  const todo = rows.filter((r) => !done.has(r.client_id));
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < todo.length; i += 200) {
      const values = todo.slice(i, i + 200).map((h) => ({
        id: uuidv7(),
        client_id: h.client_id,
        taken_on: today,
        score: Number(h.score),
        band: h.band,
        reasons: h.reasons,
        created_at: now,
      }));
      await trx
        .insertInto('health_snapshots')
        .values(values)
        .onConflict((oc) => oc.columns(['client_id', 'taken_on']).doNothing())
        .execute();
    }
  });
  return { taken: todo.length, skipped: done.size };
}

/**
 * Takes the day's snapshots shortly after start and then every half hour (idempotent per day, and
 * cheap when nothing changed), so the health cache is rebuilt for a new day soon after midnight
 * UTC rather than by the first reader. Never holds the process open.
 */
export function startHealthSnapshotScheduler(
  db: Db,
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void },
  everyMs = 30 * 60 * 1000,
) {
  const run = async () => {
    try {
      const report = await takeHealthSnapshots(db);
      if (report.taken > 0) {
        log.info(report, 'client health snapshots');
      }
    } catch (err) {
      log.error({ err }, 'client health snapshots failed');
    }
  };
  const first = setTimeout(() => void run(), 90 * 1000);
  first.unref();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

// ------------------------------------------------------------------ settings

export async function getHealthSettings(ctx: ServiceContext): Promise<HealthSettings> {
  requirePermission(ctx.actor, 'setting', 'read');
  return { weights: await readHealthWeights(ctx.db), defaults: { ...DEFAULT_HEALTH_WEIGHTS } };
}

/** Replaces the weights (those left out go back to their defaults); admins only, audited. */
export async function putHealthSettings(ctx: ServiceContext, input: HealthWeightsBody): Promise<HealthSettings> {
  requirePermission(ctx.actor, 'setting', 'update');
  const weights = validateHealthWeights(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
  return ctx.db.transaction().execute(async (trx) => {
    const before = await readHealthWeights(trx);
    const value = JSON.stringify(weights);
    const now = nowIso();
    await trx
      .insertInto('settings')
      .values({ key: HEALTH_WEIGHTS_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'settings.health.update', entity: 'settings', entityId: 'health', before, after: weights });
    return { weights, defaults: { ...DEFAULT_HEALTH_WEIGHTS } };
  });
}
