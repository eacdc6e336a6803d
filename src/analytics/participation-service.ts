import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { requirePermission, scopeFor, visibleClients } from '../http/access.js';
import { readableNominations } from '../listening/nominations.js';
import { type ParticipationPartner, participation } from '../listening/participation.js';
import { commitmentsOf, latestNps, requireProgramme } from '../listening/programmes.js';
import { AT_RISK_DEFINITION, isAtRiskClient, isLostClient } from '../listening/progress.js';
import type { ServiceContext } from '../server/context.js';
import { filteredClients, resolveAnalyticsFilters } from './filters.js';
import { analyticsReach } from './participation-access.js';
import {
  emptyDrill,
  figuresOf,
  type ParticipationDrill,
  type ParticipationFigures,
  type ParticipationGroup,
  type PartnerParticipation,
  rollUpByTeam,
} from './participation-rollup.js';
import { NO_GROUP, type ParticipationMetric } from './records.js';
import type { ParticipationAnalytics, ParticipationQuery } from './schemas.js';

/** Participation as computed once: per partner, per team and for the firm, each with the ids behind its figures. */
export interface ParticipationComputed {
  programme: { id: string; name: string };
  people: PartnerParticipation[];
  teams: ParticipationGroup[];
  firm: { figures: ParticipationFigures; drill: ParticipationDrill };
}

/**
 * The one computation behind the participation figures and their drill-down, counting only
 * what the reader may see: nominations they may read (readableNominations) about clients they
 * may see (walls) and reach (partners and members: their own clients). Partners see their own
 * row only; members, who read no nominations, get no partner rows.
 */
export async function computeParticipation(ctx: ServiceContext, query: ParticipationQuery): Promise<ParticipationComputed> {
  const { actor, db } = ctx;
  const { programmeId } = query;
  requirePermission(actor, 'analytics', 'read');
  const programme = await requireProgramme(ctx, programmeId);
  const filters = await resolveAnalyticsFilters(ctx, { ...query, from: undefined, to: undefined });
  const { reaches } = analyticsReach(actor, filters);
  const nominationScope = scopeFor(actor.role, 'nomination', 'read');
  const ownOnly = nominationScope !== 'any';

  const nominations = await db
    .selectFrom('nominations')
    .innerJoin('clients', 'clients.id', 'nominations.client_id')
    .select([
      'nominations.id',
      'nominations.partner_id',
      'nominations.client_id',
      'nominations.origin',
      'nominations.status',
      'clients.status as client_status',
    ])
    .where('nominations.programme_id', '=', programmeId)
    .where(visibleClients(actor))
    .where(readableNominations(actor))
    .where((eb) => reaches(eb as unknown as ExpressionBuilder<Database, never>, 'nominations.client_id'))
    .orderBy('nominations.id')
    .execute();
  const [nps, commitments] = await Promise.all([
    latestNps(
      ctx,
      nominations.map((n) => n.client_id),
    ),
    commitmentsOf(db, programmeId, ownOnly ? (actor.id ?? '') : undefined),
  ]);

  let partners: ParticipationPartner[];
  if (!nominationScope || (ownOnly && actor.role !== 'partner')) {
    partners = [];
  } else if (ownOnly) {
    partners = actor.id ? [{ id: actor.id, name: actor.name }] : [];
  } else {
    const ids = [...new Set([...nominations.map((n) => n.partner_id), ...commitments.keys()])];
    partners = await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where((eb) => eb.or([eb.and([eb('role', '=', 'partner'), eb('active', '=', true)]), ...(ids.length ? [eb('id', 'in', ids)] : [])]))
      // The partner, practice and office filters also choose whose rows show.
      .$if(filters.partner !== null, (qb) => qb.where('users.id', '=', filters.partner as string))
      .$if(filters.office !== null, (qb) => qb.where('users.office', '=', filters.office as string))
      .$if(filters.practice !== null, (qb) =>
        qb.where('users.id', 'in', (eb) =>
          eb
            .selectFrom('team_members')
            .select('team_members.user_id')
            .where('team_members.team_id', '=', filters.practice as string),
        ),
      )
      .orderBy('name')
      .execute();
  }
  const partnerIds = partners.map((p) => p.id);
  const shown = new Set(partnerIds);

  const atRisk = new Map(nominations.map((n) => [n.id, isAtRiskClient({ status: n.client_status, latestNps: nps.get(n.client_id) })]));
  const rows = participation(
    partners,
    nominations.map((n) => ({
      partnerId: n.partner_id,
      origin: n.origin,
      status: n.status,
      clientAtRisk: atRisk.get(n.id) ?? false,
      clientLost: isLostClient(n.client_status),
    })),
    ownOnly ? new Map([...commitments].filter(([id]) => shown.has(id))) : commitments,
  ).filter((r) => shown.has(r.partner.id));

  // Held back: a partner's clients (relationship partner, seen and reached by the reader, not a
  // prospect) that no accepted nomination put forward in this programme, whoever nominated them.
  const putForwardClients = new Set(nominations.filter((n) => n.status === 'accepted').map((n) => n.client_id));
  const held =
    partnerIds.length === 0
      ? []
      : await db
          .selectFrom('client_team')
          .innerJoin('clients', 'clients.id', 'client_team.client_id')
          .select(['client_team.user_id', 'client_team.client_id'])
          .where('client_team.team_role', '=', 'relationship_partner')
          .where('client_team.user_id', 'in', partnerIds)
          .where('clients.status', '!=', 'prospect')
          .where(visibleClients(actor))
          // Inside reach's subqueries on clients and client_team those names mean the inner
          // tables: refer to the joined clients row, and filter it here.
          .where(filteredClients(filters))
          .where((eb) => reaches(eb as unknown as ExpressionBuilder<Database, never>, 'clients.id'))
          .orderBy('client_team.client_id')
          .execute();
  const teams =
    partnerIds.length === 0
      ? []
      : await db
          .selectFrom('team_members')
          .innerJoin('teams', 'teams.id', 'team_members.team_id')
          .select(['team_members.user_id', 'teams.id', 'teams.name'])
          .where('team_members.user_id', 'in', partnerIds)
          .orderBy('teams.name')
          .execute();

  // Each partner's nominations, clients and teams, grouped once rather than searched per partner.
  const byPartner = <T>(items: readonly T[], partnerOf: (item: T) => string): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const list = map.get(partnerOf(item));
      if (list) {
        list.push(item);
      } else {
        map.set(partnerOf(item), [item]);
      }
    }
    return map;
  };
  const nominationsOf = byPartner(nominations, (n) => n.partner_id);
  const heldOf = byPartner(held, (h) => h.user_id);
  const teamsOf = byPartner(teams, (t) => t.user_id);

  const people: PartnerParticipation[] = rows.map((row) => {
    const drill = emptyDrill();
    for (const n of nominationsOf.get(row.partner.id) ?? []) {
      if (n.status === 'withdrawn') {
        continue;
      }
      if (n.origin === 'volunteered') {
        drill.volunteered.push(n.id);
      } else {
        drill.proposed.push(n.id);
        if (n.status === 'accepted' || n.status === 'deferred' || n.status === 'declined') {
          drill[n.status].push(n.id);
        }
      }
      if (n.status === 'accepted') {
        drill.putForward.push(n.id);
        if (atRisk.get(n.id) || isLostClient(n.client_status)) {
          drill.atRiskPutForward.push(n.id);
        }
      }
    }
    drill.heldBackClients = (heldOf.get(row.partner.id) ?? []).filter((h) => !putForwardClients.has(h.client_id)).map((h) => h.client_id);
    return { row, drill, teams: (teamsOf.get(row.partner.id) ?? []).map((t) => ({ id: t.id, name: t.name })) };
  });

  return { programme: { id: programme.id, name: programme.name }, people, teams: rollUpByTeam(people), firm: figuresOf(people) };
}

/**
 * Partner participation in one programme, per partner, per team and for the firm (see
 * computeParticipation for what counts); the records behind each figure are listed by
 * GET /analytics/records (participationRecordIds).
 */
export async function getParticipationAnalytics(ctx: ServiceContext, query: ParticipationQuery): Promise<ParticipationAnalytics> {
  const { programme, people, teams, firm } = await computeParticipation(ctx, query);
  return {
    programme,
    atRiskDefinition: AT_RISK_DEFINITION,
    partners: people.map((p) => ({
      partner: p.row.partner,
      teams: p.teams,
      commitment: p.row.commitment,
      figures: { ...figuresOf([p]).figures, partners: 1 },
      saidYesPutNothingForward: p.row.saidYesPutNothingForward,
    })),
    teams: teams.map(({ drill: _drill, ...team }) => team),
    totals: { figures: firm.figures },
  };
}

const DRILL_OF: Record<ParticipationMetric, keyof ParticipationDrill> = {
  proposed: 'proposed',
  accepted: 'accepted',
  deferred: 'deferred',
  declined: 'declined',
  volunteered: 'volunteered',
  putForward: 'putForward',
  atRiskPutForward: 'atRiskPutForward',
  heldBack: 'heldBackClients',
};

/**
 * The ids behind one participation figure: of the firm (no group), of a partner or a team
 * (group: its id), or of the partners in no team (group: NO_GROUP); none for a group not shown.
 */
export async function participationRecordIds(
  ctx: ServiceContext,
  query: ParticipationQuery,
  metric: ParticipationMetric,
  group: string | undefined,
): Promise<string[]> {
  const { people, teams, firm } = await computeParticipation(ctx, query);
  const key = DRILL_OF[metric];
  if (group === undefined) {
    return firm.drill[key];
  }
  const drill = people.find((p) => p.row.partner.id === group)?.drill ?? teams.find((t) => (t.team?.id ?? NO_GROUP) === group)?.drill ?? null;
  return drill ? drill[key] : [];
}
