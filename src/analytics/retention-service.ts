import type { ExpressionBuilder } from 'kysely';
import { visibleActions } from '../actions/access.js';
import type { Database, InsightType, ReferralOutcome, Severity } from '../db/schema.js';
import { requirePermission, visibleClients } from '../http/access.js';
import { visibleInsights } from '../insights/access.js';
import { visibleReferrals } from '../relationships/referrals.js';
import type { ServiceContext } from '../server/context.js';
import { checkPeriod, filteredClients, resolveAnalyticsFilters } from './filters.js';
import { analyticsReach } from './participation-access.js';
import type { RetentionMetric } from './records.js';
import { type ClientHistory, lostOn, RETENTION_RULE, type RetentionYear, retentionByYear, type StatusChange, statusChangeOf } from './retention-history.js';
import type { RetentionAnalytics, RetentionQuery } from './schemas.js';

/** How many of a lost client's latest insights are shown. */
const HEARD_BEFORE_LEAVING = 5;
/** The default period: the last five calendar years, this one included. */
const DEFAULT_YEARS = 5;

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

type OpportunityOutcome = 'done' | 'open' | 'wontDo' | 'noAction';

/** Retention as computed once: the clients, referrals and opportunities behind every figure. */
export interface RetentionComputed {
  from: string;
  to: string;
  clients: { id: string; name: string; status: string }[];
  histories: ClientHistory[];
  years: RetentionYear[];
  referrals: { id: string; outcome: ReferralOutcome }[];
  opportunityIds: string[];
  outcome: Record<OpportunityOutcome, string[]>;
}

/**
 * The one computation behind the retention figures and their drill-down: retention by calendar
 * year (RETENTION_RULE), referrals made in the period, and opportunities heard in the period
 * with the outcome of their linked actions. Counts only clients the reader may see and reach,
 * and insights, referrals and actions they may read.
 */
export async function computeRetention(ctx: ServiceContext, query: RetentionQuery, now = new Date()): Promise<RetentionComputed> {
  const { actor, db } = ctx;
  requirePermission(actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const { reaches } = analyticsReach(actor, filters);
  const today = now.toISOString().slice(0, 10);
  const to = query.to ?? (query.from && query.from > today ? query.from : today);
  const from = query.from ?? `${Number(to.slice(0, 4)) - (DEFAULT_YEARS - 1)}-01-01`;
  checkPeriod(from, to);
  const reach = (ref: string) => (eb: unknown) => reaches(eb as ExpressionBuilder<Database, never>, ref);

  const clients = await db
    .selectFrom('clients')
    .select(['clients.id', 'clients.name', 'clients.status', 'clients.created_at'])
    .where(visibleClients(actor))
    // Inside reach's own subquery on clients, `clients.id` names the inner table: the filters go here too.
    .where(filteredClients(filters))
    .where(reach('clients.id'))
    .orderBy('clients.name')
    .orderBy('clients.id')
    .execute();
  const changes = new Map<string, StatusChange[]>();
  const clientIds = clients.map((c) => c.id);
  const reached = new Set(clientIds);
  // Many clients (a firm-wide reader) are cheaper read in one pass over the clients' audit rows
  // than in dozens of `in` lists; the rows of clients not reached are skipped.
  const chunks: (string[] | null)[] =
    clientIds.length > 2_000 ? [null] : Array.from({ length: Math.ceil(clientIds.length / 500) }, (_, k) => clientIds.slice(k * 500, k * 500 + 500));
  for (const chunk of chunks) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['audit_log.entity_id', 'audit_log.at', 'audit_log.changes'])
      .where('audit_log.entity', '=', 'client')
      .where('audit_log.action', 'in', ['client.create', 'client.update'])
      .$if(chunk !== null, (q) => q.where('audit_log.entity_id', 'in', chunk ?? []))
      .orderBy('audit_log.at')
      .orderBy('audit_log.id')
      .execute();
    for (const r of rows) {
      if (!reached.has(r.entity_id)) {
        continue;
      }
      const change = statusChangeOf(r.at, r.changes);
      if (change) {
        const list = changes.get(r.entity_id);
        if (list) {
          list.push(change);
        } else {
          changes.set(r.entity_id, [change]);
        }
      }
    }
  }
  const histories: ClientHistory[] = clients.map((c) => ({ id: c.id, createdAt: c.created_at, status: c.status, changes: changes.get(c.id) ?? [] }));
  const years = retentionByYear(histories, Number(from.slice(0, 4)), Number(to.slice(0, 4)), now);

  const referrals = await db
    .selectFrom('referrals')
    .select(['referrals.id', 'referrals.outcome'])
    .where(visibleReferrals(actor))
    .where(reach('referrals.referrer_client_id'))
    .where('referrals.referred_on', '>=', from)
    .where('referrals.referred_on', '<=', to)
    .orderBy('referrals.referred_on')
    .orderBy('referrals.id')
    .execute();

  // Each opportunity with the best outcome among its linked actions the reader may read
  // (done > open or in progress > anything else > none), decided by SQL in one pass. The reach
  // is applied by membership of `clients` (exactly the clients the reader reaches), which is
  // the same condition as reach('insights.client_id') without a second lookup per insight.
  const opportunityRows = await db
    .selectFrom('insights')
    .select((eb) => [
      'insights.id',
      'insights.client_id',
      eb
        .selectFrom('actions')
        .select((a) =>
          a.fn.max(a.case().when('actions.status', '=', 'done').then(3).when('actions.status', 'in', ['open', 'in_progress']).then(2).else(1).end()).as('rank'),
        )
        .whereRef('actions.insight_id', '=', 'insights.id')
        .where(visibleActions(actor))
        .as('outcome_rank'),
    ])
    .where('insights.type', '=', 'opportunity')
    .where(visibleInsights(actor))
    .where('insights.heard_on', '>=', from)
    .where('insights.heard_on', '<=', to)
    .execute();
  const opportunities = opportunityRows.filter((o) => reached.has(o.client_id));
  const opportunityIds = opportunities.map((o) => o.id);
  const outcome = { done: [] as string[], open: [] as string[], wontDo: [] as string[], noAction: [] as string[] };
  for (const o of opportunities) {
    // PostgreSQL returns max() of integers as a number, SQLite too; null when no linked action.
    const rank = o.outcome_rank === null ? 0 : Number(o.outcome_rank);
    outcome[rank === 3 ? 'done' : rank === 2 ? 'open' : rank === 1 ? 'wontDo' : 'noAction'].push(o.id);
  }

  return { from, to, clients, histories, years, referrals, opportunityIds, outcome };
}

/**
 * Retention and growth: retention by calendar year, clients lost in the period with what was
 * heard from them before they left, referrals made in the period and their outcomes, and
 * opportunities heard in the period with the outcome of their linked actions (see
 * computeRetention for what counts); the records behind each figure are listed by GET /analytics/records.
 */
export async function getRetentionAnalytics(ctx: ServiceContext, query: RetentionQuery, now = new Date()): Promise<RetentionAnalytics> {
  const { db, actor } = ctx;
  const { from, to, clients, histories, years, referrals, opportunityIds, outcome } = await computeRetention(ctx, query, now);
  // Lost clients: lost now, dated by the audit log within the period (or undated).
  const lost = histories
    .map((h) => ({ history: h, on: lostOn(h) }))
    .filter(({ history, on }) => history.status === 'lost' && (on === null || (on.slice(0, 10) >= from && on.slice(0, 10) <= to)));
  const lostIds = lost.map((l) => l.history.id);
  // What was heard from each lost client before it left: its latest few visible insights up to
  // the day it was lost, picked in one pass over the rows (newest first).
  const cutoffOf = new Map(lost.map(({ history, on }) => [history.id, on === null ? null : on.slice(0, 10)]));
  const heard =
    lostIds.length === 0
      ? []
      : await db
          .selectFrom('insights')
          .select(['insights.id', 'insights.client_id', 'insights.type', 'insights.severity', 'insights.summary', 'insights.heard_on'])
          .where('insights.client_id', 'in', lostIds)
          .where(visibleInsights(actor))
          .orderBy('insights.heard_on', 'desc')
          .orderBy('insights.id', 'desc')
          .execute();
  const heardOf = new Map<string, { id: string; type: InsightType; severity: Severity; summary: string; heardOn: string }[]>();
  for (const i of heard) {
    const cutoff = cutoffOf.get(i.client_id);
    if (cutoff !== null && cutoff !== undefined && i.heard_on > cutoff) {
      continue;
    }
    const shown = { id: i.id, type: i.type, severity: i.severity, summary: i.summary, heardOn: i.heard_on };
    const list = heardOf.get(i.client_id);
    if (!list) {
      heardOf.set(i.client_id, [shown]);
    } else if (list.length < HEARD_BEFORE_LEAVING) {
      list.push(shown);
    }
  }
  const names = new Map(clients.map((c) => [c.id, c.name]));
  const referralCounts = new Map<ReferralOutcome, number>();
  for (const r of referrals) {
    referralCounts.set(r.outcome, (referralCounts.get(r.outcome) ?? 0) + 1);
  }
  const referralCount = (o: ReferralOutcome) => referralCounts.get(o) ?? 0;
  return {
    period: { from, to },
    rule: RETENTION_RULE,
    years: years.map((y) => ({
      year: y.year,
      activeAtStart: y.activeAtStart.length,
      retained: y.retained.length,
      lost: y.lost.length,
      lapsed: y.lapsed.length,
      retentionRate: rate(y.retained.length, y.activeAtStart.length),
    })),
    lost: lost.map(({ history, on }) => ({
      client: { id: history.id, name: names.get(history.id) ?? '', status: history.status },
      lostOn: on,
      heard: heardOf.get(history.id) ?? [],
    })),
    referrals: {
      total: referrals.length,
      pending: referralCount('pending'),
      won: referralCount('won'),
      lost: referralCount('lost'),
      noFit: referralCount('no_fit'),
    },
    opportunities: {
      total: opportunityIds.length,
      done: outcome.done.length,
      open: outcome.open.length,
      wontDo: outcome.wontDo.length,
      noAction: outcome.noAction.length,
    },
  };
}

const REFERRAL_OUTCOME_OF: Partial<Record<RetentionMetric, ReferralOutcome>> = {
  referralsPending: 'pending',
  referralsWon: 'won',
  referralsLost: 'lost',
  referralsNoFit: 'no_fit',
};
const OPPORTUNITY_OUTCOME_OF: Partial<Record<RetentionMetric, OpportunityOutcome>> = {
  opportunitiesDone: 'done',
  opportunitiesOpen: 'open',
  opportunitiesWontDo: 'wontDo',
  opportunitiesNoAction: 'noAction',
};

/**
 * The ids behind one retention figure. Per-year figures (PER_YEAR_METRICS) name their year: a
 * year not shown has none. Retention has no groups: any group has none.
 */
export async function retentionRecordIds(
  ctx: ServiceContext,
  query: RetentionQuery,
  metric: RetentionMetric,
  opts: { year?: number | undefined; group?: string | undefined },
  now = new Date(),
): Promise<string[]> {
  const r = await computeRetention(ctx, query, now);
  if (opts.group !== undefined) {
    return [];
  }
  switch (metric) {
    case 'activeAtStart':
    case 'retained':
    case 'lost':
    case 'lapsed':
      return r.years.find((y) => y.year === opts.year)?.[metric] ?? [];
    case 'referrals':
      return r.referrals.map((x) => x.id);
    case 'opportunities':
      return r.opportunityIds;
    case 'referralsPending':
    case 'referralsWon':
    case 'referralsLost':
    case 'referralsNoFit':
      return r.referrals.filter((x) => x.outcome === REFERRAL_OUTCOME_OF[metric]).map((x) => x.id);
    case 'opportunitiesDone':
    case 'opportunitiesOpen':
    case 'opportunitiesWontDo':
    case 'opportunitiesNoAction':
      return r.outcome[OPPORTUNITY_OUTCOME_OF[metric] as OpportunityOutcome];
  }
}
