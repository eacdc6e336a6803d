import { visibleActions } from '../actions/access.js';
import { requirePermission, visibleClients } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import { visibleInsights } from '../insights/access.js';
import { readableNominations } from '../listening/nominations.js';
import { visibleProblems } from '../relationships/problems.js';
import { visibleReferrals } from '../relationships/referrals.js';
import type { ServiceContext } from '../server/context.js';
import { loopRecordIdsFor, problemRecordIdsFor } from './loop-service.js';
import { participationRecordIds } from './participation-service.js';
import { type LoopMetric, type ParticipationMetric, type ProblemMetric, pageOfIds, type RecordKind, type RetentionMetric, recordMetric } from './records.js';
import { retentionRecordIds } from './retention-service.js';
import type { AnalyticsRecord, AnalyticsRecordPage, AnalyticsRecordsQuery } from './schemas.js';

/**
 * The records behind one participation, loop or retention figure (drill-down), a page at a
 * time. The ids come from the same internal computation as the figure (computeParticipation,
 * computeLoop, computeRetention), so the records listed are exactly those counted for this
 * reader, and `total` equals the figure; the page's records are then loaded in one query per
 * page, through the same visibility rules as their own lists.
 */
export async function analyticsRecords(ctx: ServiceContext, query: AnalyticsRecordsQuery, now = new Date()): Promise<AnalyticsRecordPage> {
  requirePermission(ctx.actor, 'analytics', 'read');
  const { source, metric, group } = query;
  const kind = recordMetric(source, metric, query.year);
  let ids: string[];
  switch (source) {
    case 'participation': {
      if (!query.programmeId) {
        throw new ValidationError('programmeId', 'is required for participation');
      }
      ids = await participationRecordIds(ctx, { ...query, programmeId: query.programmeId }, metric as ParticipationMetric, group);
      break;
    }
    case 'loop':
      ids = await loopRecordIdsFor(ctx, query, metric as LoopMetric, group, now);
      break;
    case 'problems':
      ids = await problemRecordIdsFor(ctx, query, metric as ProblemMetric, group, now);
      break;
    case 'retention':
      ids = await retentionRecordIds(ctx, query, metric as RetentionMetric, { year: query.year, group }, now);
      break;
  }
  const page = pageOfIds(ids, query.limit, query.cursor);
  const records = new Map((await loadRecords(ctx, kind, page.ids)).map((r) => [r.id, r]));
  return {
    // A record deleted since it was counted is left out of the page rather than shown blank.
    items: page.ids.flatMap((id) => records.get(id) ?? []),
    total: page.total,
    nextCursor: page.nextCursor,
  };
}

const words = (value: string) => value.replaceAll('_', ' ');

/** One query for a page of records of one kind, each through its domain's visibility rule. */
async function loadRecords(ctx: ServiceContext, kind: RecordKind, ids: string[]): Promise<AnalyticsRecord[]> {
  const { db, actor } = ctx;
  if (ids.length === 0) {
    return [];
  }
  switch (kind) {
    case 'client': {
      const rows = await db
        .selectFrom('clients')
        .select(['clients.id', 'clients.name', 'clients.status', 'clients.industry'])
        .where('clients.id', 'in', ids)
        .where(visibleClients(actor))
        .execute();
      return rows.map((r) => ({
        kind,
        id: r.id,
        title: r.name,
        client: { id: r.id, name: r.name },
        detail: [words(r.status), r.industry].filter(Boolean).join(' · '),
        href: `/clients/${r.id}`,
      }));
    }
    case 'action': {
      const rows = await db
        .selectFrom('actions')
        .innerJoin('clients', 'clients.id', 'actions.client_id')
        .innerJoin('users', 'users.id', 'actions.owner_id')
        .select([
          'actions.id',
          'actions.title',
          'actions.status',
          'actions.due_on',
          'clients.id as client_id',
          'clients.name as client_name',
          'users.name as owner',
        ])
        .where('actions.id', 'in', ids)
        .where(visibleActions(actor))
        .execute();
      return rows.map((r) => ({
        kind,
        id: r.id,
        title: r.title,
        client: { id: r.client_id, name: r.client_name },
        detail: [words(r.status), r.owner, r.due_on ? `due ${r.due_on}` : null].filter(Boolean).join(' · '),
        href: `/actions?tab=all&action=${r.id}`,
      }));
    }
    case 'insight': {
      const rows = await db
        .selectFrom('insights')
        .innerJoin('clients', 'clients.id', 'insights.client_id')
        .select([
          'insights.id',
          'insights.summary',
          'insights.type',
          'insights.severity',
          'insights.heard_on',
          'clients.id as client_id',
          'clients.name as client_name',
        ])
        .where('insights.id', 'in', ids)
        .where(visibleInsights(actor))
        .execute();
      return rows.map((r) => ({
        kind,
        id: r.id,
        title: r.summary,
        client: { id: r.client_id, name: r.client_name },
        detail: `${words(r.type)}, ${r.severity} · heard ${r.heard_on}`,
        href: `/clients/${r.client_id}/knowledge`,
      }));
    }
    case 'problem': {
      const rows = await db
        .selectFrom('problems')
        .innerJoin('clients', 'clients.id', 'problems.client_id')
        .leftJoin('users', 'users.id', 'problems.owner_id')
        .select([
          'problems.id',
          'problems.title',
          'problems.status',
          'problems.reported_on',
          'clients.id as client_id',
          'clients.name as client_name',
          'users.name as owner',
        ])
        .where('problems.id', 'in', ids)
        .where(visibleProblems(actor))
        .execute();
      return rows.map((r) => ({
        kind,
        id: r.id,
        title: r.title,
        client: { id: r.client_id, name: r.client_name },
        detail: [words(r.status), r.owner ?? 'unassigned', `reported ${r.reported_on}`].join(' · '),
        href: `/problems?problem=${r.id}`,
      }));
    }
    case 'referral': {
      const rows = await db
        .selectFrom('referrals')
        .innerJoin('clients', 'clients.id', 'referrals.referrer_client_id')
        .select([
          'referrals.id',
          'referrals.prospect_name',
          'referrals.outcome',
          'referrals.referred_on',
          'clients.id as client_id',
          'clients.name as client_name',
        ])
        .where('referrals.id', 'in', ids)
        .where(visibleReferrals(actor))
        .execute();
      return rows.map((r) => ({
        kind,
        id: r.id,
        title: `${r.client_name} → ${r.prospect_name}`,
        client: { id: r.client_id, name: r.client_name },
        detail: `${words(r.outcome)} · referred ${r.referred_on}`,
        href: `/clients/${r.client_id}/referrals`,
      }));
    }
    case 'nomination': {
      const rows = await db
        .selectFrom('nominations')
        .innerJoin('clients', 'clients.id', 'nominations.client_id')
        .innerJoin('users', 'users.id', 'nominations.partner_id')
        .select([
          'nominations.id',
          'nominations.status',
          'nominations.origin',
          'nominations.programme_id',
          'clients.id as client_id',
          'clients.name as client_name',
          'users.name as partner',
        ])
        .where('nominations.id', 'in', ids)
        .where(visibleClients(actor))
        .where(readableNominations(actor))
        .execute();
      return rows.map((r) => ({
        kind,
        id: r.id,
        title: r.client_name,
        client: { id: r.client_id, name: r.client_name },
        detail: `${r.partner} · ${words(r.status)} (${r.origin})`,
        href: `/programmes/${r.programme_id}`,
      }));
    }
  }
}
