import type { ExpressionBuilder } from 'kysely';
import { visibleActions } from '../actions/access.js';
import { unactionedHeardBefore } from '../actions/loop.js';
import { readLoopSettings } from '../actions/settings.js';
import type { Database } from '../db/schema.js';
import { requirePermission } from '../http/access.js';
import { visibleInsights } from '../insights/access.js';
import { visibleProblems } from '../relationships/problems.js';
import type { ServiceContext } from '../server/context.js';
import { periodBounds, resolveAnalyticsFilters } from './filters.js';
import { groupRecords, LOOP_RULES, loopFigures, problemFigures } from './loop-figures.js';
import { analyticsReach } from './participation-access.js';
import type { LoopAnalytics, LoopQuery } from './schemas.js';

type Key = { id: string; name: string };

/**
 * Closing the loop: closure rate, time to close, overdue actions and feedback left unactioned,
 * by action owner or by the owner's teams, and problems' time to resolution (see LOOP_RULES).
 * Counts only records the reader may see (visibleActions, visibleInsights, visibleProblems) on
 * clients they reach (partners and members: their own clients).
 */
export async function getLoopAnalytics(ctx: ServiceContext, query: LoopQuery, now = new Date()): Promise<LoopAnalytics> {
  const { actor, db } = ctx;
  requirePermission(actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const { reaches } = analyticsReach(actor, filters);
  const { start, end } = periodBounds({ from: query.from ?? null, to: query.to ?? null });
  const settings = await readLoopSettings(db);
  const reach = (ref: string) => (eb: unknown) => reaches(eb as ExpressionBuilder<Database, never>, ref);

  const actions = await db
    .selectFrom('actions')
    .innerJoin('users', 'users.id', 'actions.owner_id')
    .select(['actions.id', 'actions.status', 'actions.created_at', 'actions.closed_at', 'actions.due_on', 'actions.owner_id', 'users.name as owner_name'])
    .where(visibleActions(actor))
    .where(reach('actions.client_id'))
    .$if(start !== null, (qb) => qb.where('actions.created_at', '>=', start as string))
    .$if(end !== null, (qb) => qb.where('actions.created_at', '<', end as string))
    .orderBy('actions.created_at')
    .orderBy('actions.id')
    .execute();

  const unactioned = await db
    .selectFrom('insights')
    .select(['insights.id', 'insights.client_id'])
    .where('insights.type', 'in', ['concern', 'risk'])
    .where('insights.heard_on', '<', unactionedHeardBefore(now, settings.unactionedAfterDays))
    .$if(!!query.from, (qb) => qb.where('insights.heard_on', '>=', query.from as string))
    .$if(!!query.to, (qb) => qb.where('insights.heard_on', '<=', query.to as string))
    .where(visibleInsights(actor))
    .where(reach('insights.client_id'))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('actions').select('actions.id').whereRef('actions.insight_id', '=', 'insights.id'))))
    .orderBy('insights.heard_on')
    .orderBy('insights.id')
    .execute();

  const problems = await db
    .selectFrom('problems')
    .leftJoin('users', 'users.id', 'problems.owner_id')
    .select(['problems.id', 'problems.status', 'problems.reported_on', 'problems.resolved_on', 'problems.owner_id', 'users.name as owner_name'])
    .where(visibleProblems(actor))
    .where(reach('problems.client_id'))
    .$if(!!query.from, (qb) => qb.where('problems.reported_on', '>=', query.from as string))
    .$if(!!query.to, (qb) => qb.where('problems.reported_on', '<=', query.to as string))
    .orderBy('problems.reported_on')
    .orderBy('problems.id')
    .execute();

  // Unactioned feedback has no owner yet: it is put on the client's relationship partners.
  const insightClientIds = [...new Set(unactioned.map((i) => i.client_id))];
  const clientPartners =
    insightClientIds.length === 0
      ? []
      : await db
          .selectFrom('client_team')
          .innerJoin('users', 'users.id', 'client_team.user_id')
          .select(['client_team.client_id', 'users.id', 'users.name'])
          .where('client_team.team_role', '=', 'relationship_partner')
          .where('client_team.client_id', 'in', insightClientIds)
          .orderBy('users.name')
          .execute();
  const partnersOf = (clientId: string): Key[] => clientPartners.filter((p) => p.client_id === clientId).map((p) => ({ id: p.id, name: p.name }));

  const people = [
    ...new Set([...actions.map((a) => a.owner_id), ...problems.flatMap((p) => (p.owner_id ? [p.owner_id] : [])), ...clientPartners.map((p) => p.id)]),
  ];
  const memberships =
    query.groupBy === 'team' && people.length > 0
      ? await db
          .selectFrom('team_members')
          .innerJoin('teams', 'teams.id', 'team_members.team_id')
          .select(['team_members.user_id', 'teams.id', 'teams.name'])
          .where('team_members.user_id', 'in', people)
          .execute()
      : [];
  const teamsOf = (userId: string): Key[] => memberships.filter((m) => m.user_id === userId).map((m) => ({ id: m.id, name: m.name }));
  const keysOfPerson = (person: Key | null): Key[] => {
    if (!person) {
      return [];
    }
    return query.groupBy === 'team' ? teamsOf(person.id) : [person];
  };
  const dedupe = (keys: Key[]) => [...new Map(keys.map((k) => [k.id, k])).values()];

  const actionGroups = groupRecords(actions, (a) => keysOfPerson({ id: a.owner_id, name: a.owner_name }));
  const insightGroups = groupRecords(unactioned, (i) => dedupe(partnersOf(i.client_id).flatMap((p) => keysOfPerson(p))));
  const merged = new Map<string, { key: Key | null; actions: typeof actions; insights: typeof unactioned }>();
  for (const g of actionGroups) {
    merged.set(g.key?.id ?? '', { key: g.key, actions: g.records, insights: [] });
  }
  for (const g of insightGroups) {
    const entry = merged.get(g.key?.id ?? '') ?? { key: g.key, actions: [], insights: [] };
    entry.insights = g.records;
    merged.set(g.key?.id ?? '', entry);
  }
  const groups = [...merged.values()].sort((a, b) => {
    if (!a.key || !b.key) {
      return a.key ? -1 : b.key ? 1 : 0;
    }
    return a.key.name.localeCompare(b.key.name) || a.key.id.localeCompare(b.key.id);
  });

  const problemGroups = groupRecords(problems, (p) => keysOfPerson(p.owner_id ? { id: p.owner_id, name: p.owner_name ?? 'Former user' } : null));
  return {
    period: { from: query.from ?? null, to: query.to ?? null },
    groupBy: query.groupBy,
    unactionedAfterDays: settings.unactionedAfterDays,
    rules: LOOP_RULES,
    totals: loopFigures(
      actions,
      unactioned.map((i) => i.id),
      now,
    ),
    groups: groups.map((g) => ({
      key: g.key,
      figures: loopFigures(
        g.actions,
        g.insights.map((i) => i.id),
        now,
      ),
    })),
    problems: {
      totals: problemFigures(problems),
      groups: problemGroups.map((g) => ({ key: g.key, figures: problemFigures(g.records) })),
    },
  };
}
