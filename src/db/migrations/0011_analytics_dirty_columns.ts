import { type Kysely, sql } from 'kysely';
import { isPostgres } from './columns.js';

/**
 * Marks a client dirty on an update only when a column its cached figures read changed
 * (migration 0009 marked every update). Measured at the benchmark's scale: the hourly loop
 * sweep escalating a backlog of actions (an update of escalated_at, which no figure reads)
 * marked thousands of clients, and the next firm-wide dashboard read recomputed them all
 * (9 s). Inserts and deletes still mark the client.
 */
const WATCHED: { table: string; column: string; update: string[] | null }[] = [
  { table: 'clients', column: 'id', update: ['status', 'annual_fees', 'is_key_client'] },
  { table: 'contacts', column: 'client_id', update: ['client_id', 'name', 'left_on', 'is_decision_maker'] },
  { table: 'client_team', column: 'client_id', update: null },
  { table: 'listening_sessions', column: 'client_id', update: ['client_id', 'status', 'completed_at', 'nps', 'satisfaction'] },
  { table: 'insights', column: 'client_id', update: ['client_id', 'type', 'severity', 'heard_on', 'confidentiality', 'contact_id'] },
  { table: 'actions', column: 'client_id', update: ['client_id', 'status', 'due_on', 'insight_id'] },
  { table: 'problems', column: 'client_id', update: ['client_id', 'status'] },
  { table: 'check_ins', column: 'client_id', update: null },
  { table: 'cadences', column: 'client_id', update: null },
];

const mark = (value: string) =>
  `insert into analytics_dirty (client_id, version) values (${value}, 1) on conflict (client_id) do update set version = analytics_dirty.version + 1;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  for (const { table, column, update } of WATCHED) {
    if (update === null) {
      continue;
    }
    if (isPostgres(db)) {
      await run(`drop trigger if exists analytics_dirty_${table} on ${table}`);
      await run(`create trigger analytics_dirty_${table} after insert or delete on ${table} for each row execute function analytics_mark_dirty('${column}')`);
      await run(
        `create trigger analytics_dirty_${table}_update after update of ${update.join(', ')} on ${table} for each row execute function analytics_mark_dirty('${column}')`,
      );
    } else {
      await run(`drop trigger if exists analytics_dirty_${table}_update`);
      await run(
        `create trigger analytics_dirty_${table}_update after update of ${update.join(', ')} on ${table} begin ${mark(`old.${column}`)} ${mark(`new.${column}`)} end`,
      );
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  for (const { table, column, update } of WATCHED) {
    if (update === null) {
      continue;
    }
    if (isPostgres(db)) {
      await run(`drop trigger if exists analytics_dirty_${table}_update on ${table}`);
      await run(`drop trigger if exists analytics_dirty_${table} on ${table}`);
      await run(
        `create trigger analytics_dirty_${table} after insert or update or delete on ${table} for each row execute function analytics_mark_dirty('${column}')`,
      );
    } else {
      await run(`drop trigger if exists analytics_dirty_${table}_update`);
      await run(`create trigger analytics_dirty_${table}_update after update on ${table} begin ${mark(`old.${column}`)} ${mark(`new.${column}`)} end`);
    }
  }
}
