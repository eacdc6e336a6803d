import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { visibleActions } from '../actions/access.js';
import { dialectOf } from '../db/connect.js';
import { decodeCursor, encodeCursor } from '../db/pagination.js';
import { type Database, SEARCH_KINDS, type SearchEntryTable, type SearchKind } from '../db/schema.js';
import { scopeFor } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import { visibleInsights } from '../insights/access.js';
import { visibleSessions } from '../listening/access.js';
import { visibleCheckIns } from '../relationships/check-ins.js';
import { visibleProblems } from '../relationships/problems.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { fts5Match, MARK_END, MARK_START, searchTerms, toSegments, tsqueryText } from './query.js';
import type { SearchQuery, SearchResults } from './schemas.js';

type SearchDb = Database & { e: SearchEntryTable };
type EntryEb = ExpressionBuilder<SearchDb, 'e'>;

/** Programme leads (and the system) read every remark; others not `programme_only` ones, unless they interview the session. */
function readsEveryRemark(actor: Actor): boolean {
  return actor.role === 'programme_lead' || actor.role === 'system';
}

/**
 * Which entries of one kind the actor may read, as a condition inside the search query: the
 * record is in the set the kind's own list would show them (the same helpers), so a hidden
 * record is neither returned nor counted. Each is a correlated EXISTS on the record's primary
 * key, tested only for the entries the words matched: on SQLite an `IN (visible set)` made
 * the database build every kind's whole visible set (every session of the firm, for a
 * programme lead) on every search, however few entries matched.
 */
function readable(ctx: ServiceContext, eb: EntryEb, kind: SearchKind) {
  const { actor } = ctx;
  const sessionOf = (sessionId: 'e.session_id') =>
    eb.selectFrom('listening_sessions').select(sql.lit(1).as('one')).whereRef('listening_sessions.id', '=', sessionId).where(visibleSessions(actor));
  switch (kind) {
    case 'insight':
      return eb.exists(eb.selectFrom('insights').select(sql.lit(1).as('one')).whereRef('insights.id', '=', 'e.entity_id').where(visibleInsights(actor)));
    case 'session_note':
      // A note's entry id is sessionId:questionKey; its session is the entry's session_id.
      return eb.exists(sessionOf('e.session_id'));
    case 'remark':
      // The session test is on the entry's session_id (the remark's own, kept by the triggers and
      // checked again below): inside the remark's subquery the planner would instead walk the
      // reader's whole session list for every matched entry.
      return eb.and([
        eb.exists(sessionOf('e.session_id')),
        eb.exists(
          eb
            .selectFrom('session_remarks')
            .select(sql.lit(1).as('one'))
            .whereRef('session_remarks.id', '=', 'e.entity_id')
            .whereRef('session_remarks.session_id', '=', 'e.session_id')
            .$if(!readsEveryRemark(actor), (q) =>
              q.where((r) =>
                r.or([
                  r('session_remarks.confidentiality', '!=', 'programme_only'),
                  r.exists(
                    r
                      .selectFrom('listening_sessions as interviewed')
                      .select(sql.lit(1).as('one'))
                      .whereRef('interviewed.id', '=', 'session_remarks.session_id')
                      .where('interviewed.interviewer_id', '=', actor.id ?? ''),
                  ),
                ]),
              ),
            ),
        ),
      ]);
    case 'check_in':
      return eb.exists(eb.selectFrom('check_ins').select(sql.lit(1).as('one')).whereRef('check_ins.id', '=', 'e.entity_id').where(visibleCheckIns(actor)));
    case 'problem':
      return eb.exists(eb.selectFrom('problems').select(sql.lit(1).as('one')).whereRef('problems.id', '=', 'e.entity_id').where(visibleProblems(actor)));
    case 'action':
      return eb.exists(eb.selectFrom('actions').select(sql.lit(1).as('one')).whereRef('actions.id', '=', 'e.entity_id').where(visibleActions(actor)));
  }
}

/**
 * The same rules as `readable`, as `IN (visible set)`, for PostgreSQL: it hashes each set once
 * (a hashed SubPlan), which on the bench firm beat both the per-entry EXISTS probes (2-4x
 * slower there) and restricting to reachable clients (the GIN index re-scanned per client).
 */
function readableAsSets(ctx: ServiceContext, eb: EntryEb, kind: SearchKind) {
  const { db, actor } = ctx;
  const sessions = () => db.selectFrom('listening_sessions').select('listening_sessions.id').where(visibleSessions(actor));
  switch (kind) {
    case 'insight':
      return eb('e.entity_id', 'in', db.selectFrom('insights').select('insights.id').where(visibleInsights(actor)));
    case 'session_note':
      return eb('e.session_id', 'in', sessions());
    case 'remark':
      return eb(
        'e.entity_id',
        'in',
        db
          .selectFrom('session_remarks')
          .select('session_remarks.id')
          .where('session_remarks.session_id', 'in', sessions())
          .$if(!readsEveryRemark(actor), (q) =>
            q.where((r) =>
              r.or([
                r('session_remarks.confidentiality', '!=', 'programme_only'),
                r(
                  'session_remarks.session_id',
                  'in',
                  db
                    .selectFrom('listening_sessions')
                    .select('listening_sessions.id')
                    .where('listening_sessions.interviewer_id', '=', actor.id ?? ''),
                ),
              ]),
            ),
          ),
      );
    case 'check_in':
      return eb('e.entity_id', 'in', db.selectFrom('check_ins').select('check_ins.id').where(visibleCheckIns(actor)));
    case 'problem':
      return eb('e.entity_id', 'in', db.selectFrom('problems').select('problems.id').where(visibleProblems(actor)));
    case 'action':
      return eb('e.entity_id', 'in', db.selectFrom('actions').select('actions.id').where(visibleActions(actor)));
  }
}

/**
 * The filters and the access rules, one condition on `e`. `sets` tests each kind's rule as a
 * visible set (PostgreSQL, over every match), otherwise per entry (SQLite, and a page's rows).
 */
function conditions(ctx: ServiceContext, query: SearchQuery, sets = false) {
  return (eb: EntryEb) => {
    const insightOnly = query.insightType !== undefined || query.themeId !== undefined;
    const kinds = SEARCH_KINDS.filter((k) => (query.kind === undefined || k === query.kind) && (!insightOnly || k === 'insight'));
    const all: ReturnType<typeof eb.and>[] = [
      eb.or(kinds.map((k) => eb.and([eb('e.kind', '=', k), sets ? readableAsSets(ctx, eb, k) : readable(ctx, eb, k)]))),
    ];
    if (query.insightType) {
      all.push(eb('e.insight_type', '=', query.insightType));
    }
    if (query.themeId) {
      const themeId = query.themeId;
      all.push(
        eb(
          'e.entity_id',
          'in',
          ctx.db
            .selectFrom('insight_themes')
            .select('insight_themes.insight_id')
            .where((t) =>
              t.or([
                t('insight_themes.theme_id', '=', themeId),
                t('insight_themes.theme_id', 'in', ctx.db.selectFrom('themes').select('themes.id').where('themes.parent_id', '=', themeId)),
              ]),
            ),
        ),
      );
    }
    if (query.clientId) {
      all.push(eb('e.client_id', '=', query.clientId));
    }
    if (query.from) {
      all.push(eb('e.occurred_on', '>=', query.from));
    }
    if (query.to) {
      all.push(eb('e.occurred_on', '<=', query.to));
    }
    return eb.and(all);
  };
}

function offsetOf(cursor: string | undefined): number {
  if (!cursor) {
    return 0;
  }
  const { value, id } = decodeCursor(cursor);
  if (id !== 'offset' || typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) {
    throw new ValidationError('cursor', 'is not a cursor this search returned');
  }
  return value;
}

/** The resource whose read scope decides each kind (notes and remarks are read through their session). */
const RESOURCE_OF: Record<SearchKind, 'insight' | 'session' | 'check_in' | 'problem' | 'action'> = {
  insight: 'insight',
  session_note: 'session',
  remark: 'session',
  check_in: 'check_in',
  problem: 'problem',
  action: 'action',
};

/**
 * Where to look, for a reader who reads no kind firm-wide: the clients they are on the team
 * of, interview for, or own a problem or action of — a superset of the clients of every entry
 * `readable` lets them read (no scope short of `any` reaches further), so it only narrows
 * which entries are ranked and tested, and `readable` still decides. Undefined (look
 * everywhere) when some kind reaches every client.
 */
function reachableClients(ctx: ServiceContext) {
  const { db, actor } = ctx;
  if (actor.role === 'system' || SEARCH_KINDS.some((k) => scopeFor(actor.role, RESOURCE_OF[k], 'read') === 'any')) {
    return undefined;
  }
  const me = actor.id ?? '';
  return db
    .selectFrom('client_team')
    .select('client_team.client_id')
    .where('client_team.user_id', '=', me)
    .union(db.selectFrom('listening_sessions').select('listening_sessions.client_id').where('listening_sessions.interviewer_id', '=', me))
    .union(db.selectFrom('problems').select('problems.client_id').where('problems.owner_id', '=', me))
    .union(db.selectFrom('actions').select('actions.client_id').where('actions.owner_id', '=', me));
}

/**
 * Full-text search over what the firm heard and did: insights, session notes and remarks,
 * check-ins, problems and actions, best match first, with marked snippets. Access rules and
 * confidentiality are conditions of the query itself, so the total counts only what the
 * reader may see. A search with no words (only punctuation or operators) finds nothing.
 *
 * Two statements: the first ranks and counts the readable matches and returns only the page's
 * ids (on SQLite, for a reader with a few clients, only those clients' entries are ranked); the
 * second loads those rows and cuts snippets for them alone, applying the access rules again.
 */
export async function search(ctx: ServiceContext, query: SearchQuery): Promise<SearchResults> {
  const terms = searchTerms(query.q);
  const offset = offsetOf(query.cursor);
  if (terms.length === 0) {
    return { items: [], nextCursor: null, total: 0, terms };
  }
  const pg = dialectOf(ctx.db) === 'postgres';
  const where = conditions(ctx, query, pg) as unknown as (
    eb: ExpressionBuilder<SearchDb & { hits: { id: number; rank: number } }, 'e' | 'hits'>,
  ) => Expression<SqlBool>;
  const tsquery = sql`plainto_tsquery('english'::regconfig, ${tsqueryText(terms)})`;
  const match = fts5Match(terms);
  const reachable = pg ? undefined : reachableClients(ctx);

  // 1. The page's ids in rank order, and how many readable entries match.
  const ranked = (limit: number, skip: number) =>
    pg
      ? ctx.db
          .selectFrom('search_entries as e')
          .where(sql<SqlBool>`e.search_vector @@ ${tsquery}`)
          .where(where as never)
          .select(['e.id', sql<number>`-ts_rank_cd(e.search_vector, ${tsquery})`.as('rank'), sql<number>`count(*) over ()`.as('total')])
          .orderBy('rank')
          .orderBy('e.id')
          .limit(limit)
          .offset(skip)
          .execute()
      : ctx.db
          // Ranking (bm25) is most of the cost: only entries of reachable clients are ranked. The
          // unary + keeps FTS5 scanning the match once rather than seeking it once per entry.
          .with(
            (w) => w('hits').materialized(),
            () =>
              sql<{
                id: number;
                rank: number;
              }>`(select search_fts.rowid as id, bm25(search_fts, 10.0, 4.0) as rank from search_fts where search_fts match ${match}${
                reachable ? sql` and +search_fts.rowid in (select r.id from search_entries r where r.client_id in ${reachable})` : sql``
              })`,
          )
          .selectFrom('hits')
          // CROSS JOIN fixes the order in SQLite: the matches drive and each entry is read by its
          // key. Without statistics the planner otherwise walks every entry of each kind (by the
          // (kind, entity_id) index) and probes the matches: about 30 times slower on the bench firm.
          .crossJoin('search_entries as e')
          .whereRef('e.id', '=', 'hits.id')
          .where(where)
          .select(['e.id', 'hits.rank', sql<number>`count(*) over ()`.as('total')])
          .orderBy('hits.rank')
          .orderBy('e.id')
          .limit(limit)
          .offset(skip)
          .execute();
  let ids = await ranked(query.limit + 1, offset);
  const total = ids.length > 0 ? Number(ids[0]?.total) : offset > 0 ? Number((await ranked(1, 0))[0]?.total ?? 0) : 0;
  const hasMore = ids.length > query.limit;
  ids = hasMore ? ids.slice(0, query.limit) : ids;
  if (ids.length === 0) {
    return { items: [], nextCursor: null, total, terms };
  }

  // 2. Those rows, with their snippets.
  const pageIds = ids.map((r) => Number(r.id));
  const headline = (column: 'title' | 'body') =>
    sql<string>`ts_headline('english'::regconfig, coalesce(${sql.ref(`e.${column}`)}, ''), ${tsquery}, ${
      column === 'title'
        ? `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`
        : `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`
    })`;
  const rows = await (pg
    ? ctx.db.selectFrom('search_entries as e')
    : ctx.db
        .selectFrom('search_entries as e')
        .innerJoin(sql<{ rowid: number }>`search_fts`.as('search_fts'), (j) => j.onRef('search_fts.rowid', '=', 'e.id'))
        .where(sql<SqlBool>`search_fts match ${match}`)
  )
    .innerJoin('clients as c', 'c.id', 'e.client_id')
    .where('e.id', 'in', pageIds)
    .where(conditions(ctx, query))
    .select([
      'e.id',
      'e.kind',
      'e.entity_id',
      'e.client_id',
      'c.name as client_name',
      'e.session_id',
      'e.insight_type',
      'e.occurred_on',
      'e.heading',
      pg ? headline('title').as('title_marked') : sql<string>`highlight(search_fts, 0, ${MARK_START}, ${MARK_END})`.as('title_marked'),
      pg ? headline('body').as('body_marked') : sql<string>`snippet(search_fts, 1, ${MARK_START}, ${MARK_END}, '…', 24)`.as('body_marked'),
    ])
    .execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const page = pageIds.map((id) => byId.get(id)).filter((r) => r !== undefined);
  return {
    items: page.map((r) => ({
      kind: r.kind,
      id: r.entity_id,
      clientId: r.client_id,
      clientName: r.client_name,
      sessionId: r.session_id,
      insightType: r.insight_type,
      date: r.occurred_on,
      heading: r.heading,
      title: r.title_marked && r.kind !== 'session_note' && r.kind !== 'remark' && r.kind !== 'check_in' ? toSegments(r.title_marked) : [],
      snippet: toSegments(r.body_marked),
    })),
    nextCursor: hasMore ? encodeCursor(offset + query.limit, 'offset') : null,
    total,
    terms,
  };
}
