import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { visibleActions } from '../actions/access.js';
import { dialectOf } from '../db/connect.js';
import { decodeCursor, encodeCursor } from '../db/pagination.js';
import { type Database, SEARCH_KINDS, type SearchEntryTable, type SearchKind } from '../db/schema.js';
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
 * record is neither returned nor counted.
 */
function readable(ctx: ServiceContext, eb: EntryEb, kind: SearchKind) {
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

/** The filters and the access rules, one condition on `e`. */
function conditions(ctx: ServiceContext, query: SearchQuery) {
  return (eb: EntryEb) => {
    const insightOnly = query.insightType !== undefined || query.themeId !== undefined;
    const kinds = SEARCH_KINDS.filter((k) => (query.kind === undefined || k === query.kind) && (!insightOnly || k === 'insight'));
    const all: ReturnType<typeof eb.and>[] = [eb.or(kinds.map((k) => eb.and([eb('e.kind', '=', k), readable(ctx, eb, k)])))];
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

/**
 * Full-text search over what the firm heard and did: insights, session notes and remarks,
 * check-ins, problems and actions, best match first, with marked snippets. Access rules and
 * confidentiality are conditions of the query itself, so the total counts only what the
 * reader may see. A search with no words (only punctuation or operators) finds nothing.
 */
export async function search(ctx: ServiceContext, query: SearchQuery): Promise<SearchResults> {
  const terms = searchTerms(query.q);
  const offset = offsetOf(query.cursor);
  if (terms.length === 0) {
    return { items: [], nextCursor: null, total: 0, terms };
  }
  const where = conditions(ctx, query);
  const pg = dialectOf(ctx.db) === 'postgres';
  const tsquery = sql`plainto_tsquery('english'::regconfig, ${tsqueryText(terms)})`;

  const matching = pg
    ? ctx.db.selectFrom('search_entries as e').where(sql<SqlBool>`e.search_vector @@ ${tsquery}`)
    : ctx.db
        .selectFrom('search_entries as e')
        .innerJoin(sql<{ rowid: number }>`search_fts`.as('search_fts'), (j) => j.onRef('search_fts.rowid', '=', 'e.id'))
        .where(sql<SqlBool>`search_fts match ${fts5Match(terms)}`);

  const headline = (column: 'title' | 'body') =>
    sql<string>`ts_headline('english'::regconfig, coalesce(${sql.ref(`e.${column}`)}, ''), ${tsquery}, ${
      column === 'title'
        ? `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`
        : `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`
    })`;
  const [rows, count] = await Promise.all([
    matching
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .where(where)
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
        pg ? sql<number>`-ts_rank_cd(e.search_vector, ${tsquery})`.as('rank') : sql<number>`bm25(search_fts, 10.0, 4.0)`.as('rank'),
        pg ? headline('title').as('title_marked') : sql<string>`highlight(search_fts, 0, ${MARK_START}, ${MARK_END})`.as('title_marked'),
        pg ? headline('body').as('body_marked') : sql<string>`snippet(search_fts, 1, ${MARK_START}, ${MARK_END}, '…', 24)`.as('body_marked'),
      ])
      .orderBy('rank')
      .orderBy('e.id')
      .limit(query.limit + 1)
      .offset(offset)
      .execute(),
    matching
      .where(where)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
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
    total: Number(count.n),
    terms,
  };
}
