import { type Kysely, sql } from 'kysely';
import { isPostgres } from './columns.js';

/**
 * Full-text search: one `search_entries` row per searchable record (insight, session note,
 * session remark, check-in, problem, action), with the words in `title` (ranked higher) and
 * `body`, and the few columns search filters on. Who may read an entry is never stored here:
 * the search query decides it from the source tables, so a change of team or wall applies at once.
 *
 * What each kind indexes is defined once, as one view per kind (`search_source_*`). Triggers on
 * the source tables re-project the changed record from its view in the same statement, so every
 * write (services, demo data, restore, cascades) keeps the index current in its own transaction;
 * `rebuildSearchIndex` refills the table from the same views. The full-text index itself is
 * native: an external-content FTS5 table over `search_entries` on SQLite (keyed on the
 * INTEGER PRIMARY KEY, which survives VACUUM), a generated, weighted `tsvector` with a GIN index
 * on PostgreSQL.
 */

interface Source {
  /** The source table whose writes re-project entries. */
  table: string;
  kind: string;
  view: string;
  /** Condition on the view picking the entries of a changed source row (`R` is NEW or OLD). */
  match: (r: string) => string;
  /** Condition on search_entries picking the same entries. */
  entries: (r: string) => string;
  /** The row is one part of an entry or group (an answer of a session, a comment of an action): re-project the group on delete too. */
  group?: boolean;
}

const COLUMNS = 'kind, entity_id, client_id, session_id, insight_type, heading, title, body, occurred_on, updated_at';

const byId = (kind: string) => ({
  match: (r: string) => `entity_id = ${r}.id`,
  entries: (r: string) => `kind = '${kind}' and entity_id = ${r}.id`,
});

const SOURCES: Source[] = [
  { table: 'insights', kind: 'insight', view: 'search_source_insight', ...byId('insight') },
  {
    table: 'session_answers',
    kind: 'session_note',
    view: 'search_source_session_note',
    // A session's notes are few: re-project all of them rather than rebuild the composite key.
    match: (r) => `session_id = ${r}.session_id`,
    entries: (r) => `kind = 'session_note' and session_id = ${r}.session_id`,
    group: true,
  },
  { table: 'session_remarks', kind: 'remark', view: 'search_source_remark', ...byId('remark') },
  { table: 'check_ins', kind: 'check_in', view: 'search_source_check_in', ...byId('check_in') },
  { table: 'problems', kind: 'problem', view: 'search_source_problem', ...byId('problem') },
  { table: 'actions', kind: 'action', view: 'search_source_action', ...byId('action') },
  {
    table: 'action_comments',
    kind: 'action',
    view: 'search_source_action',
    match: (r) => `entity_id = ${r}.action_id`,
    entries: (r) => `kind = 'action' and entity_id = ${r}.action_id`,
    group: true,
  },
];

function views(pg: boolean): Record<string, string> {
  const nl = pg ? 'chr(10)' : 'char(10)';
  const day = (ts: string) => (pg ? `(${ts} at time zone 'UTC')::date` : `substr(${ts}, 1, 10)`);
  const join = (...parts: string[]) => `nullif(concat_ws(${nl}, ${parts.join(', ')}), '')`;
  const comments = pg
    ? `(select string_agg(c.body, chr(10) order by c.created_at, c.id) from action_comments c where c.action_id = a.id)`
    : `(select group_concat(c.body, char(10)) from (select body from action_comments where action_id = a.id order by created_at, id) c)`;
  const sessionDay = day('coalesce(s.completed_at, s.starts_at, s.created_at)');
  return {
    search_source_insight: `select 'insight' as kind, i.id as entity_id, i.client_id, i.session_id, i.type as insight_type,
        i.summary as heading, i.summary as title, i.quote as body, i.heard_on as occurred_on, i.updated_at
      from insights i`,
    search_source_session_note: `select 'session_note' as kind, a.session_id || ':' || a.question_key as entity_id, s.client_id, a.session_id,
        null as insight_type, s.objective as heading, null as title, a.notes as body, ${sessionDay} as occurred_on, a.updated_at
      from session_answers a join listening_sessions s on s.id = a.session_id
      where trim(a.notes) <> ''`,
    search_source_remark: `select 'remark' as kind, r.id as entity_id, s.client_id, r.session_id,
        null as insight_type, s.objective as heading, null as title, r.text as body, ${sessionDay} as occurred_on, r.updated_at
      from session_remarks r join listening_sessions s on s.id = r.session_id`,
    search_source_check_in: `select 'check_in' as kind, k.id as entity_id, k.client_id, null as session_id,
        null as insight_type, null as heading, null as title, ${join('k.likes', 'k.one_thing_better', 'k.notes')} as body,
        k.held_on as occurred_on, k.updated_at
      from check_ins k`,
    search_source_problem: `select 'problem' as kind, p.id as entity_id, p.client_id, null as session_id,
        null as insight_type, p.title as heading, p.title, ${join('p.description', 'p.resolution')} as body,
        p.reported_on as occurred_on, p.updated_at
      from problems p`,
    search_source_action: `select 'action' as kind, a.id as entity_id, a.client_id, a.session_id,
        null as insight_type, a.title as heading, a.title, ${join('a.description', 'a.closure_note', 'a.wont_do_reason', comments)} as body,
        ${day('a.created_at')} as occurred_on, a.updated_at
      from actions a`,
  };
}

/** The statements that re-project one changed source row (OLD removed, NEW put back). */
function resync(source: Source, op: 'insert' | 'update' | 'delete'): string[] {
  const out: string[] = [];
  if (op !== 'insert') {
    out.push(`delete from search_entries where ${source.entries('OLD')};`);
  }
  if (op !== 'delete' && (source.group || op === 'update')) {
    out.push(`delete from search_entries where ${source.entries('NEW')};`);
  }
  if (op === 'delete') {
    if (source.group) {
      out.push(`insert into search_entries (${COLUMNS}) select ${COLUMNS} from ${source.view} where ${source.match('OLD')};`);
    }
  } else {
    out.push(`insert into search_entries (${COLUMNS}) select ${COLUMNS} from ${source.view} where ${source.match('NEW')};`);
  }
  return out;
}

/** A session's objective, client and dates show on (and filter) its notes and remarks. */
const SESSION_COLUMNS = 'objective, client_id, starts_at, completed_at, created_at';
const SESSION_RESYNC = [
  `delete from search_entries where kind in ('session_note', 'remark') and session_id = NEW.id;`,
  `insert into search_entries (${COLUMNS}) select ${COLUMNS} from search_source_session_note where session_id = NEW.id;`,
  `insert into search_entries (${COLUMNS}) select ${COLUMNS} from search_source_remark where session_id = NEW.id;`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const run = (statement: string) => sql.raw(statement).execute(db);

  if (pg) {
    await run(`create table search_entries (
      id bigint generated always as identity primary key,
      kind text not null,
      entity_id text not null,
      client_id text not null references clients(id) on delete cascade,
      session_id text,
      insight_type text,
      heading text,
      title text,
      body text,
      occurred_on date not null,
      updated_at timestamptz not null,
      search_vector tsvector generated always as (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
      ) stored,
      unique (kind, entity_id)
    )`);
    await run('create index search_entries_vector_idx on search_entries using gin (search_vector)');
  } else {
    await run(`create table search_entries (
      id integer primary key,
      kind text not null,
      entity_id text not null,
      client_id text not null references clients(id) on delete cascade,
      session_id text,
      insight_type text,
      heading text,
      title text,
      body text,
      occurred_on text not null,
      updated_at text not null,
      unique (kind, entity_id)
    )`);
    await run(`create virtual table search_fts using fts5(title, body, content='search_entries', content_rowid='id',
      tokenize='porter unicode61 remove_diacritics 2')`);
    await run(`create trigger search_entries_ai after insert on search_entries begin
      insert into search_fts (rowid, title, body) values (new.id, new.title, new.body);
    end`);
    await run(`create trigger search_entries_ad after delete on search_entries begin
      insert into search_fts (search_fts, rowid, title, body) values ('delete', old.id, old.title, old.body);
    end`);
    await run(`create trigger search_entries_au after update on search_entries begin
      insert into search_fts (search_fts, rowid, title, body) values ('delete', old.id, old.title, old.body);
      insert into search_fts (rowid, title, body) values (new.id, new.title, new.body);
    end`);
  }
  await run('create index search_entries_client_idx on search_entries (client_id, occurred_on)');
  await run('create index search_entries_session_idx on search_entries (session_id, kind)');

  for (const [name, body] of Object.entries(views(pg))) {
    await run(`create view ${name} as ${body}`);
  }

  for (const source of SOURCES) {
    const base = `search_sync_${source.table}`;
    if (pg) {
      await run(`create function ${base}() returns trigger language plpgsql as $$
        begin
          if tg_op = 'INSERT' then ${resync(source, 'insert').join(' ')}
          elsif tg_op = 'UPDATE' then ${resync(source, 'update').join(' ')}
          else ${resync(source, 'delete').join(' ')}
          end if;
          return null;
        end $$`);
      await run(`create trigger ${base} after insert or update or delete on ${source.table} for each row execute function ${base}()`);
    } else {
      for (const op of ['insert', 'update', 'delete'] as const) {
        await run(`create trigger ${base}_${op} after ${op} on ${source.table} begin ${resync(source, op).join(' ')} end`);
      }
    }
  }
  if (pg) {
    await run(`create function search_sync_listening_sessions() returns trigger language plpgsql as $$
      begin ${SESSION_RESYNC.join(' ')} return null; end $$`);
    await run(
      `create trigger search_sync_listening_sessions after update of ${SESSION_COLUMNS} on listening_sessions for each row execute function search_sync_listening_sessions()`,
    );
  } else {
    await run(
      `create trigger search_sync_listening_sessions_update after update of ${SESSION_COLUMNS} on listening_sessions begin ${SESSION_RESYNC.join(' ')} end`,
    );
  }

  // Index what an existing database already holds.
  for (const name of Object.keys(views(pg))) {
    await run(`insert into search_entries (${COLUMNS}) select ${COLUMNS} from ${name}`);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const run = (statement: string) => sql.raw(statement).execute(db);
  for (const source of SOURCES) {
    const base = `search_sync_${source.table}`;
    if (pg) {
      await run(`drop trigger if exists ${base} on ${source.table}`);
      await run(`drop function if exists ${base}()`);
    } else {
      for (const op of ['insert', 'update', 'delete']) {
        await run(`drop trigger if exists ${base}_${op}`);
      }
    }
  }
  if (pg) {
    await run('drop trigger if exists search_sync_listening_sessions on listening_sessions');
    await run('drop function if exists search_sync_listening_sessions()');
  } else {
    await run('drop trigger if exists search_sync_listening_sessions_update');
  }
  for (const name of Object.keys(views(pg))) {
    await run(`drop view if exists ${name}`);
  }
  if (!pg) {
    await run('drop table if exists search_fts');
  }
  await run('drop table if exists search_entries');
}
