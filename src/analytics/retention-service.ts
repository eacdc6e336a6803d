import type { ExpressionBuilder } from 'kysely';
import { visibleActions } from '../actions/access.js';
import type { Database } from '../db/schema.js';
import { requirePermission, visibleClients } from '../http/access.js';
import { visibleInsights } from '../insights/access.js';
import { visibleReferrals } from '../relationships/referrals.js';
import type { ServiceContext } from '../server/context.js';
import { checkPeriod, filteredClients, resolveAnalyticsFilters } from './filters.js';
import { analyticsReach } from './participation-access.js';
import { type ClientHistory, lostOn, RETENTION_RULE, retentionByYear, type StatusChange, statusChangeOf } from './retention-history.js';
import type { RetentionAnalytics, RetentionQuery } from './schemas.js';

/** How many of a lost client's latest insights are shown. */
const HEARD_BEFORE_LEAVING = 5;
/** The default period: the last five calendar years, this one included. */
const DEFAULT_YEARS = 5;

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/**
 * Retention and growth: retention by calendar year (RETENTION_RULE), clients lost in the period
 * with what was heard from them before they left, referrals made in the period and their
 * outcomes, and opportunities heard in the period with the outcome of their linked actions.
 * Counts only clients the reader may see and reach, and insights, referrals and actions they may read.
 */
export async function getRetentionAnalytics(ctx: ServiceContext, query: RetentionQuery, now = new Date()): Promise<RetentionAnalytics> {
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
  for (let i = 0; i < clientIds.length; i += 500) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['audit_log.entity_id', 'audit_log.at', 'audit_log.changes'])
      .where('audit_log.entity', '=', 'client')
      .where('audit_log.action', 'in', ['client.create', 'client.update'])
      .where('audit_log.entity_id', 'in', clientIds.slice(i, i + 500))
      .orderBy('audit_log.at')
      .orderBy('audit_log.id')
      .execute();
    for (const r of rows) {
      const change = statusChangeOf(r.at, r.changes);
      if (change) {
        changes.set(r.entity_id, [...(changes.get(r.entity_id) ?? []), change]);
      }
    }
  }
  const histories: ClientHistory[] = clients.map((c) => ({ id: c.id, createdAt: c.created_at, status: c.status, changes: changes.get(c.id) ?? [] }));
  const years = retentionByYear(histories, Number(from.slice(0, 4)), Number(to.slice(0, 4)), now);

  // Lost clients: lost now, dated by the audit log within the period (or undated).
  const lost = histories
    .map((h) => ({ history: h, on: lostOn(h) }))
    .filter(({ history, on }) => history.status === 'lost' && (on === null || (on.slice(0, 10) >= from && on.slice(0, 10) <= to)));
  const lostIds = lost.map((l) => l.history.id);
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
  const names = new Map(clients.map((c) => [c.id, c.name]));

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
  const referralCount = (outcome: string) => referrals.filter((r) => r.outcome === outcome).length;

  const opportunities = await db
    .selectFrom('insights')
    .select('insights.id')
    .where('insights.type', '=', 'opportunity')
    .where(visibleInsights(actor))
    .where(reach('insights.client_id'))
    .where('insights.heard_on', '>=', from)
    .where('insights.heard_on', '<=', to)
    .orderBy('insights.heard_on')
    .orderBy('insights.id')
    .execute();
  const opportunityIds = opportunities.map((o) => o.id);
  const linked: { insight_id: string | null; status: string }[] = [];
  for (let i = 0; i < opportunityIds.length; i += 500) {
    linked.push(
      ...(await db
        .selectFrom('actions')
        .select(['actions.insight_id', 'actions.status'])
        .where('actions.insight_id', 'in', opportunityIds.slice(i, i + 500))
        .where(visibleActions(actor))
        .execute()),
    );
  }
  const outcome = { done: [] as string[], open: [] as string[], wontDo: [] as string[], noAction: [] as string[] };
  for (const id of opportunityIds) {
    const statuses = linked.filter((a) => a.insight_id === id).map((a) => a.status);
    if (statuses.includes('done')) {
      outcome.done.push(id);
    } else if (statuses.includes('open') || statuses.includes('in_progress')) {
      outcome.open.push(id);
    } else if (statuses.length > 0) {
      outcome.wontDo.push(id);
    } else {
      outcome.noAction.push(id);
    }
  }

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
      drill: { activeAtStartClientIds: y.activeAtStart, retainedClientIds: y.retained, lostClientIds: y.lost },
    })),
    lost: lost.map(({ history, on }) => ({
      client: { id: history.id, name: names.get(history.id) ?? '', status: history.status },
      lostOn: on,
      heard: heard
        .filter((i) => i.client_id === history.id && (on === null || i.heard_on <= on.slice(0, 10)))
        .slice(0, HEARD_BEFORE_LEAVING)
        .map((i) => ({ id: i.id, type: i.type, severity: i.severity, summary: i.summary, heardOn: i.heard_on })),
    })),
    referrals: {
      total: referrals.length,
      pending: referralCount('pending'),
      won: referralCount('won'),
      lost: referralCount('lost'),
      noFit: referralCount('no_fit'),
      drill: { referralIds: referrals.map((r) => r.id) },
    },
    opportunities: {
      total: opportunityIds.length,
      done: outcome.done.length,
      open: outcome.open.length,
      wontDo: outcome.wontDo.length,
      noAction: outcome.noAction.length,
      drill: outcome,
    },
  };
}
