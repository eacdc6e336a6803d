import type { ExpressionBuilder } from 'kysely';
import { readLoopSettings } from '../actions/settings.js';
import type { Database } from '../db/schema.js';
import { requirePermission } from '../http/access.js';
import type { ServiceContext } from '../server/context.js';
import { periodBounds, resolveAnalyticsFilters } from './filters.js';
import {
  type ActionTally,
  addActionTally,
  addProblemTally,
  compareKeys,
  emptyActionTally,
  emptyProblemTally,
  groupBuckets,
  LOOP_RULES,
  type ProblemTally,
  problemTallyFigures,
  tallyFigures,
} from './loop-figures.js';
import { actionIds, actionTallies, type LoopScope, problemIds, problemTallies, unactionedByClient } from './loop-queries.js';
import { analyticsReach } from './participation-access.js';
import { type LoopMetric, NO_GROUP, type ProblemMetric } from './records.js';
import type { LoopAnalytics, LoopQuery } from './schemas.js';

type Key = { id: string; name: string };

/** The loop as computed once for a request: who reads and what counts. */
export interface LoopComputed {
  unactionedAfterDays: number;
  scope: LoopScope;
}

/** To which groups a record goes. */
interface LoopKeys {
  /** The groups of an action or problem: its owner, or the owner's teams (none: the null group). */
  keysOfOwner(ownerId: string | null): Key[];
  /** The groups of an unactioned insight: its client's relationship partners, or their teams (deduplicated). */
  keysOfClient(clientId: string): Key[];
  /** The owners whose records a group (an owner's or a team's id) may hold: the owner, or the team's members. */
  ownersOf(group: string): string[];
}

/**
 * The one computation behind the loop's figures and their drill-down: which records count (the
 * scope: the reader's visibility — visibleActions, visibleInsights, visibleProblems — and reach
 * over clients, partners and members seeing their own clients; the period) and the groups each
 * record goes to (grouped by action owner or by the owner's teams; unactioned feedback, which has
 * no owner yet, by the client's relationship partners). The figures add up tallies of the records
 * (loop-queries.ts) per group; the drill-down lists the ids of the same records for one figure
 * and group, through the same queries and the same keys.
 */
export async function computeLoop(ctx: ServiceContext, query: LoopQuery, now = new Date()): Promise<LoopComputed> {
  const { actor, db } = ctx;
  requirePermission(actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const { reaches } = analyticsReach(actor, filters);
  const { start, end } = periodBounds({ from: query.from ?? null, to: query.to ?? null });
  const settings = await readLoopSettings(db);
  const scope: LoopScope = {
    actor,
    reach: (eb, ref) => reaches(eb as ExpressionBuilder<Database, never>, ref),
    start,
    end,
    from: query.from ?? null,
    to: query.to ?? null,
    now,
    unactionedAfterDays: settings.unactionedAfterDays,
  };
  return { unactionedAfterDays: settings.unactionedAfterDays, scope };
}

/** Above this many clients, their relationship partners are read for the whole firm (one scan) rather than in a long `in` list. */
const WHOLE_FIRM_ABOVE = 1_000;

/**
 * The groups of the records counted (see computeLoop): names, teams and the relationship
 * partners of the clients with unactioned feedback, read once per request and looked up in maps.
 */
async function loopKeys(ctx: ServiceContext, groupBy: LoopQuery['groupBy'], clientIds: readonly string[]): Promise<LoopKeys> {
  const { db } = ctx;
  const users = new Map(groupBy === 'owner' ? (await db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]) : []);
  const teamsOf = new Map<string, Key[]>();
  const membersOf = new Map<string, string[]>();
  if (groupBy === 'team') {
    const memberships = await db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['team_members.user_id', 'teams.id', 'teams.name'])
      .execute();
    for (const m of memberships) {
      const list = teamsOf.get(m.user_id) ?? [];
      list.push({ id: m.id, name: m.name });
      teamsOf.set(m.user_id, list);
      const members = membersOf.get(m.id) ?? [];
      members.push(m.user_id);
      membersOf.set(m.id, members);
    }
  }
  const partnersOf = new Map<string, string[]>();
  if (clientIds.length > 0) {
    const partners = await db
      .selectFrom('client_team')
      .select(['client_team.client_id', 'client_team.user_id'])
      .where('client_team.team_role', '=', 'relationship_partner')
      .$if(clientIds.length <= WHOLE_FIRM_ABOVE, (qb) => qb.where('client_team.client_id', 'in', clientIds))
      .execute();
    for (const p of partners) {
      const list = partnersOf.get(p.client_id) ?? [];
      list.push(p.user_id);
      partnersOf.set(p.client_id, list);
    }
  }
  const keysOfOwner = (ownerId: string | null): Key[] => {
    if (ownerId === null) {
      return [];
    }
    return groupBy === 'team' ? (teamsOf.get(ownerId) ?? []) : [{ id: ownerId, name: users.get(ownerId) ?? 'Former user' }];
  };
  const keysOfClient = (clientId: string): Key[] => {
    const keys = new Map<string, Key>();
    for (const partner of partnersOf.get(clientId) ?? []) {
      for (const key of keysOfOwner(partner)) {
        keys.set(key.id, key);
      }
    }
    return [...keys.values()];
  };
  const ownersOf = (group: string) => (groupBy === 'team' ? (membersOf.get(group) ?? []) : [group]);
  return { keysOfOwner, keysOfClient, ownersOf };
}

const addTally = (into: ActionTally | undefined, from: ActionTally) => addActionTally(into ?? emptyActionTally(), from);
const addProblems = (into: ProblemTally | undefined, from: ProblemTally) => addProblemTally(into ?? emptyProblemTally(), from);
const addCount = (into: number | undefined, from: number) => (into ?? 0) + from;
const addIds = (into: string[] | undefined, from: string[]) => {
  const out = into ?? [];
  for (const id of from) {
    out.push(id);
  }
  return out;
};

/**
 * Closing the loop: closure rate, time to close, overdue actions and feedback left unactioned,
 * by action owner or by the owner's teams, and problems' time to resolution (see LOOP_RULES and
 * computeLoop for what counts); the records behind each figure are listed by GET /analytics/records.
 */
export async function getLoopAnalytics(ctx: ServiceContext, query: LoopQuery, now = new Date()): Promise<LoopAnalytics> {
  const { db } = ctx;
  const loop = await computeLoop(ctx, query, now);
  const actions = await actionTallies(db, loop.scope);
  const unactioned = await unactionedByClient(db, loop.scope, false);
  const problems = await problemTallies(db, loop.scope);
  const keys = await loopKeys(
    ctx,
    query.groupBy,
    unactioned.map((u) => u.clientId),
  );
  const actionGroups = groupBuckets(
    actions,
    (b) => keys.keysOfOwner(b.ownerId),
    (b) => b.payload,
    addTally,
  );
  const insightGroups = groupBuckets(
    unactioned,
    (u) => keys.keysOfClient(u.clientId),
    (u) => u.count,
    addCount,
  );
  const merged = new Map<string, { key: Key | null; tally: ActionTally; unactioned: number }>();
  for (const g of actionGroups) {
    merged.set(g.key?.id ?? NO_GROUP, { key: g.key, tally: g.payload, unactioned: 0 });
  }
  for (const g of insightGroups) {
    const entry = merged.get(g.key?.id ?? NO_GROUP) ?? { key: g.key, tally: emptyActionTally(), unactioned: 0 };
    entry.unactioned = g.payload;
    merged.set(g.key?.id ?? NO_GROUP, entry);
  }
  const groups = [...merged.values()].sort((a, b) => compareKeys(a.key, b.key));
  const totalTally = actions.reduce((t, b) => addActionTally(t, b.payload), emptyActionTally());
  const totalUnactioned = unactioned.reduce((n, u) => n + u.count, 0);
  const problemGroups = groupBuckets(
    problems,
    (b) => keys.keysOfOwner(b.ownerId),
    (b) => b.payload,
    addProblems,
  );
  return {
    period: { from: query.from ?? null, to: query.to ?? null },
    groupBy: query.groupBy,
    unactionedAfterDays: loop.unactionedAfterDays,
    rules: LOOP_RULES,
    totals: tallyFigures(totalTally, totalUnactioned),
    groups: groups.map((g) => ({ key: g.key, figures: tallyFigures(g.tally, g.unactioned) })),
    problems: {
      totals: problemTallyFigures(problems.reduce((t, b) => addProblemTally(t, b.payload), emptyProblemTally())),
      groups: problemGroups.map((g) => ({ key: g.key, figures: problemTallyFigures(g.payload) })),
    },
  };
}

/** The group a drill-down names: the totals (undefined), a key's id, or NO_GROUP for the group without a key. */
function findGroup<G extends { key: Key | null }>(groups: readonly G[], group: string): G | undefined {
  return groups.find((g) => (g.key?.id ?? NO_GROUP) === group);
}

/** The ids behind one loop figure, in total or for one group (none for a group not shown). */
export async function loopRecordIdsFor(ctx: ServiceContext, query: LoopQuery, metric: LoopMetric, group: string | undefined, now = new Date()) {
  const { db } = ctx;
  const loop = await computeLoop(ctx, query, now);
  if (metric === 'unactioned') {
    const unactioned = await unactionedByClient(db, loop.scope, true);
    const keys = await loopKeys(
      ctx,
      query.groupBy,
      unactioned.map((u) => u.clientId),
    );
    return pick(
      groupBuckets(
        unactioned,
        (u) => keys.keysOfClient(u.clientId),
        (u) => u.ids,
        addIds,
      ),
      unactioned.flatMap((u) => u.ids),
      group,
    );
  }
  const keys = await loopKeys(ctx, query.groupBy, []);
  const buckets = await actionIds(db, loop.scope, metric, group === undefined || group === NO_GROUP ? undefined : keys.ownersOf(group));
  return pick(
    groupBuckets(
      buckets,
      (b) => keys.keysOfOwner(b.ownerId),
      (b) => b.payload,
      addIds,
    ),
    buckets.flatMap((b) => b.payload),
    group,
  );
}

/** The ids behind one problem figure, in total or for one group (none for a group not shown). */
export async function problemRecordIdsFor(ctx: ServiceContext, query: LoopQuery, metric: ProblemMetric, group: string | undefined, now = new Date()) {
  const loop = await computeLoop(ctx, query, now);
  const buckets = await problemIds(ctx.db, loop.scope, metric);
  const keys = await loopKeys(ctx, query.groupBy, []);
  return pick(
    groupBuckets(
      buckets,
      (b) => keys.keysOfOwner(b.ownerId),
      (b) => b.payload,
      addIds,
    ),
    buckets.flatMap((b) => b.payload),
    group,
  );
}

/** The totals' ids (no group), or one group's. */
function pick(groups: { key: Key | null; payload: string[] }[], all: string[], group: string | undefined): string[] {
  return group === undefined ? all : (findGroup(groups, group)?.payload ?? []);
}
