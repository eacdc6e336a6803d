import { type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../db/pagination.js';
import type { Database } from '../db/schema.js';
import { isoTimestamp } from '../db/values.js';
import { visibleClients } from '../http/access.js';
import type { ServiceContext } from '../server/context.js';
import { type AnalyticsFilters, feeBandSql, filteredClients, type GroupBy, quarterOf } from './filters.js';
import { type GroupTotals, groupLabel, type MeasureTally, NO_GROUP_KEY } from './nps-tally.js';

/**
 * The NPS cache read in SQL (nps-cache.ts holds what it reads): the counting rule's rows of the
 * clients the reader may see under the filters, summed per quarter, per group and overall, so
 * a firm's figures are a few aggregate queries over tens of thousands of rows. Walls and filters
 * apply here, on the clients; the cache itself holds every client.
 */

type Db = ServiceContext['db'];
type CacheQuery = SelectQueryBuilder<Database & { nq: Database['nps_quarters'] }, 'nq' | 'clients', object>;

/** A client's group key for the groupings that are columns of the client. */
function clientKeySql(groupBy: 'industry' | 'segment' | 'feeBand'): RawBuilder<string> {
  switch (groupBy) {
    case 'industry':
      return sql<string>`case when clients.industry is null or clients.industry = '' then ${sql.lit(NO_GROUP_KEY)} else clients.industry end`;
    case 'segment':
      return sql<string>`case when clients.is_key_client then 'key_client' else 'other' end`;
    case 'feeBand':
      return feeBandSql();
  }
}

/** client → group (key, name) for the groupings through relationship partners, one row per distinct pair. */
function placementsSql(groupBy: 'practice' | 'partner' | 'office'): RawBuilder<{ client_id: string; group_key: string; group_name: string | null }> {
  switch (groupBy) {
    case 'practice':
      return sql`(select distinct client_team.client_id, teams.id as group_key, teams.name as group_name from client_team
        inner join team_members on team_members.user_id = client_team.user_id inner join teams on teams.id = team_members.team_id
        where client_team.team_role = 'relationship_partner')`;
    case 'partner':
      return sql`(select distinct client_team.client_id, users.id as group_key, users.name as group_name from client_team
        inner join users on users.id = client_team.user_id where client_team.team_role = 'relationship_partner')`;
    case 'office':
      return sql`(select distinct client_team.client_id, users.office as group_key, users.office as group_name from client_team
        inner join users on users.id = client_team.user_id
        where client_team.team_role = 'relationship_partner' and users.office is not null and users.office <> '')`;
  }
}

const THROUGH_PARTNERS = new Set<GroupBy>(['practice', 'partner', 'office']);

/** Narrows a query over the cache rows (`nq`) and their clients to what the reader may see under the filters. */
function narrowed(ctx: ServiceContext, filters: AnalyticsFilters, q: CacheQuery): CacheQuery {
  return q
    .where((eb) => visibleClients(ctx.actor)(eb as unknown as ExpressionBuilder<Database, 'clients'>))
    .where((eb) => filteredClients(filters)(eb as unknown as ExpressionBuilder<Database, 'clients'>))
    .$if(filters.from !== null, (qb) => qb.where('nq.quarter', '>=', quarterOf(filters.from ?? '')))
    .$if(filters.to !== null, (qb) => qb.where('nq.quarter', '<=', quarterOf(filters.to ?? ''))) as unknown as CacheQuery;
}

function base(ctx: ServiceContext, filters: AnalyticsFilters): CacheQuery {
  return narrowed(
    ctx,
    filters,
    (ctx.db as unknown as Db).selectFrom('nps_quarters as nq').innerJoin('clients', 'clients.id', 'nq.client_id') as unknown as CacheQuery,
  );
}

/**
 * The aggregate columns: clients, sessions, and per measure slot its count and sum (NPS bands
 * too). Per quarter a client has one row, so `count(*)` counts its clients; across quarters
 * they must be counted distinct, which costs a sort, so only where needed.
 */
function aggregates(measures: readonly string[], clients: 'rows' | 'distinct') {
  const cols: RawBuilder<unknown>[] = [
    (clients === 'rows' ? sql`count(*)` : sql`count(distinct nq.client_id)`).as('clients') as unknown as RawBuilder<unknown>,
    sql`sum(nq.sessions)`.as('sessions') as unknown as RawBuilder<unknown>,
    sql`sum(case when nq.m0 >= 9 then 1 else 0 end)`.as('promoters') as unknown as RawBuilder<unknown>,
    sql`sum(case when nq.m0 <= 6 then 1 else 0 end)`.as('detractors') as unknown as RawBuilder<unknown>,
  ];
  measures.forEach((_, i) => {
    cols.push(sql`count(${sql.ref(`nq.m${i}`)})`.as(`n${i}`) as unknown as RawBuilder<unknown>);
    cols.push(sql`sum(${sql.ref(`nq.m${i}`)})`.as(`s${i}`) as unknown as RawBuilder<unknown>);
  });
  return cols;
}

function totalsOf(row: Record<string, unknown>, measures: readonly string[]): GroupTotals {
  const out = new Map<string, MeasureTally>();
  measures.forEach((measure, i) => {
    const n = Number(row[`n${i}`] ?? 0);
    if (n > 0) {
      const isNps = measure === 'nps';
      out.set(measure, {
        n,
        sum: Number(row[`s${i}`] ?? 0),
        promoters: isNps ? Number(row.promoters ?? 0) : 0,
        detractors: isNps ? Number(row.detractors ?? 0) : 0,
      });
    }
  });
  return { clients: Number(row.clients ?? 0), sessions: Number(row.sessions ?? 0), measures: out };
}

/** Adds up per-quarter totals (clients aside: they are counted distinct separately). */
function sumTotals(parts: Iterable<GroupTotals>, clients: number): GroupTotals {
  const measures = new Map<string, MeasureTally>();
  let sessions = 0;
  for (const part of parts) {
    sessions += part.sessions;
    for (const [measure, m] of part.measures) {
      const into = measures.get(measure) ?? { n: 0, sum: 0, promoters: 0, detractors: 0 };
      measures.set(measure, { n: into.n + m.n, sum: into.sum + m.sum, promoters: into.promoters + m.promoters, detractors: into.detractors + m.detractors });
    }
  }
  return { clients, sessions, measures };
}

export interface CachedTotals {
  overall: GroupTotals;
  trend: Map<string, GroupTotals>;
  groups: Map<string, { label: string; totals: GroupTotals }>;
}

/** Overall, per-quarter and (with `groupBy`) per-group totals from the cache. */
export async function cachedTotals(
  ctx: ServiceContext,
  filters: AnalyticsFilters,
  measures: readonly string[],
  groupBy: GroupBy | null,
): Promise<CachedTotals> {
  const [quarterRows, distinct] = await Promise.all([
    base(ctx, filters)
      .select(aggregates(measures, 'rows') as never)
      .select('nq.quarter as key')
      .groupBy('nq.quarter')
      .execute(),
    base(ctx, filters).select(sql<number>`count(distinct nq.client_id)`.as('clients')).executeTakeFirst(),
  ]);
  const trend = new Map(quarterRows.map((r) => [String((r as Record<string, unknown>).key), totalsOf(r as Record<string, unknown>, measures)]));
  const overall = sumTotals(trend.values(), Number(distinct?.clients ?? 0));
  const groups = new Map<string, { label: string; totals: GroupTotals }>();
  if (groupBy === 'quarter') {
    for (const [key, totals] of trend) {
      groups.set(key, { label: groupLabel('quarter', key), totals });
    }
  } else if (groupBy && THROUGH_PARTNERS.has(groupBy)) {
    const through = groupBy as 'practice' | 'partner' | 'office';
    // From the placements to the cache rows (a cross join keeps SQLite's planner on that order,
    // reading each client's rows by key; PostgreSQL plans it as a join), and the clients placed
    // nowhere as one more group.
    const placed = await narrowed(
      ctx,
      filters,
      (ctx.db as unknown as Db)
        .selectFrom(placementsSql(through).as('g'))
        .crossJoin('nps_quarters as nq')
        .innerJoin('clients', 'clients.id', 'nq.client_id')
        .whereRef('nq.client_id', '=', 'g.client_id') as unknown as CacheQuery,
    )
      .select(aggregates(measures, 'distinct') as never)
      .select([sql<string>`g.group_key`.as('key'), sql<string | null>`max(g.group_name)`.as('name')])
      .groupBy(sql`g.group_key`)
      .execute();
    const unplaced = await base(ctx, filters)
      .where(sql<boolean>`not exists (select 1 from ${placementsSql(through)} as g where g.client_id = clients.id)`)
      .select(aggregates(measures, 'distinct') as never)
      .execute();
    for (const r of placed as Record<string, unknown>[]) {
      const key = String(r.key);
      groups.set(key, { label: groupLabel(groupBy, key, r.name === null ? null : String(r.name)), totals: totalsOf(r, measures) });
    }
    const none = totalsOf((unplaced[0] ?? {}) as Record<string, unknown>, measures);
    if (none.clients > 0) {
      groups.set(NO_GROUP_KEY, { label: groupLabel(groupBy, NO_GROUP_KEY), totals: none });
    }
  } else if (groupBy) {
    // A client sits in one such group, so its rows are counted in one group only.
    const keySql = clientKeySql(groupBy as 'industry' | 'segment' | 'feeBand');
    const rows = await base(ctx, filters)
      .select(aggregates(measures, 'distinct') as never)
      .select(keySql.as('key'))
      .groupBy(keySql)
      .execute();
    for (const r of rows as Record<string, unknown>[]) {
      const key = String(r.key);
      groups.set(key, { label: groupLabel(groupBy, key), totals: totalsOf(r, measures) });
    }
  }
  return { overall, trend, groups };
}

export interface CachedSession {
  id: string;
  clientId: string;
  clientName: string;
  quarter: string;
  completedAt: string;
  nps: number | null;
  satisfaction: number | null;
  countsFor: string[];
}

/** The sessions behind a figure from the cache: latest first, a page after the cursor. */
export async function cachedSessions(
  ctx: ServiceContext,
  filters: AnalyticsFilters,
  query: { groupBy?: GroupBy | undefined; group?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: CachedSession[]; nextCursor: string | null }> {
  const { groupBy, group } = query;
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  let q = (ctx.db as unknown as Db)
    .selectFrom('nps_quarter_sessions as nqs')
    .innerJoin('clients', 'clients.id', 'nqs.client_id')
    .innerJoin('listening_sessions', 'listening_sessions.id', 'nqs.session_id')
    .select([
      'nqs.session_id',
      'nqs.client_id',
      'nqs.quarter',
      'nqs.completed_at',
      'nqs.counts_for',
      'clients.name as client_name',
      'listening_sessions.nps',
      'listening_sessions.satisfaction',
    ])
    .where((eb) => visibleClients(ctx.actor)(eb as unknown as ExpressionBuilder<Database, 'clients'>))
    .where((eb) => filteredClients(filters)(eb as unknown as ExpressionBuilder<Database, 'clients'>))
    .$if(filters.from !== null, (qb) => qb.where('nqs.quarter', '>=', quarterOf(filters.from ?? '')))
    .$if(filters.to !== null, (qb) => qb.where('nqs.quarter', '<=', quarterOf(filters.to ?? '')));
  if (groupBy && group !== undefined) {
    if (groupBy === 'quarter') {
      q = q.where('nqs.quarter', '=', group);
    } else if (THROUGH_PARTNERS.has(groupBy)) {
      const placed = sql`exists (select 1 from ${placementsSql(groupBy as 'practice' | 'partner' | 'office')} as g where g.client_id = clients.id and g.group_key = ${group})`;
      const placedAnywhere = sql`exists (select 1 from ${placementsSql(groupBy as 'practice' | 'partner' | 'office')} as g where g.client_id = clients.id)`;
      q = q.where(group === NO_GROUP_KEY ? sql<boolean>`not ${placedAnywhere}` : sql<boolean>`${placed}`);
    } else {
      q = q.where(sql<boolean>`${clientKeySql(groupBy as 'industry' | 'segment' | 'feeBand')} = ${group}`);
    }
  }
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('nqs.completed_at', '<', String(after.value)),
        eb.and([eb('nqs.completed_at', '=', String(after.value)), eb('nqs.session_id', '<', after.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('nqs.completed_at', 'desc')
    .orderBy('nqs.session_id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit).map((r) => ({
    id: r.session_id,
    clientId: r.client_id,
    clientName: r.client_name,
    quarter: r.quarter,
    completedAt: isoTimestamp(r.completed_at),
    nps: r.nps === null ? null : Number(r.nps),
    satisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
    countsFor: r.counts_for === '' ? [] : r.counts_for.split(','),
  }));
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last.completedAt, last.id) : null };
}
