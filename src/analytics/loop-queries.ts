import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import { visibleActions } from '../actions/access.js';
import { OPEN_STATUSES, unactionedHeardBefore } from '../actions/loop.js';
import { type Db, dialectOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { visibleInsights } from '../insights/access.js';
import { visibleProblems } from '../relationships/problems.js';
import type { Actor } from '../server/context.js';
import { type ActionTally, emptyActionTally, type ProblemTally } from './loop-figures.js';
import type { LoopMetric, ProblemMetric } from './records.js';

/**
 * The loop's SQL (issue 6, scale: a firm's 300,000 actions in well under a second). Records are
 * counted where they lie: each query reads one covering index (migration 0010), groups the
 * records by owner and client (unactioned insights by client and by what decides who may read
 * them), and applies the reader's visibility and reach to those buckets rather than to every
 * row. The conditions used (visibleActions, visibleInsights, visibleProblems and the analytics
 * reach) name only a bucket's columns, so a bucket is visible exactly when each of its records
 * is; a rule that came to name another column would fail loudly here, not count wrongly.
 *
 * Each bucket carries either the figures' tally or the ids of the records behind one figure
 * (the drill-down), by the same conditions: `actionCondition` and `problemCondition` are the
 * loop's rules (LOOP_RULES, loopSets in loop-figures.ts) in SQL.
 */

type ActionsEb = ExpressionBuilder<Database, 'actions'>;
type ProblemsEb = ExpressionBuilder<Database, 'problems'>;

/** The reader's reach over a client id column (analyticsReach with the request's filters). */
export type Reach = (eb: ExpressionBuilder<Database, never>, clientIdRef: string) => Expression<SqlBool>;

/** Which records, and what each bucket should carry: the tally, or the ids behind one figure. */
export interface LoopScope {
  actor: Actor;
  reach: Reach;
  /** The period's creation bounds for actions (start inclusive, end exclusive) and dates for insights and problems. */
  start: string | null;
  end: string | null;
  from: string | null;
  to: string | null;
  now: Date;
  unactionedAfterDays: number;
}

/** The rule of one action figure, as a condition (the drill-down lists where it holds; the tally counts it). */
export function actionCondition(metric: Exclude<LoopMetric, 'unactioned'>, today: string) {
  return (eb: ActionsEb): Expression<SqlBool> => {
    switch (metric) {
      case 'actions':
        return eb.lit(true);
      case 'done':
        return eb('actions.status', '=', 'done');
      case 'wontDo':
        return eb('actions.status', '=', 'wont_do');
      case 'open':
        return eb('actions.status', 'not in', ['done', 'wont_do']);
      case 'closed':
        return eb.and([eb('actions.status', 'in', ['done', 'wont_do']), eb('actions.closed_at', 'is not', null)]);
      case 'overdue':
        return eb.and([eb('actions.status', 'in', OPEN_STATUSES), eb('actions.due_on', 'is not', null), eb('actions.due_on', '<', today)]);
    }
  };
}

/** The rule of one problem figure: resolved = resolved or closed, with a resolution date. */
export function problemCondition(metric: ProblemMetric) {
  return (eb: ProblemsEb): Expression<SqlBool> =>
    metric === 'reported' ? eb.lit(true) : eb.and([eb('problems.resolved_on', 'is not', null), eb('problems.status', 'in', ['resolved', 'closed'])]);
}

/** 1 where the condition holds, else 0 (for sums). */
function oneIf(condition: Expression<SqlBool>): RawBuilder<number> {
  return sql<number>`case when ${condition} then 1 else 0 end`;
}

/** A comma-separated list of the non-null values of a column in a group, native on each dialect. */
function listOf(db: Db, value: Expression<unknown>): RawBuilder<string | null> {
  return dialectOf(db) === 'postgres' ? sql<string | null>`string_agg(cast(${value} as text), ',')` : sql<string | null>`group_concat(${value})`;
}

/** Whole milliseconds from created_at to closed_at, in SQL (the same number as Date.parse's difference). */
function closingMs(db: Db): RawBuilder<number> {
  return dialectOf(db) === 'postgres'
    ? sql<number>`cast(round(extract(epoch from (actions.closed_at - actions.created_at)) * 1000) as bigint)`
    : sql<number>`cast(round((julianday(actions.closed_at) - julianday(actions.created_at)) * 86400000) as integer)`;
}

/** Whole days from reported_on to resolved_on (dates), in SQL. */
function resolutionDays(db: Db): RawBuilder<number> {
  return dialectOf(db) === 'postgres'
    ? sql<number>`(problems.resolved_on - problems.reported_on)`
    : sql<number>`cast(round(julianday(substr(problems.resolved_on, 1, 10)) - julianday(substr(problems.reported_on, 1, 10))) as integer)`;
}

const DAY_MS = 86_400_000;

/** Numbers from a listOf column. */
function numbers(list: string | null): number[] {
  return list ? list.split(',').map(Number) : [];
}

/** Ids from a listOf column. */
export function idsOf(list: string | null): string[] {
  return list ? list.split(',') : [];
}

/** One owner's actions that the reader counts: the tally, or the ids behind one figure. */
export interface ActionBucket<P> {
  ownerId: string;
  payload: P;
}

function actionBuckets(db: Db, scope: LoopScope, owners?: readonly string[]) {
  return db
    .selectFrom('actions')
    .select(['actions.owner_id', 'actions.client_id'])
    .$if(owners !== undefined, (qb) => qb.where('actions.owner_id', 'in', owners?.length ? owners : ['']))
    .$if(scope.start !== null, (qb) => qb.where('actions.created_at', '>=', scope.start as string))
    .$if(scope.end !== null, (qb) => qb.where('actions.created_at', '<', scope.end as string))
    .groupBy(['actions.owner_id', 'actions.client_id']);
}

/** Applies the reader's rules to buckets of actions (see the file's comment), and sums them per owner. */
function visibleActionBuckets<T>(db: Db, scope: LoopScope, buckets: T) {
  return db
    .selectFrom((buckets as ReturnType<typeof actionBuckets>).as('actions'))
    .select('actions.owner_id')
    .where((eb) => visibleActions(scope.actor)(eb as unknown as ActionsEb))
    .where((eb) => scope.reach(eb as unknown as ExpressionBuilder<Database, never>, 'actions.client_id'))
    .groupBy('actions.owner_id');
}

/** Per owner and client, the tally of the actions the reader counts. */
export async function actionTallies(db: Db, scope: LoopScope): Promise<ActionBucket<ActionTally>[]> {
  const today = scope.now.toISOString().slice(0, 10);
  const inner = actionBuckets(db, scope).select((eb) => [
    eb.fn.countAll<number>().as('actions'),
    eb.fn.sum<number>(oneIf(actionCondition('done', today)(eb))).as('done'),
    eb.fn.sum<number>(oneIf(actionCondition('wontDo', today)(eb))).as('wont_do'),
    eb.fn.sum<number>(oneIf(actionCondition('overdue', today)(eb))).as('overdue'),
    listOf(db, sql`case when ${eb.and([actionCondition('closed', today)(eb), eb('actions.status', '=', 'done')])} then ${closingMs(db)} end`).as('done_ms'),
    listOf(db, sql`case when ${eb.and([actionCondition('closed', today)(eb), eb('actions.status', '=', 'wont_do')])} then ${closingMs(db)} end`).as(
      'wont_do_ms',
    ),
  ]);
  const sum = (column: string) => sql<number>`sum(${sql.ref(column)})`;
  const rows = (await visibleActionBuckets(db, scope, inner)
    .select([
      sum('actions.actions').as('actions'),
      sum('actions.done').as('done'),
      sum('actions.wont_do').as('wont_do'),
      sum('actions.overdue').as('overdue'),
      listOf(db, sql.ref('actions.done_ms')).as('done_ms'),
      listOf(db, sql.ref('actions.wont_do_ms')).as('wont_do_ms'),
    ])
    .execute()) as unknown as {
    owner_id: string;
    actions: number;
    done: number;
    wont_do: number;
    overdue: number;
    done_ms: string | null;
    wont_do_ms: string | null;
  }[];
  // Days as daysBetween counts them: the milliseconds between the two instants, never negative.
  const days = (ms: number) => Math.max(0, ms / DAY_MS);
  return rows.map((r) => ({
    ownerId: r.owner_id,
    payload: {
      ...emptyActionTally(),
      actions: Number(r.actions),
      done: Number(r.done),
      wontDo: Number(r.wont_do),
      overdue: Number(r.overdue),
      doneDays: numbers(r.done_ms).map(days),
      wontDoDays: numbers(r.wont_do_ms).map(days),
    },
  }));
}

/**
 * Per owner, the ids of the actions behind one figure that the reader counts; `owners` narrows
 * the reading to some owners' actions (one group's), through the index.
 */
export async function actionIds(
  db: Db,
  scope: LoopScope,
  metric: Exclude<LoopMetric, 'unactioned'>,
  owners?: readonly string[],
): Promise<ActionBucket<string[]>[]> {
  const today = scope.now.toISOString().slice(0, 10);
  const inner = actionBuckets(db, scope, owners)
    .where((eb) => actionCondition(metric, today)(eb))
    .select(listOf(db, sql.ref('actions.id')).as('ids'));
  const rows = (await visibleActionBuckets(db, scope, inner)
    .select(listOf(db, sql.ref('actions.ids')).as('ids'))
    .execute()) as unknown as { owner_id: string; ids: string | null }[];
  return rows.map((r) => ({ ownerId: r.owner_id, payload: idsOf(r.ids) }));
}

/**
 * Per client, the unactioned insights the reader counts: concerns and risks heard in the period,
 * more than the loop setting's days ago, with no action linked (listUnactioned's rule). Bucketed
 * by client and by the two columns the insight rule reads (confidentiality, who recorded it).
 */
export async function unactionedByClient(db: Db, scope: LoopScope, withIds: boolean): Promise<{ clientId: string; count: number; ids: string[] }[]> {
  const inner = db
    .selectFrom('insights')
    .select(['insights.client_id', 'insights.confidentiality', 'insights.recorded_by'])
    .select((eb) => [eb.fn.countAll<number>().as('count'), ...(withIds ? [listOf(db, sql.ref('insights.id')).as('ids')] : [])])
    .where('insights.type', 'in', ['concern', 'risk'])
    .where('insights.heard_on', '<', unactionedHeardBefore(scope.now, scope.unactionedAfterDays))
    .$if(scope.from !== null, (qb) => qb.where('insights.heard_on', '>=', scope.from as string))
    .$if(scope.to !== null, (qb) => qb.where('insights.heard_on', '<=', scope.to as string))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('actions').select('actions.id').whereRef('actions.insight_id', '=', 'insights.id'))))
    .groupBy(['insights.client_id', 'insights.confidentiality', 'insights.recorded_by']);
  const rows = (await db
    .selectFrom(inner.as('insights'))
    .selectAll()
    .where((eb) => visibleInsights(scope.actor)(eb as unknown as ExpressionBuilder<Database, 'insights'>))
    .where((eb) => scope.reach(eb as unknown as ExpressionBuilder<Database, never>, 'insights.client_id'))
    .execute()) as unknown as { client_id: string; count: number; ids?: string | null }[];
  const byClient = new Map<string, { clientId: string; count: number; ids: string[] }>();
  for (const r of rows) {
    const entry = byClient.get(r.client_id) ?? { clientId: r.client_id, count: 0, ids: [] };
    entry.count += Number(r.count);
    for (const id of idsOf(r.ids ?? null)) {
      entry.ids.push(id);
    }
    byClient.set(r.client_id, entry);
  }
  return [...byClient.values()];
}

/** One owner's problems (owner null: unassigned): the tally, or the ids behind one figure. */
export interface ProblemBucket<P> {
  ownerId: string | null;
  payload: P;
}

function problemBuckets(db: Db, scope: LoopScope) {
  return db
    .selectFrom('problems')
    .select(['problems.owner_id', 'problems.client_id'])
    .$if(scope.from !== null, (qb) => qb.where('problems.reported_on', '>=', scope.from as string))
    .$if(scope.to !== null, (qb) => qb.where('problems.reported_on', '<=', scope.to as string))
    .groupBy(['problems.owner_id', 'problems.client_id']);
}

function visibleProblemBuckets<T>(db: Db, scope: LoopScope, buckets: T) {
  return db
    .selectFrom((buckets as ReturnType<typeof problemBuckets>).as('problems'))
    .select('problems.owner_id')
    .where((eb) => visibleProblems(scope.actor)(eb as unknown as ProblemsEb))
    .where((eb) => scope.reach(eb as unknown as ExpressionBuilder<Database, never>, 'problems.client_id'))
    .groupBy('problems.owner_id');
}

/** Per owner and client, the tally of the problems the reader counts. */
export async function problemTallies(db: Db, scope: LoopScope): Promise<ProblemBucket<ProblemTally>[]> {
  const inner = problemBuckets(db, scope).select((eb) => [
    eb.fn.countAll<number>().as('reported'),
    eb.fn.sum<number>(oneIf(problemCondition('resolved')(eb))).as('resolved'),
    listOf(db, sql`case when ${problemCondition('resolved')(eb)} then ${resolutionDays(db)} end`).as('days'),
  ]);
  const rows = (await visibleProblemBuckets(db, scope, inner)
    .select([
      sql<number>`sum(problems.reported)`.as('reported'),
      sql<number>`sum(problems.resolved)`.as('resolved'),
      listOf(db, sql.ref('problems.days')).as('days'),
    ])
    .execute()) as unknown as {
    owner_id: string | null;
    reported: number;
    resolved: number;
    days: string | null;
  }[];
  return rows.map((r) => ({
    ownerId: r.owner_id,
    payload: { reported: Number(r.reported), resolved: Number(r.resolved), days: numbers(r.days).map((d) => Math.max(0, d)) },
  }));
}

/** Per owner and client, the ids of the problems behind one figure that the reader counts. */
export async function problemIds(db: Db, scope: LoopScope, metric: ProblemMetric): Promise<ProblemBucket<string[]>[]> {
  const inner = problemBuckets(db, scope)
    .where((eb) => problemCondition(metric)(eb))
    .select(listOf(db, sql.ref('problems.id')).as('ids'));
  const rows = (await visibleProblemBuckets(db, scope, inner)
    .select(listOf(db, sql.ref('problems.ids')).as('ids'))
    .execute()) as unknown as { owner_id: string | null; ids: string | null }[];
  return rows.map((r) => ({ ownerId: r.owner_id, payload: idsOf(r.ids) }));
}
