import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { chunked } from '../db/batching.js';
import type { Database } from '../db/schema.js';
import { visibleClients } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import { id, isoDate } from '../http/schema-helpers.js';
import type { ServiceContext } from '../server/context.js';

/**
 * The one filter vocabulary of every analytics endpoint (NPS, bias, participation, loop,
 * retention, health), so "practice", "partner", "office" and "segment" mean the same thing
 * in every figure:
 *
 * - **period** `from`/`to` (YYYY-MM-DD, both inclusive, UTC days): each endpoint says which date
 *   of its records falls in the period (a session's completion, an action's creation, …).
 * - **practice** (a team id): clients one of whose relationship partners is a member of the team.
 * - **partner** (a user id): clients on which the user is a relationship partner.
 * - **office** (text, as on users' profiles): clients one of whose relationship partners works
 *   in that office.
 * - **industry** (text, as on clients): clients of that industry.
 * - **segment**: `key_client` (clients marked key) or `other`.
 * - **feeBand**: the band of the client's annual fees (see FEE_BANDS).
 * - **clientId**: one client.
 *
 * A client with several relationship partners belongs to each of their practices and offices:
 * grouped by practice it appears in every group it belongs to, filtered it is kept when any
 * matches. A filter naming something that does not exist, or a client the reader may not see
 * (a walled client), is a 400 naming the field, with the same message either way so a wall
 * is never revealed.
 */

/** The earliest and latest dates an analytics period may name: anything outside is a typo. */
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2100-12-31';
/** The longest period, in years: longer than that is almost surely a typo. */
export const MAX_PERIOD_YEARS = 30;

export const SEGMENTS = ['key_client', 'other'] as const;
export type Segment = (typeof SEGMENTS)[number];

/**
 * Fee bands from `clients.annual_fees` (in the firm's currency, per year). Lower bound
 * inclusive, upper bound exclusive; clients without recorded fees are `unknown`.
 */
export const FEE_BANDS = ['under_100k', '100k_to_500k', '500k_to_1m', '1m_to_5m', '5m_and_over', 'unknown'] as const;
export type FeeBand = (typeof FEE_BANDS)[number];
export const FEE_BAND_LABELS: Record<FeeBand, string> = {
  under_100k: 'Under 100k',
  '100k_to_500k': '100k to 500k',
  '500k_to_1m': '500k to 1m',
  '1m_to_5m': '1m to 5m',
  '5m_and_over': '5m and over',
  unknown: 'Fees unknown',
};
const FEE_BAND_BOUNDS: [FeeBand, number, number][] = [
  ['under_100k', Number.NEGATIVE_INFINITY, 100_000],
  ['100k_to_500k', 100_000, 500_000],
  ['500k_to_1m', 500_000, 1_000_000],
  ['1m_to_5m', 1_000_000, 5_000_000],
  ['5m_and_over', 5_000_000, Number.POSITIVE_INFINITY],
];

export function feeBandOf(annualFees: number | null | undefined): FeeBand {
  if (annualFees === null || annualFees === undefined || !Number.isFinite(annualFees)) {
    return 'unknown';
  }
  const fees = Number(annualFees);
  return FEE_BAND_BOUNDS.find(([, lo, hi]) => fees >= lo && fees < hi)?.[0] ?? 'unknown';
}

/** The calendar quarter (UTC) of an ISO date or timestamp, as `2026-Q1`. */
export function quarterOf(iso: string): string {
  const year = iso.slice(0, 4);
  const month = Number(iso.slice(5, 7));
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** Every quarter from the one holding `from` to the one holding `to`, in order. */
export function quartersBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let year = Number(from.slice(0, 4));
  let q = Math.floor((Number(from.slice(5, 7)) - 1) / 3) + 1;
  const last = quarterOf(to);
  for (let guard = 0; guard < 4 * (MAX_PERIOD_YEARS + 2); guard++) {
    const key = `${year}-Q${q}`;
    out.push(key);
    if (key >= last) {
      break;
    }
    q += 1;
    if (q > 4) {
      q = 1;
      year += 1;
    }
  }
  return out;
}

/** The groupings analytics endpoints offer (each endpoint accepts the ones that make sense for it). */
export const GROUP_BYS = ['practice', 'partner', 'industry', 'office', 'segment', 'feeBand', 'quarter'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The query-string filters shared by every analytics endpoint (spread into each endpoint's query schema). */
export const analyticsFilterFields = {
  from: isoDate.optional().describe(`First day of the period (YYYY-MM-DD, inclusive, not before ${EARLIEST_DATE})`),
  to: isoDate.optional().describe(`Last day of the period (YYYY-MM-DD, inclusive, not after ${LATEST_DATE})`),
  practice: id.optional().describe('A team id: clients one of whose relationship partners is in the team'),
  partner: id.optional().describe('A user id: clients on which the user is a relationship partner'),
  office: z.string().trim().min(1).max(120).optional().describe('An office: clients one of whose relationship partners works there'),
  industry: z.string().trim().min(1).max(120).optional().describe('An industry, as recorded on clients'),
  segment: z.enum(SEGMENTS).optional().describe('key_client or other'),
  feeBand: z.enum(FEE_BANDS).optional().describe('A band of annual fees'),
  clientId: id.optional().describe('One client'),
};
export const AnalyticsFilterQuery = z.object(analyticsFilterFields);
export type AnalyticsFilterQuery = z.infer<typeof AnalyticsFilterQuery>;

/** Above this many clients, placements are read for the whole firm and picked out in memory. */
const WHOLE_FIRM_ABOVE = 2_000;

/** Filters after validation: every named thing exists and is visible to the reader. */
export interface AnalyticsFilters {
  from: string | null;
  to: string | null;
  practice: string | null;
  partner: string | null;
  office: string | null;
  industry: string | null;
  segment: Segment | null;
  feeBand: FeeBand | null;
  clientId: string | null;
}

/** Checks what the schema cannot: the period's order and size (pure, so it is unit-tested alone). */
export function checkPeriod(from: string | null | undefined, to: string | null | undefined): void {
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value && (value < EARLIEST_DATE || value > LATEST_DATE)) {
      throw new ValidationError(field, `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`);
    }
  }
  if (from && to) {
    if (from > to) {
      throw new ValidationError('from', 'must be on or before to');
    }
    const years = (Date.parse(to) - Date.parse(from)) / (365.25 * 86_400_000);
    if (years > MAX_PERIOD_YEARS) {
      throw new ValidationError('to', `the period may span at most ${MAX_PERIOD_YEARS} years`);
    }
  }
}

/**
 * Validates the filters against the database, as the reader sees it: a team, user, office,
 * industry or client that does not exist (or that the reader may not see) is a 400 naming the
 * field. The message is the same for "does not exist" and "walled".
 */
export async function resolveAnalyticsFilters(ctx: ServiceContext, query: AnalyticsFilterQuery): Promise<AnalyticsFilters> {
  checkPeriod(query.from, query.to);
  const { db, actor } = ctx;
  if (query.practice) {
    const team = await db.selectFrom('teams').select('id').where('id', '=', query.practice).executeTakeFirst();
    if (!team) {
      throw new ValidationError('practice', 'no such team');
    }
  }
  if (query.partner) {
    const user = await db.selectFrom('users').select('id').where('id', '=', query.partner).where('role', '!=', 'external').executeTakeFirst();
    if (!user) {
      throw new ValidationError('partner', 'no such partner');
    }
  }
  if (query.office) {
    const office = await db.selectFrom('users').select('id').where('office', '=', query.office).where('role', '!=', 'external').executeTakeFirst();
    if (!office) {
      throw new ValidationError('office', 'no such office');
    }
  }
  if (query.industry) {
    const client = await db.selectFrom('clients').select('id').where('industry', '=', query.industry).where(visibleClients(actor)).executeTakeFirst();
    if (!client) {
      throw new ValidationError('industry', 'no client of yours has this industry');
    }
  }
  if (query.clientId) {
    const client = await db.selectFrom('clients').select('id').where('id', '=', query.clientId).where(visibleClients(actor)).executeTakeFirst();
    if (!client) {
      throw new ValidationError('clientId', 'no such client');
    }
  }
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    practice: query.practice ?? null,
    partner: query.partner ?? null,
    office: query.office ?? null,
    industry: query.industry ?? null,
    segment: query.segment ?? null,
    feeBand: query.feeBand ?? null,
    clientId: query.clientId ?? null,
  };
}

/**
 * The period as timestamps for comparing with stored timestamps: `start` inclusive, `end`
 * exclusive (the day after `to`), null where the period is open.
 */
export function periodBounds(filters: Pick<AnalyticsFilters, 'from' | 'to'>): { start: string | null; end: string | null } {
  const start = filters.from ? `${filters.from}T00:00:00.000Z` : null;
  const end = filters.to ? new Date(Date.parse(`${filters.to}T00:00:00.000Z`) + 86_400_000).toISOString() : null;
  return { start, end };
}

/** SQL bounds of fee bands, for filtering inside queries. */
function feeBandCondition(eb: ExpressionBuilder<Database, 'clients'>, band: FeeBand) {
  if (band === 'unknown') {
    return eb('clients.annual_fees', 'is', null);
  }
  const [, lo, hi] = FEE_BAND_BOUNDS.find(([b]) => b === band) ?? ['unknown', 0, 0];
  const parts: Expression<SqlBool>[] = [];
  if (Number.isFinite(lo)) {
    parts.push(eb('clients.annual_fees', '>=', lo));
  }
  if (Number.isFinite(hi)) {
    parts.push(eb('clients.annual_fees', '<', hi));
  }
  parts.push(eb('clients.annual_fees', 'is not', null));
  return eb.and(parts);
}

/** The fee band of `clients.annual_fees` as an SQL expression (the same bands as feeBandOf). */
export function feeBandSql(): RawBuilder<string> {
  const whens = FEE_BAND_BOUNDS.filter(([, , hi]) => Number.isFinite(hi)).map(
    ([band, , hi]) => sql`when clients.annual_fees < ${sql.lit(hi)} then ${sql.lit(band)}`,
  );
  return sql<string>`case when clients.annual_fees is null then 'unknown' ${sql.join(whens, sql` `)} else '5m_and_over' end`;
}

/**
 * Restricts a query on `clients` to the clients the filters select (period aside: each
 * endpoint applies the period to its own dates with `periodBounds`). Combine with
 * `visibleClients` / `visibleSessions` for access; this adds no access rule of its own.
 */
export function filteredClients(filters: AnalyticsFilters) {
  return (eb: ExpressionBuilder<Database, 'clients'>) => {
    const parts: Expression<SqlBool>[] = [];
    if (filters.clientId) {
      parts.push(eb('clients.id', '=', filters.clientId));
    }
    if (filters.industry) {
      parts.push(eb('clients.industry', '=', filters.industry));
    }
    if (filters.segment) {
      parts.push(eb('clients.is_key_client', '=', filters.segment === 'key_client'));
    }
    if (filters.feeBand) {
      parts.push(feeBandCondition(eb, filters.feeBand));
    }
    if (filters.partner) {
      parts.push(
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.team_role', '=', 'relationship_partner')
            .where('client_team.user_id', '=', filters.partner),
        ),
      );
    }
    if (filters.practice) {
      parts.push(
        eb.exists(
          eb
            .selectFrom('client_team')
            .innerJoin('team_members', 'team_members.user_id', 'client_team.user_id')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.team_role', '=', 'relationship_partner')
            .where('team_members.team_id', '=', filters.practice),
        ),
      );
    }
    if (filters.office) {
      parts.push(
        eb.exists(
          eb
            .selectFrom('client_team')
            .innerJoin('users', 'users.id', 'client_team.user_id')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.team_role', '=', 'relationship_partner')
            .where('users.office', '=', filters.office),
        ),
      );
    }
    return eb.and(parts);
  };
}

/** What grouping by practice, partner and office needs about each client, loaded once per request. */
export interface ClientPlacement {
  practices: { id: string; name: string }[];
  partners: { id: string; name: string }[];
  offices: string[];
}

/** Each client's relationship partners, their teams and offices (for the clients given). */
export async function clientPlacements(ctx: ServiceContext, clientIds: readonly string[]): Promise<Map<string, ClientPlacement>> {
  const out = new Map<string, ClientPlacement>();
  for (const clientId of clientIds) {
    out.set(clientId, { practices: [], partners: [], offices: [] });
  }
  const ids = [...new Set(clientIds)];
  // A large share of the firm is cheaper read whole (one scan) than in hundreds of `in` lists.
  const chunks: (string[] | null)[] = ids.length > WHOLE_FIRM_ABOVE ? [null] : chunked(ids);
  const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  const partnersOf = new Map<string, { id: string; name: string; office: string | null }[]>();
  for (const chunk of chunks) {
    // Sorted in memory per client (a few each): sorting the whole firm's rows in SQL costs more.
    const partners = await ctx.db
      .selectFrom('client_team')
      .innerJoin('users', 'users.id', 'client_team.user_id')
      .select(['client_team.client_id', 'users.id', 'users.name', 'users.office'])
      .where('client_team.team_role', '=', 'relationship_partner')
      .$if(chunk !== null, (q) => q.where('client_team.client_id', 'in', chunk ?? []))
      .execute();
    const teams = await ctx.db
      .selectFrom('client_team')
      .innerJoin('team_members', 'team_members.user_id', 'client_team.user_id')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['client_team.client_id', 'teams.id', 'teams.name'])
      .where('client_team.team_role', '=', 'relationship_partner')
      .$if(chunk !== null, (q) => q.where('client_team.client_id', 'in', chunk ?? []))
      .execute();
    for (const p of partners) {
      if (out.has(p.client_id)) {
        partnersOf.set(p.client_id, [...(partnersOf.get(p.client_id) ?? []), { id: p.id, name: p.name, office: p.office }]);
      }
    }
    for (const t of teams) {
      const placement = out.get(t.client_id);
      if (placement && !placement.practices.some((x) => x.id === t.id)) {
        placement.practices.push({ id: t.id, name: t.name });
      }
    }
  }
  for (const [clientId, placement] of out) {
    placement.practices.sort(byName);
    for (const p of (partnersOf.get(clientId) ?? []).sort(byName)) {
      placement.partners.push({ id: p.id, name: p.name });
      if (p.office && !placement.offices.includes(p.office)) {
        placement.offices.push(p.office);
      }
    }
  }
  return out;
}
