import { chunked } from '../db/batching.js';
import { decodeCursor, encodeCursor } from '../db/pagination.js';
import { toBool } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import { todayUtc } from '../insights/insights.js';
import { visibleSessions } from '../listening/access.js';
import type { ServiceContext } from '../server/context.js';
import { COUNTING_RULE } from './counting.js';
import {
  type AnalyticsFilterQuery,
  type AnalyticsFilters,
  clientPlacements,
  feeBandOf,
  filteredClients,
  type GroupBy,
  periodBounds,
  resolveAnalyticsFilters,
} from './filters.js';
import { loadCountedAnswers, readNpsCacheState } from './nps-cache.js';
import { type CachedTotals, cachedSessions, cachedTotals } from './nps-queries.js';
import { averageOfTotals, type ClientFacts, type ClientQuarter, type GroupTotals, groupsOf, npsOfTotals, pivotCounted, Tally } from './nps-tally.js';
import { refreshAnalyticsCache } from './refresh.js';
import type { NpsAnalytics, NpsFiguresView, NpsSessionPage } from './schemas.js';

/**
 * NPS, satisfaction and score dimensions for the firm, as the reader may see it: only held
 * sessions the reader may read (visibleSessions, inside the SQL), of the clients the filters
 * select, counted by the one counting rule (counting.ts). Readers whose analytics reach is not
 * firm-wide (partners and members: their own clients) see groups answered by fewer than
 * MIN_GROUP_CLIENTS clients suppressed, so a small group never points at one client's answer.
 */

/** Groups answered by fewer clients than this are suppressed for readers who are not firm-wide. */
export const MIN_GROUP_CLIENTS = 3;

export interface NpsQuery extends AnalyticsFilterQuery {
  groupBy?: GroupBy | undefined;
}

export interface NpsSessionQuery extends NpsQuery {
  group?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** What the live figures are computed from: the counting rule's rows and what grouping needs to know. */
interface Loaded {
  rows: ClientQuarter[];
  clients: Map<string, ClientFacts & { name: string }>;
}

/** Whether a period covers whole quarters (or is open), which is what the cache holds. */
export function coversWholeQuarters(filters: Pick<AnalyticsFilters, 'from' | 'to'>): boolean {
  const startsQuarter = (day: string) => /-(01|04|07|10)-01$/.test(day);
  const endsQuarter = (day: string) => /-(03-31|06-30|09-30|12-31)$/.test(day);
  return (filters.from === null || startsQuarter(filters.from)) && (filters.to === null || endsQuarter(filters.to));
}

const NEEDS_PLACEMENTS: ReadonlySet<GroupBy> = new Set(['practice', 'partner', 'office']);

/**
 * The cache's measures when this read may use the NPS cache (nps-cache.ts, refreshed first), or
 * null when it must be computed live: firm-wide readers (programme leads, management) over a
 * period of whole quarters read the cache; anyone else, or a period that cuts a quarter (the
 * latest answer inside the period may not be the quarter's latest), is computed live.
 */
async function cachedMeasures(ctx: ServiceContext, scope: string, filters: AnalyticsFilters, mode: 'auto' | 'live'): Promise<string[] | null> {
  if (mode === 'live' || scope !== 'any' || ctx.actor.role === 'system' || !coversWholeQuarters(filters)) {
    return null;
  }
  await refreshAnalyticsCache(ctx.db, todayUtc());
  return (await readNpsCacheState(ctx.db))?.measures ?? null;
}

/** Loads and counts the held sessions the reader may read under the filters (the live path). */
async function loadLive(ctx: ServiceContext, filters: AnalyticsFilters, groupBy: GroupBy | null): Promise<Loaded> {
  const clients = new Map<string, ClientFacts & { name: string }>();
  const { start, end } = periodBounds(filters);
  const { counted } = await loadCountedAnswers(ctx, (q) =>
    q
      .where(visibleSessions(ctx.actor))
      .where(filteredClients(filters))
      .$if(start !== null, (qb) => qb.where('listening_sessions.completed_at', '>=', start ?? ''))
      .$if(end !== null, (qb) => qb.where('listening_sessions.completed_at', '<', end ?? '')),
  );
  const rows = pivotCounted(counted);
  for (const chunk of chunked([...new Set(rows.map((r) => r.clientId))])) {
    const found = await ctx.db.selectFrom('clients').select(['id', 'name', 'industry', 'is_key_client', 'annual_fees']).where('id', 'in', chunk).execute();
    for (const r of found) {
      clients.set(r.id, {
        name: r.name,
        industry: r.industry,
        isKeyClient: toBool(r.is_key_client),
        feeBand: feeBandOf(r.annual_fees === null ? null : Number(r.annual_fees)),
        practices: [],
        partners: [],
        offices: [],
      });
    }
  }
  if (groupBy && NEEDS_PLACEMENTS.has(groupBy)) {
    for (const [clientId, placement] of await clientPlacements(ctx, [...clients.keys()])) {
      Object.assign(clients.get(clientId) ?? {}, placement);
    }
  }
  return { rows, clients };
}

/** The distinct groups a row falls in. */
function keysOf(loaded: Loaded, groupBy: GroupBy, row: ClientQuarter): [string, string][] {
  const client = loaded.clients.get(row.clientId);
  if (!client) {
    return [];
  }
  const out: [string, string][] = [];
  for (const [key, label] of groupsOf(groupBy, row.quarter, client)) {
    if (!out.some(([k]) => k === key)) {
      out.push([key, label]);
    }
  }
  return out;
}

/** The score dimensions answered under the filters, in the firm's order. */
async function answeredDimensions(ctx: ServiceContext, overall: GroupTotals): Promise<{ key: string; label: string }[]> {
  const dims = await ctx.db.selectFrom('score_dimensions').select(['key', 'label']).orderBy('position').orderBy('key').execute();
  return dims.filter((d) => overall.measures.has(`dim:${d.key}`));
}

/** A group's figures from its totals (suppressed for readers who are not firm-wide when too few clients answered). */
function figuresOf(dimensions: { key: string; label: string }[], firmWide: boolean, t: GroupTotals): NpsFiguresView {
  const suppressed = !firmWide && t.clients > 0 && t.clients < MIN_GROUP_CLIENTS;
  if (suppressed) {
    return {
      clients: null,
      sessions: null,
      n: null,
      promoters: null,
      passives: null,
      detractors: null,
      nps: null,
      margin: null,
      warning: `Fewer than ${MIN_GROUP_CLIENTS} clients answered: hidden so that no client's answer can be singled out.`,
      reason: 'suppressed',
      satisfaction: { n: null, mean: null },
      dimensions: dimensions.map((d) => ({ key: d.key, label: d.label, n: null, mean: null })),
    };
  }
  const figures = npsOfTotals(t);
  return {
    clients: t.clients,
    sessions: t.sessions,
    ...figures,
    reason: figures.n === 0 ? 'no_answers' : null,
    satisfaction: averageOfTotals(t, 'satisfaction'),
    dimensions: dimensions.map((d) => ({ key: d.key, label: d.label, ...averageOfTotals(t, `dim:${d.key}`) })),
  };
}

/** Live totals: one pass over the rows, tallying overall, per quarter and per group. */
function tallyLive(loaded: Loaded, groupBy: GroupBy | null): CachedTotals {
  const overall = new Tally();
  const quarters = new Map<string, Tally>();
  const grouped = new Map<string, { label: string; tally: Tally }>();
  for (const row of loaded.rows) {
    overall.add(row);
    let quarter = quarters.get(row.quarter);
    if (!quarter) {
      quarter = new Tally();
      quarters.set(row.quarter, quarter);
    }
    quarter.add(row);
    if (groupBy) {
      for (const [key, label] of keysOf(loaded, groupBy, row)) {
        let g = grouped.get(key);
        if (!g) {
          g = { label, tally: new Tally() };
          grouped.set(key, g);
        }
        g.tally.add(row);
      }
    }
  }
  return {
    overall: overall.totals(),
    trend: new Map([...quarters].map(([q, t]) => [q, t.totals()])),
    groups: new Map([...grouped].map(([key, g]) => [key, { label: g.label, totals: g.tally.totals() }])),
  };
}

export async function npsAnalytics(ctx: ServiceContext, query: NpsQuery, mode: 'auto' | 'live' = 'auto'): Promise<NpsAnalytics> {
  const scope = requirePermission(ctx.actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const groupBy = query.groupBy ?? null;
  const measures = await cachedMeasures(ctx, scope, filters, mode);
  const totals = measures ? await cachedTotals(ctx, filters, measures, groupBy) : tallyLive(await loadLive(ctx, filters, groupBy), groupBy);
  const dimensions = await answeredDimensions(ctx, totals.overall);
  const firmWide = scope === 'any';
  const groups: NpsAnalytics['groups'] = [...totals.groups].map(([key, g]) => ({ key, label: g.label, figures: figuresOf(dimensions, firmWide, g.totals) }));
  groups.sort((x, y) => (groupBy === 'quarter' ? x.key.localeCompare(y.key) : x.label.localeCompare(y.label) || x.key.localeCompare(y.key)));
  return {
    period: { from: filters.from, to: filters.to },
    groupBy,
    countingRule: COUNTING_RULE,
    state: totals.overall.clients === 0 ? 'no_answers' : 'ok',
    overall: figuresOf(dimensions, firmWide, totals.overall),
    groups,
    trend: [...totals.trend.keys()].sort().map((quarter) => ({ quarter, figures: figuresOf(dimensions, firmWide, totals.trend.get(quarter) as GroupTotals) })),
  };
}

/**
 * The held sessions behind a figure (drill-down): those whose answers count in the group
 * (`groupBy` + `group`), or in the overall figure without them; latest first, paginated.
 * A suppressed group lists nothing.
 */
export async function npsSessions(ctx: ServiceContext, query: NpsSessionQuery, mode: 'auto' | 'live' = 'auto'): Promise<NpsSessionPage> {
  if ((query.group === undefined) !== (query.groupBy === undefined)) {
    throw new ValidationError(query.group === undefined ? 'group' : 'groupBy', 'groupBy and group go together');
  }
  const scope = requirePermission(ctx.actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const { groupBy, group } = query;
  if (await cachedMeasures(ctx, scope, filters, mode)) {
    // Firm-wide readers: never suppressed.
    const page = await cachedSessions(ctx, filters, query);
    return {
      items: page.items.map((s) => ({
        id: s.id,
        client: { id: s.clientId, name: s.clientName },
        quarter: s.quarter,
        completedAt: s.completedAt,
        nps: s.nps,
        satisfaction: s.satisfaction,
        countsFor: s.countsFor,
      })),
      nextCursor: page.nextCursor,
      suppressed: false,
    };
  }
  const loaded = await loadLive(ctx, filters, groupBy ?? null);
  const inGroup = loaded.rows.filter((row) => (groupBy && group !== undefined ? keysOf(loaded, groupBy, row).some(([k]) => k === group) : true));
  const tally = new Tally();
  for (const row of inGroup) {
    tally.add(row);
  }
  if (!(scope === 'any') && tally.clientIds.size > 0 && tally.clientIds.size < MIN_GROUP_CLIENTS) {
    return { items: [], nextCursor: null, suppressed: true };
  }
  const dimensions = await answeredDimensions(ctx, tallyLive(loaded, null).overall);
  const measures = ['nps', 'satisfaction', ...dimensions.map((d) => `dim:${d.key}`)];
  const listed = inGroup
    .flatMap((row) =>
      row.sessions.map(([id, at], index) => ({
        id,
        at,
        clientId: row.clientId,
        quarter: row.quarter,
        countsFor: measures.filter((m) => row.answers[m]?.[1] === index).map((m) => m.replace(/^dim:/, '')),
      })),
    )
    .sort((x, y) => (x.at === y.at ? y.id.localeCompare(x.id) : x.at < y.at ? 1 : -1));
  let startIndex = 0;
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    const at = listed.findIndex((s) => s.at === after.value && s.id === after.id);
    if (at < 0) {
      throw new ValidationError('cursor', 'is not a cursor this list returned');
    }
    startIndex = at + 1;
  }
  const page = listed.slice(startIndex, startIndex + query.limit);
  const last = page[page.length - 1];
  const hasMore = startIndex + query.limit < listed.length;
  const own = new Map(
    page.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('listening_sessions')
            .select(['id', 'nps', 'satisfaction'])
            .where(
              'id',
              'in',
              page.map((s) => s.id),
            )
            .execute()
        ).map((s) => [s.id, s]),
  );
  return {
    items: page.map((s) => {
      const session = own.get(s.id);
      return {
        id: s.id,
        client: { id: s.clientId, name: loaded.clients.get(s.clientId)?.name ?? '' },
        quarter: s.quarter,
        completedAt: s.at,
        nps: session?.nps === null || session?.nps === undefined ? null : Number(session.nps),
        satisfaction: session?.satisfaction === null || session?.satisfaction === undefined ? null : Number(session.satisfaction),
        countsFor: s.countsFor,
      };
    }),
    nextCursor: hasMore && last ? encodeCursor(last.at, last.id) : null,
    suppressed: false,
  };
}
