import { type ColumnDataType, type Expression, type Kysely, sql } from 'kysely';

/**
 * The few column types that differ between SQLite and PostgreSQL (after n8n's column map):
 * timestamps are ISO text / timestamptz, booleans 0/1 integers / boolean, money a double.
 * Frozen with the migrations that use it: change a type in a new migration, not here.
 */
export function columnTypes(db: Kysely<unknown>) {
  const pg = isPostgres(db);
  return {
    id: 'text' as ColumnDataType,
    timestamp: (pg ? 'timestamptz' : 'text') as ColumnDataType,
    date: (pg ? 'date' : 'text') as ColumnDataType,
    bool: (pg ? 'boolean' : 'integer') as ColumnDataType,
    double: (pg ? 'double precision' : 'real') as ColumnDataType,
    falseValue: (pg ? sql`false` : sql`0`) as Expression<unknown>,
    trueValue: (pg ? sql`true` : sql`1`) as Expression<unknown>,
  };
}

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}
