import { sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../db/pagination.js';
import { toBool } from '../db/values.js';
import { requirePermission, visibleClients } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import { latestNps } from '../listening/programmes.js';
import { HELD_STATUSES } from '../listening/session-states.js';
import type { ServiceContext } from '../server/context.js';
import { type BiasBreakdown, type BiasClient, biasReport, isAtRisk, rowsOf, satisfactionBand } from './bias.js';
import {
  type AnalyticsFilterQuery,
  type AnalyticsFilters,
  clientPlacements,
  feeBandOf,
  filteredClients,
  periodBounds,
  resolveAnalyticsFilters,
} from './filters.js';
import type { BiasAnalytics, BiasClientPage } from './schemas.js';

export interface BiasQuery extends AnalyticsFilterQuery {
  programmeId?: string | undefined;
}

/**
 * Who was heard against the portfolio (see bias.ts for the definitions). The portfolio is the
 * clients the reader may see, narrowed to their own clients' (client team) for partners and
 * members, and by the filters; heard clients are those with a held session the reader may read,
 * completed in the period (the programme's dates when a programme is named and no period is
 * given), of the programme when one is named.
 */
interface LoadedBias {
  filters: AnalyticsFilters;
  programme: { id: string; name: string; target: number | null } | null;
  clients: (BiasClient & { name: string })[];
}

async function loadBias(ctx: ServiceContext, query: BiasQuery): Promise<LoadedBias> {
  const scope = requirePermission(ctx.actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  let programme: { id: string; name: string; starts_on: string; ends_on: string; target_at_risk_share: number | null } | undefined;
  if (query.programmeId) {
    programme = await ctx.db
      .selectFrom('programmes')
      .select(['id', 'name', 'starts_on', 'ends_on', 'target_at_risk_share'])
      .where('id', '=', query.programmeId)
      .executeTakeFirst();
    if (!programme) {
      throw new ValidationError('programmeId', 'no such programme');
    }
    if (!filters.from && !filters.to) {
      filters.from = String(programme.starts_on).slice(0, 10);
      filters.to = String(programme.ends_on).slice(0, 10);
    }
  }
  const actorId = ctx.actor.id ?? '';
  const { start, end } = periodBounds(filters);
  // Heard: a held session in the period (of the programme). Every session of a portfolio client
  // is one the reader may read (the portfolio is the clients they may see, on their team for
  // partners and members), so it is asked per client, through the (client, status) index.
  const portfolioRows = await ctx.db
    .selectFrom('clients')
    .select(['clients.id', 'clients.name', 'clients.status', 'clients.industry', 'clients.annual_fees'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('listening_sessions')
            .select(sql.lit(1).as('one'))
            .whereRef('listening_sessions.client_id', '=', 'clients.id')
            .where('listening_sessions.status', 'in', HELD_STATUSES)
            .where('listening_sessions.completed_at', 'is not', null)
            .$if(programme !== undefined, (q) => q.where('listening_sessions.programme_id', '=', programme?.id ?? ''))
            .$if(start !== null, (q) => q.where('listening_sessions.completed_at', '>=', start ?? ''))
            .$if(end !== null, (q) => q.where('listening_sessions.completed_at', '<', end ?? '')),
        )
        .as('heard'),
    )
    .where(visibleClients(ctx.actor))
    .where(filteredClients(filters))
    .where('clients.status', '!=', 'prospect')
    .$if(scope !== 'any', (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.user_id', '=', actorId),
        ),
      ),
    )
    .execute();
  const heard = new Set(portfolioRows.filter((r) => toBool(r.heard as boolean | number)).map((r) => r.id));
  const ids = portfolioRows.map((r) => r.id);
  const placements = await clientPlacements(ctx, ids);
  const latest = await latestNps(ctx, ids);
  const clients = portfolioRows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    feeBand: feeBandOf(r.annual_fees === null ? null : Number(r.annual_fees)),
    industry: r.industry,
    practices: placements.get(r.id)?.practices ?? [],
    latestNps: latest.get(r.id) ?? null,
    heard: heard.has(r.id),
  }));
  const target = programme?.target_at_risk_share === null || programme === undefined ? null : Number(programme.target_at_risk_share);
  return { filters, programme: programme ? { id: programme.id, name: programme.name, target } : null, clients };
}

export async function biasAnalytics(ctx: ServiceContext, query: BiasQuery): Promise<BiasAnalytics> {
  const { filters, programme, clients } = await loadBias(ctx, query);
  return {
    period: { from: filters.from, to: filters.to },
    programme: programme ? { id: programme.id, name: programme.name } : null,
    ...biasReport(clients, programme?.target ?? null),
  };
}

export interface BiasClientQuery extends BiasQuery {
  breakdown?: BiasBreakdown | undefined;
  key?: string | undefined;
  heard?: boolean | undefined;
  atRisk?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * The clients behind a bias figure (drill-down): the portfolio, narrowed to one breakdown row
 * (`breakdown` + `key`), to the heard or not heard, to the at-risk or not; by name.
 */
export async function biasClients(ctx: ServiceContext, query: BiasClientQuery): Promise<BiasClientPage> {
  if ((query.breakdown === undefined) !== (query.key === undefined)) {
    throw new ValidationError(query.key === undefined ? 'key' : 'breakdown', 'breakdown and key go together');
  }
  const { clients } = await loadBias(ctx, query);
  const { breakdown, key } = query;
  const rows = clients
    .filter((c) => (breakdown && key !== undefined ? rowsOf(breakdown, c).some(([k]) => k === key) : true))
    .filter((c) => query.heard === undefined || c.heard === query.heard)
    .filter((c) => query.atRisk === undefined || isAtRisk(c) === query.atRisk)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  let startIndex = 0;
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    const at = rows.findIndex((c) => c.name === after.value && c.id === after.id);
    if (at < 0) {
      throw new ValidationError('cursor', 'is not a cursor this list returned');
    }
    startIndex = at + 1;
  }
  const page = rows.slice(startIndex, startIndex + query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status,
      feeBand: c.feeBand,
      industry: c.industry,
      latestNps: c.latestNps,
      satisfaction: satisfactionBand(c.latestNps),
      atRisk: isAtRisk(c),
      heard: c.heard,
    })),
    nextCursor: startIndex + query.limit < rows.length && last ? encodeCursor(last.name, last.id) : null,
  };
}
