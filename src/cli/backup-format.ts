/**
 * The backup file format, with no I/O: one gzip-compressed file of JSON lines, the same for
 * SQLite and PostgreSQL, so that a backup can be restored into either.
 *
 *   line 1     the header: {format, version, schemaVersion, createdAt, dialect, tables, columns}
 *   lines 2…   one row each, {table, row}, tables in BACKUP_TABLES order (parents first)
 *   last line  the end marker, {end: true, counts}: without it the file was cut short
 *
 * Rows hold values as the source database returned them (booleans are 0/1 from SQLite and
 * true/false from PostgreSQL); the header's column types let a restore convert them for the
 * database it writes to (`normaliseValue`).
 */
import { z } from 'zod';
import type { DialectName } from '../db/connect.js';
import type { Database } from '../db/schema.js';

export const BACKUP_FORMAT = 'hearken-backup';
/** Bump when the file layout changes; a restore refuses versions newer than it knows. */
export const BACKUP_VERSION = 1;

export interface BackupTable {
  name: keyof Database;
  /** The primary key: rows are read in this order, page by page (keyset pagination). */
  key: readonly string[];
  /** Columns that refer to rows of the same table, written after the table's rows are in. */
  selfReferences: readonly string[];
}

function table<T extends keyof Database>(
  name: T,
  key: readonly (keyof Database[T] & string)[],
  selfReferences: readonly (keyof Database[T] & string)[] = [],
): BackupTable & { readonly name: T } {
  return { name, key, selfReferences };
}

/**
 * Every table, parents before children: the order a backup writes and a restore inserts (and
 * the reverse of the order it deletes). Adding a table to `Database` without listing it here
 * fails the type check below; a table in the database that is missing here stops a backup.
 */
export const BACKUP_TABLES = [
  table('users', ['id']),
  table('teams', ['id']),
  table('team_members', ['team_id', 'user_id']),
  table('auth_sessions', ['id']),
  table('api_tokens', ['id']),
  table('clients', ['id'], ['parent_id']),
  table('client_wall_members', ['client_id', 'user_id']),
  table('contacts', ['id']),
  table('matters', ['id']),
  table('client_team', ['client_id', 'user_id']),
  table('audit_log', ['id']),
  table('programmes', ['id']),
  table('programme_partners', ['programme_id', 'user_id']),
  table('nominations', ['id']),
  table('nomination_events', ['id']),
  table('interview_guides', ['id']),
  table('guide_versions', ['id']),
  table('score_dimensions', ['key']),
  table('listening_sessions', ['id']),
  table('session_contacts', ['session_id', 'contact_id']),
  table('session_attendees', ['session_id', 'user_id']),
  table('session_answers', ['session_id', 'question_key']),
  table('session_scores', ['session_id', 'dimension']),
  table('session_remarks', ['id']),
  table('themes', ['id'], ['parent_id']),
  table('insights', ['id']),
  table('insight_themes', ['insight_id', 'theme_id']),
  table('actions', ['id']),
  table('action_comments', ['id']),
  table('settings', ['key']),
  table('cadences', ['id']),
  table('check_ins', ['id']),
  table('problems', ['id']),
  table('referrals', ['id']),
  table('recovery_checks', ['id']),
  table('notifications', ['id']),
  table('email_outbox', ['id']),
  table('preferences', ['id']),
  table('preference_history', ['id']),
  table('calendar_feed_tokens', ['id']),
  table('health_snapshots', ['id']),
] as const;

/**
 * Tables a migration fills with defaults (the default interview guide, the score dimensions):
 * rows there alone do not make a database "hold data" that a restore would have to force over.
 */
export const SEEDED_TABLES: ReadonlySet<keyof Database> = new Set(['interview_guides', 'guide_versions', 'score_dimensions', 'themes', 'settings']);

/**
 * Derived tables: rebuilt from the others (the search index, kept by triggers and refilled by
 * `rebuildSearchIndex`; the analytics cache, rebuilt on the next read after `resetAnalyticsCache`),
 * so a backup leaves them out and a restore fills them again. The FTS5
 * shadow tables of SQLite's index are not in `Database` but are in the database's catalogue.
 */
export const DERIVED_TABLES = [
  'search_entries',
  'analytics_dirty',
  'analytics_cache_state',
  'health_current',
  'nps_quarters',
  'nps_quarter_sessions',
] as const satisfies readonly (keyof Database)[];
export const DERIVED_TABLE_PATTERN =
  /^(search_entries|search_fts(_data|_idx|_docsize|_config|_content)?|analytics_dirty|analytics_cache_state|health_current|nps_quarters|nps_quarter_sessions)$/;

type Listed = (typeof BACKUP_TABLES)[number]['name'];
type Derived = (typeof DERIVED_TABLES)[number];
type MustBeNever<T extends never> = T;
/** Compiles only while every table of the schema is listed above or declared derived (the error names the missing one). */
export type EveryTableIsBackedUp = MustBeNever<Exclude<keyof Database, Listed | Derived>>;

export const BACKUP_TABLE_NAMES: readonly string[] = BACKUP_TABLES.map((t) => t.name);

export type Scalar = string | number | boolean | null;
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const BackupHeaderSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().positive(),
  /** The last migration applied to the database the backup was taken from. */
  schemaVersion: z.string().min(1),
  createdAt: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  tables: z.array(z.string()),
  /** table → column → the column's type in the source database. */
  columns: z.record(z.string(), z.record(z.string(), z.string())),
});
export type BackupHeader = z.infer<typeof BackupHeaderSchema>;

const RowLineSchema = z.object({ table: z.string(), row: z.record(z.string(), scalar) });
const EndLineSchema = z.object({ end: z.literal(true), counts: z.record(z.string(), z.number().int().min(0)) });
export type BackupBodyLine = z.infer<typeof RowLineSchema> | z.infer<typeof EndLineSchema>;

/** Why a backup file cannot be restored; the message completes "FILE …". */
export class BackupFileError extends Error {}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/**
 * Reads and checks the header line, most telling problem first: not a backup at all, a
 * format newer than this build, then a damaged header.
 */
export function parseHeaderLine(line: string | undefined): BackupHeader {
  const value = line === undefined ? undefined : parseJson(line);
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== BACKUP_FORMAT) {
    throw new BackupFileError('is not a Hearken backup (it has no backup header)');
  }
  const version = (value as { version?: unknown }).version;
  if (typeof version === 'number' && version > BACKUP_VERSION) {
    throw new BackupFileError(
      `was written in backup format version ${version}, and this build of Hearken reads version ${BACKUP_VERSION}: use a newer hearken`,
    );
  }
  const parsed = BackupHeaderSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupFileError(`has a damaged header (${issue?.path.join('.') || 'header'}: ${issue?.message ?? 'is invalid'})`);
  }
  return parsed.data;
}

/** Reads a line after the header: a row or the end marker. */
export function parseBodyLine(line: string, lineNumber: number): BackupBodyLine {
  const value = parseJson(line);
  const row = RowLineSchema.safeParse(value);
  if (row.success) {
    return row.data;
  }
  const end = EndLineSchema.safeParse(value);
  if (end.success) {
    return end.data;
  }
  throw new BackupFileError(`is damaged: line ${lineNumber} is neither a row nor the end marker`);
}

export function headerLine(header: BackupHeader): string {
  return `${JSON.stringify(header)}\n`;
}

export function rowLine(tableName: string, row: Record<string, unknown>): string {
  return `${JSON.stringify({ table: tableName, row })}\n`;
}

export function endLine(counts: Record<string, number>): string {
  return `${JSON.stringify({ end: true, counts })}\n`;
}

const PG_TIMESTAMP_TYPES = new Set(['timestamp with time zone', 'timestamp without time zone']);

/**
 * Converts a value from the backup for a column of the database being restored into.
 * PostgreSQL booleans take SQLite's 0/1; SQLite takes PostgreSQL's true/false as 0/1, and its
 * timestamps as ISO-8601 UTC text, the form it stores them in. Anything else goes in as it
 * is, and the database's own types and constraints have the last word.
 *
 * @param sourceType the column's type where the backup was taken (from the header), if known.
 * @param targetType the column's type in the database being restored into.
 */
export function normaliseValue(value: Scalar, sourceType: string | undefined, targetType: string, target: DialectName): Scalar {
  if (value === null) {
    return null;
  }
  if (target === 'postgres') {
    if (targetType === 'boolean' && typeof value !== 'boolean') {
      if (value === 0 || value === 1) {
        return value === 1;
      }
      throw new BackupFileError(`holds ${JSON.stringify(value)} where a boolean (true/false or 0/1) belongs`);
    }
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (sourceType !== undefined && PG_TIMESTAMP_TYPES.has(sourceType) && typeof value === 'string') {
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) {
      throw new BackupFileError(`holds ${JSON.stringify(value)} where a timestamp belongs`);
    }
    return time.toISOString();
  }
  return value;
}

/**
 * Rows per INSERT: large enough to be quick, small enough to stay under the bound-parameter
 * limits (SQLite 32,766, PostgreSQL 65,535) whatever the table's width.
 */
export function insertBatchSize(columnCount: number): number {
  return Math.max(1, Math.min(500, Math.floor(10_000 / Math.max(1, columnCount))));
}
