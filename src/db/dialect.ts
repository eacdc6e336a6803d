import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { dialectOf } from './connect.js';

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Case-insensitive "contains", native on each dialect (SQLite's LIKE already ignores ASCII case). */
// biome-ignore lint/suspicious/noExplicitAny: any database schema will do
export function containsText(db: Kysely<any>, column: Expression<string | null>, text: string): Expression<SqlBool> {
  const op = dialectOf(db) === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  return sql<SqlBool>`${column} ${op} ${likePattern(text)} escape '\\'`;
}
