import { type Kysely, sql } from 'kysely';
import { columnTypes, isPostgres } from './columns.js';

/**
 * The analytics cache (issue 6, scale): per-client figures that firm-wide dashboards read
 * instead of recomputing a whole firm on every request.
 *
 * - `analytics_dirty`: the clients whose records changed since their cached figures were
 *   computed. Database triggers mark them on every write path (services, restore, cascades), so
 *   the cache can never miss a change; `version` grows with each mark, so a refresh that raced a
 *   write keeps the newer mark.
 * - `analytics_cache_state`: what the cached rows were computed under (the day, the weights, the
 *   cadence defaults); when that changes, the cache is rebuilt whole.
 * - `health_current`: each client's health today, in two views (`shared`: without programme-only
 *   insights, as management reads it; `programme`: with them, as programme leads read it).
 * - `nps_quarters`: the counting rule applied once: per client and quarter, the latest answer of
 *   each measure (`nps`, `satisfaction`, `dim:<key>`) over every held session, one column per
 *   measure (a firm's million scores are a few tens of thousands of rows that SQL sums), and
 *   `nps_quarter_sessions`, the sessions those answers come from (the drill-down).
 *
 * All three are derived: backups leave them out and a restore starts them empty.
 */
/** Measure columns of nps_quarters (m0…m47): NPS, satisfaction and up to 46 score dimensions. */
export const NPS_SLOTS = 48;

const MARKED: { table: string; column: string }[] = [
  { table: 'clients', column: 'id' },
  { table: 'contacts', column: 'client_id' },
  { table: 'client_team', column: 'client_id' },
  { table: 'listening_sessions', column: 'client_id' },
  { table: 'insights', column: 'client_id' },
  { table: 'actions', column: 'client_id' },
  { table: 'problems', column: 'client_id' },
  { table: 'check_ins', column: 'client_id' },
  { table: 'cadences', column: 'client_id' },
];

const mark = (value: string) =>
  `insert into analytics_dirty (client_id, version) values (${value}, 1) on conflict (client_id) do update set version = analytics_dirty.version + 1;`;
/** session_scores carry no client: mark the session's. (`where true` lets SQLite parse the upsert after a select.) */
const markSession = (sessionId: string) =>
  `insert into analytics_dirty (client_id, version) select client_id, 1 from listening_sessions where id = ${sessionId} and true on conflict (client_id) do update set version = analytics_dirty.version + 1;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const pg = isPostgres(db);
  const run = (statement: string) => sql.raw(statement).execute(db);

  await db.schema
    .createTable('analytics_dirty')
    .addColumn('client_id', t.id, (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('analytics_cache_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('health_current')
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    // shared | programme
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('band', 'text', (c) => c.notNull())
    // JSON arrays, as the API returns them: the reasons and the single-threaded warnings.
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('health_current_pk', ['view', 'client_id'])
    .execute();
  await db.schema.createIndex('health_current_rank_idx').on('health_current').columns(['view', 'score', 'client_id']).execute();
  await db.schema.createIndex('health_current_client_idx').on('health_current').columns(['client_id']).execute();
  // One column per measure (slot), so that SQL sums them: the cache state maps measures to slots.
  let npsQuarters = db.schema
    .createTable('nps_quarters')
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('quarter', 'text', (c) => c.notNull())
    // How many sessions hold the row's counted answers (usually one).
    .addColumn('sessions', 'integer', (c) => c.notNull());
  for (let slot = 0; slot < NPS_SLOTS; slot++) {
    npsQuarters = npsQuarters.addColumn(`m${slot}`, t.double);
  }
  await npsQuarters.addPrimaryKeyConstraint('nps_quarters_pk', ['client_id', 'quarter']).execute();
  await db.schema.createIndex('nps_quarters_quarter_idx').on('nps_quarters').columns(['quarter', 'client_id']).execute();
  await db.schema
    .createTable('nps_quarter_sessions')
    .addColumn('session_id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('completed_at', t.timestamp, (c) => c.notNull())
    // The measures this session's answer counts for, in order, comma-separated (dimension keys bare).
    .addColumn('counts_for', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nps_quarter_sessions_latest_idx').on('nps_quarter_sessions').columns(['completed_at', 'session_id']).execute();
  await db.schema.createIndex('nps_quarter_sessions_client_idx').on('nps_quarter_sessions').columns(['client_id', 'quarter']).execute();

  // Firm-wide analytics read every client's held sessions and relationship partners: these let
  // them read the index alone (was a row per session or per team member).
  await db.schema
    .createIndex('listening_sessions_held_idx')
    .on('listening_sessions')
    .columns(['client_id', 'status', 'completed_at', 'nps', 'starts_at', 'id'])
    .execute();
  await db.schema.createIndex('client_team_role_idx').on('client_team').columns(['team_role', 'user_id', 'client_id']).execute();
  // "Did this reader record a programme-only insight?" decides whether the health cache fits them.
  await db.schema.createIndex('insights_recorded_by_idx').on('insights').columns(['recorded_by', 'confidentiality']).execute();

  if (pg) {
    // One function for every table: the client id column is the trigger's argument.
    await run(`create function analytics_mark_dirty() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then ${mark(`to_jsonb(old) ->> tg_argv[0]`)} end if;
        if tg_op <> 'DELETE' then ${mark(`to_jsonb(new) ->> tg_argv[0]`)} end if;
        return null;
      end $$`);
    await run(`create function analytics_mark_dirty_scores() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then ${markSession('old.session_id')} end if;
        if tg_op <> 'DELETE' then ${markSession('new.session_id')} end if;
        return null;
      end $$`);
    for (const { table, column } of MARKED) {
      await run(
        `create trigger analytics_dirty_${table} after insert or update or delete on ${table} for each row execute function analytics_mark_dirty('${column}')`,
      );
    }
    await run(
      'create trigger analytics_dirty_session_scores after insert or update or delete on session_scores for each row execute function analytics_mark_dirty_scores()',
    );
  } else {
    for (const { table, column } of MARKED) {
      await run(`create trigger analytics_dirty_${table}_insert after insert on ${table} begin ${mark(`new.${column}`)} end`);
      await run(`create trigger analytics_dirty_${table}_update after update on ${table} begin ${mark(`old.${column}`)} ${mark(`new.${column}`)} end`);
      // A deleted client cascades its cache rows away; marking it anyway is harmless.
      await run(`create trigger analytics_dirty_${table}_delete after delete on ${table} begin ${mark(`old.${column}`)} end`);
    }
    await run(`create trigger analytics_dirty_session_scores_insert after insert on session_scores begin ${markSession('new.session_id')} end`);
    await run(
      `create trigger analytics_dirty_session_scores_update after update on session_scores begin ${markSession('old.session_id')} ${markSession('new.session_id')} end`,
    );
    await run(`create trigger analytics_dirty_session_scores_delete after delete on session_scores begin ${markSession('old.session_id')} end`);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const run = (statement: string) => sql.raw(statement).execute(db);
  for (const table of [...MARKED.map((m) => m.table), 'session_scores']) {
    if (pg) {
      await run(`drop trigger if exists analytics_dirty_${table} on ${table}`);
    } else {
      for (const op of ['insert', 'update', 'delete']) {
        await run(`drop trigger if exists analytics_dirty_${table}_${op}`);
      }
    }
  }
  if (pg) {
    await run('drop function if exists analytics_mark_dirty()');
    await run('drop function if exists analytics_mark_dirty_scores()');
  }
  await db.schema.dropIndex('insights_recorded_by_idx').execute();
  await db.schema.dropIndex('client_team_role_idx').execute();
  await db.schema.dropIndex('listening_sessions_held_idx').execute();
  await db.schema.dropTable('nps_quarter_sessions').execute();
  await db.schema.dropTable('nps_quarters').execute();
  await db.schema.dropTable('health_current').execute();
  await db.schema.dropTable('analytics_cache_state').execute();
  await db.schema.dropTable('analytics_dirty').execute();
}
