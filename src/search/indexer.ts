import { sql } from 'kysely';
import { type Db, dialectOf } from '../db/connect.js';
import { SEARCH_KINDS, type SearchKind } from '../db/schema.js';

const COLUMNS = 'kind, entity_id, client_id, session_id, insight_type, heading, title, body, occurred_on, updated_at';

/**
 * Refills the search index from the records it is derived from, in one transaction, and
 * returns how many entries each kind has. Triggers keep the index current on every write
 * (migration 0006); this is for after a restore and for `hearken search reindex`. What each
 * kind indexes is the view `search_source_<kind>`, the same the triggers read.
 */
export async function rebuildSearchIndex(db: Db): Promise<Record<SearchKind, number>> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('search_entries').execute();
    for (const kind of SEARCH_KINDS) {
      await sql`insert into search_entries (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from ${sql.table(`search_source_${kind}`)}`.execute(trx);
    }
    if (dialectOf(trx) === 'sqlite') {
      // The FTS5 index follows search_entries through triggers; 'rebuild' also repairs any drift.
      await sql`insert into search_fts (search_fts) values ('rebuild')`.execute(trx);
    }
    const rows = await trx
      .selectFrom('search_entries')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const counts = Object.fromEntries(SEARCH_KINDS.map((k) => [k, 0])) as Record<SearchKind, number>;
    for (const r of rows) {
      counts[r.kind] = Number(r.n);
    }
    return counts;
  });
}
