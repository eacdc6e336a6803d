import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline as pipelineWithCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import type { Command } from 'commander';
import { type Kysely, sql } from 'kysely';
import { resetAnalyticsCache } from '../analytics/cache.js';
import { type Db, type DbHandle, type DialectName, openDatabase } from '../db/connect.js';
import { migrateToLatest, migrator } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { rebuildSearchIndex } from '../search/indexer.js';
import { loadConfig } from '../server/config.js';
import {
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BACKUP_VERSION,
  BackupFileError,
  type BackupHeader,
  type BackupTable,
  DERIVED_TABLE_PATTERN,
  endLine,
  headerLine,
  insertBatchSize,
  normaliseValue,
  parseBodyLine,
  parseHeaderLine,
  rowLine,
  type Scalar,
  SEEDED_TABLES,
} from './backup-format.js';
import { CliError, fail } from './io.js';

/** Tables are chosen at run time here, so queries go through an untyped view of the database. */
// biome-ignore lint/suspicious/noExplicitAny: table and column names come from BACKUP_TABLES and the database's catalogue
type AnyDb = Kysely<any>;
type Row = Record<string, Scalar>;

/** table → column → type, as the database itself describes them. */
export type Catalogue = Map<string, Map<string, string>>;

const INTERNAL_TABLE = /^(kysely_|sqlite_)/;
/** Longest line a restore accepts: far beyond any real row, short of exhausting memory on a bad file. */
const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/**
 * The tables and columns of the connected database (of its current schema on PostgreSQL),
 * including Kysely's migration tables, with types in lower case.
 */
export async function readCatalogue(db: AnyDb, dialect: DialectName): Promise<Catalogue> {
  const query =
    dialect === 'postgres'
      ? sql<{ table_name: string; column_name: string; data_type: string }>`
          select c.table_name, c.column_name, c.data_type
          from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
          where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
          order by c.table_name, c.ordinal_position`
      : sql<{ table_name: string; column_name: string; data_type: string }>`
          select m.name as table_name, p.name as column_name, p.type as data_type
          from sqlite_master m join pragma_table_info(m.name) p
          where m.type = 'table'
          order by m.name, p.cid`;
  const { rows } = await query.execute(db);
  const catalogue: Catalogue = new Map();
  for (const r of rows) {
    const columns = catalogue.get(r.table_name) ?? new Map<string, string>();
    columns.set(r.column_name, r.data_type.toLowerCase());
    catalogue.set(r.table_name, columns);
  }
  return catalogue;
}

/**
 * The tables to back up, in BACKUP_TABLES order: those the database has (an older schema may
 * lack later ones). A table this build does not know would be silently left out, so it stops
 * the backup instead.
 */
export function tablesInDatabase(catalogue: Catalogue): BackupTable[] {
  const known = new Set<string>(BACKUP_TABLES.map((t) => t.name));
  const unknown = [...catalogue.keys()].filter((name) => !INTERNAL_TABLE.test(name) && !DERIVED_TABLE_PATTERN.test(name) && !known.has(name));
  if (unknown.length > 0) {
    throw new CliError(`the database has table(s) this build of Hearken does not back up: ${unknown.join(', ')}; use the Hearken version that created them`);
  }
  return BACKUP_TABLES.filter((t) => catalogue.has(t.name));
}

/** Names of every migration this build knows, in order. */
async function knownMigrations(db: Db): Promise<string[]> {
  return (await migrator(db).getMigrations()).map((m) => m.name);
}

/** Names of the migrations applied to the database, in order; empty for a database Hearken never touched. */
async function appliedMigrations(db: AnyDb, catalogue: Catalogue): Promise<string[]> {
  if (!catalogue.has('kysely_migration')) {
    return [];
  }
  const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
  return rows.map((r: { name: string }) => String(r.name));
}

/** The database's schema version (its last migration), after checking this build knows every migration it has had. */
function schemaVersionOf(applied: string[], known: string[]): string | undefined {
  const foreign = applied.filter((name) => !known.includes(name));
  if (foreign.length > 0) {
    throw new CliError(`the database has been migrated by a newer Hearken (${foreign.join(', ')}); use that version or a later one`);
  }
  return applied.at(-1);
}

async function countRows(db: AnyDb, tables: readonly BackupTable[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const row = await db
      .selectFrom(t.name)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[t.name] = Number(row.n);
  }
  return counts;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  header: BackupHeader;
  counts: Record<string, number>;
}

/**
 * Runs `fn` in one read transaction, so that everything it reads comes from one moment even
 * while the server keeps writing: REPEATABLE READ on PostgreSQL; on SQLite in WAL mode a read
 * transaction sees the database as it was at its first read.
 */
function inSnapshot<T>(database: DbHandle, fn: (trx: AnyDb) => Promise<T>): Promise<T> {
  const builder = database.db.transaction();
  const configured = database.dialect === 'postgres' ? builder.setIsolationLevel('repeatable read').setAccessMode('read only') : builder;
  return configured.execute((trx) => fn(trx as unknown as AnyDb));
}

/** Reads a table page by page in key order, without holding it all in memory. */
async function* tablePages(db: AnyDb, t: BackupTable, pageSize: number): AsyncGenerator<Row[]> {
  let after: Scalar[] | undefined;
  for (;;) {
    const last = after;
    let query = db.selectFrom(t.name).selectAll();
    if (last) {
      // A row-value comparison, (k1, k2) > (v1, v2): both dialects answer it from the primary-key index.
      const columns = sql.join(t.key.map((column) => sql.ref(column)));
      query = query.where(sql<boolean>`(${columns}) > (${sql.join(last)})`);
    }
    for (const column of t.key) {
      query = query.orderBy(column);
    }
    const rows = (await query.limit(pageSize).execute()) as Row[];
    if (rows.length > 0) {
      yield rows;
    }
    if (rows.length < pageSize) {
      return;
    }
    const final = rows[rows.length - 1] as Row;
    after = t.key.map((column) => final[column] ?? null);
  }
}

/**
 * Writes a consistent backup of the whole database to `file` while the server keeps running.
 * The file is written beside the target and renamed into place once complete and flushed, so
 * a failed backup never leaves a partial file under the real name. It holds password hashes
 * and session digests, so only its owner may read it.
 */
export async function writeBackup(database: DbHandle, file: string, opts: { pageSize?: number } = {}): Promise<BackupSummary> {
  const pageSize = opts.pageSize ?? 500;
  const target = resolve(file);
  if (!existsSync(dirname(target))) {
    throw new CliError(`cannot write ${target}: the folder ${dirname(target)} does not exist`);
  }
  const temporary = `${target}.tmp-${process.pid}`;
  const known = await knownMigrations(database.db);
  try {
    const { header, counts } = await inSnapshot(database, async (trx) => {
      const catalogue = await readCatalogue(trx, database.dialect);
      const tables = tablesInDatabase(catalogue);
      const schemaVersion = schemaVersionOf(await appliedMigrations(trx, catalogue), known);
      if (!schemaVersion) {
        throw new CliError('the database has no Hearken schema, so there is nothing to back up (check HEARKEN_DATA_DIR or DATABASE_URL)');
      }
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        schemaVersion,
        createdAt: new Date().toISOString(),
        dialect: database.dialect,
        tables: tables.map((t) => t.name),
        columns: Object.fromEntries(tables.map((t) => [t.name, Object.fromEntries(catalogue.get(t.name) ?? [])])),
      };
      const counts: Record<string, number> = Object.fromEntries(tables.map((t) => [t.name, 0]));
      async function* lines() {
        yield headerLine(header);
        for (const t of tables) {
          for await (const rows of tablePages(trx, t, pageSize)) {
            counts[t.name] = (counts[t.name] ?? 0) + rows.length;
            yield rows.map((row) => rowLine(t.name, row)).join('');
          }
        }
        yield endLine(counts);
      }
      await pipeline(lines, createGzip(), createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
      return { header, counts };
    });
    // Flushed to disk before the rename, so that a crash cannot leave an empty file under the real name.
    const handle = await open(temporary, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    return { file: target, bytes: (await stat(target)).size, header, counts };
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/**
 * The lines of a backup file, decompressed on the fly. A file that is not gzip is refused on
 * its first bytes; a damaged or truncated one fails while it is read.
 */
async function* backupLines(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new BackupFileError(err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.message})`);
  });
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    if (bytesRead < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
      throw new BackupFileError('is not a Hearken backup (it is not gzip-compressed)');
    }
  } finally {
    await handle.close();
  }
  // pipeline() destroys every stage when one fails, so a read or zlib error ends the loop below with that error.
  const decompressed = pipelineWithCallback(createReadStream(file), createGunzip(), () => {});
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of decompressed) {
      pending += decoder.write(chunk as Buffer);
      let start = 0;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        yield pending.slice(start, newline);
        start = newline + 1;
        newline = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE_LENGTH) {
        throw new BackupFileError('is damaged (a line is longer than any backup writes)');
      }
    }
  } catch (err) {
    if (err instanceof BackupFileError) {
      throw err;
    }
    throw new BackupFileError(`is damaged (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    decompressed.destroy();
  }
  pending += decoder.end();
  if (pending.length > 0) {
    yield pending;
  }
}

/** Reads and checks a backup's header without touching any database. */
export async function readBackupHeader(file: string, known: readonly string[]): Promise<BackupHeader> {
  let first: string | undefined;
  for await (const line of backupLines(file)) {
    first = line;
    break;
  }
  const header = parseHeaderLine(first);
  if (!known.includes(header.schemaVersion)) {
    throw new BackupFileError(
      `has schema version ${header.schemaVersion}, which this build of Hearken does not know (it knows ${known.join(', ')}): restore it with the version that wrote it, or a newer one`,
    );
  }
  return header;
}

export interface RestoreSummary {
  header: BackupHeader;
  counts: Record<string, number>;
  /** Migrations applied after the restore, to bring an older backup up to this build's schema. */
  migrated: string[];
}

/** Where a restore is in the file, so that an error can say where it stopped. */
interface Position {
  line: number;
  table: string | undefined;
}

/**
 * Inserts the rows of a backup in one go, batched per table; `trx` is the restore's
 * transaction. Checks as it goes that the rows follow the header's table order and fit the
 * database's columns, and at the end that the end marker's counts match what was read.
 */
async function insertRows(
  trx: AnyDb,
  file: string,
  header: BackupHeader,
  catalogue: Catalogue,
  dialect: DialectName,
  position: Position,
): Promise<Record<string, number>> {
  const specs = new Map<string, BackupTable>(BACKUP_TABLES.map((t) => [t.name, t]));
  const counts: Record<string, number> = Object.fromEntries(header.tables.map((t) => [t, 0]));
  let tableIndex = -1;
  let batch: Row[] = [];
  let batchColumns = '';
  /** Self-references held back until every row of their table is in: key values, column, value. */
  let deferred: { key: Scalar[]; column: string; value: Scalar }[] = [];
  let ended = false;

  const flush = async () => {
    if (batch.length > 0 && position.table) {
      await trx.insertInto(position.table).values(batch).execute();
    }
    batch = [];
    batchColumns = '';
  };
  const finishTable = async () => {
    await flush();
    const spec = position.table ? specs.get(position.table) : undefined;
    for (const d of deferred) {
      if (spec) {
        let update = trx.updateTable(spec.name).set({ [d.column]: d.value });
        for (const [i, column] of spec.key.entries()) {
          update = update.where(column, '=', d.key[i] ?? null);
        }
        await update.execute();
      }
    }
    deferred = [];
  };

  position.line = 0;
  for await (const line of backupLines(file)) {
    position.line += 1;
    if (position.line === 1) {
      continue; // the header, checked before the transaction began
    }
    if (ended) {
      throw new BackupFileError(`is damaged: line ${position.line} follows the end marker`);
    }
    const parsed = parseBodyLine(line, position.line);
    if ('end' in parsed) {
      await finishTable();
      for (const name of header.tables) {
        if (parsed.counts[name] !== counts[name]) {
          throw new BackupFileError(`is damaged: it should hold ${parsed.counts[name] ?? 0} row(s) of ${name} but holds ${counts[name]}`);
        }
      }
      ended = true;
      continue;
    }
    if (parsed.table !== position.table) {
      const index = header.tables.indexOf(parsed.table);
      if (index < 0) {
        throw new BackupFileError(`is damaged: line ${position.line} has a row of ${parsed.table}, a table its header does not list`);
      }
      if (index < tableIndex) {
        throw new BackupFileError(`is damaged: line ${position.line} has a row of ${parsed.table} out of the header's table order`);
      }
      await finishTable();
      tableIndex = index;
      position.table = parsed.table;
    }
    const tableName = parsed.table;
    const spec = specs.get(tableName);
    const columns = catalogue.get(tableName);
    if (!spec || !columns) {
      throw new BackupFileError(`is damaged: line ${position.line} has a row of ${tableName}, which this database does not have`);
    }
    const sourceColumns = header.columns[tableName] ?? {};
    const row: Row = {};
    for (const [column, value] of Object.entries(parsed.row)) {
      const targetType = columns.get(column);
      if (targetType === undefined) {
        throw new BackupFileError(`does not fit this database: ${tableName} has no column ${column}`);
      }
      try {
        row[column] = normaliseValue(value, sourceColumns[column], targetType, dialect);
      } catch (err) {
        throw err instanceof BackupFileError ? new BackupFileError(`${err.message} (line ${position.line}, ${tableName}.${column})`) : err;
      }
    }
    for (const column of spec.selfReferences) {
      const value = row[column];
      if (value !== undefined && value !== null) {
        deferred.push({ key: spec.key.map((k) => row[k] ?? null), column, value });
        row[column] = null;
      }
    }
    const signature = Object.keys(row).join('\u0000');
    if (batch.length > 0 && signature !== batchColumns) {
      await flush();
    }
    batchColumns = signature;
    batch.push(row);
    counts[tableName] = (counts[tableName] ?? 0) + 1;
    if (batch.length >= insertBatchSize(Object.keys(row).length)) {
      await flush();
    }
  }
  if (!ended) {
    throw new BackupFileError('is incomplete: its end marker is missing, so it was cut short');
  }
  return counts;
}

/**
 * Replaces everything in the database with the contents of a backup, in one transaction, so
 * that a failed restore leaves the database as it was. The database is first brought to the
 * backup's schema version (a fresh one is migrated up to it), and after the restore to this
 * build's latest, so that an older backup goes through the same migrations as live data.
 * A database that already holds data is replaced only with `force`.
 */
export async function restoreBackup(database: DbHandle, file: string, opts: { force?: boolean } = {}): Promise<RestoreSummary> {
  const db = database.db as unknown as AnyDb;
  const known = await knownMigrations(database.db);
  const header = await readBackupHeader(file, known).catch((err: unknown) => {
    throw err instanceof BackupFileError ? new CliError(`${file} ${err.message}`) : err;
  });

  let catalogue = await readCatalogue(db, database.dialect);
  const current = schemaVersionOf(await appliedMigrations(db, catalogue), known);
  const existing = await countRows(db, tablesInDatabase(catalogue));
  const held = Object.entries(existing).filter(([table, n]) => n > 0 && !SEEDED_TABLES.has(table as keyof Database));
  if (held.length > 0 && !opts.force) {
    throw new CliError(
      `the database already holds data (${held.map(([t, n]) => `${n} ${t}`).join(', ')}); a restore replaces all of it, so pass --force if that is what you want`,
    );
  }
  if (current !== header.schemaVersion) {
    if (current !== undefined && known.indexOf(current) > known.indexOf(header.schemaVersion) && held.length > 0) {
      throw new CliError(
        `the database is at schema version ${current}, newer than the backup's ${header.schemaVersion}: restore it into an empty database (a new data directory or DATABASE_URL)`,
      );
    }
    const { error } = await migrator(database.db).migrateTo(header.schemaVersion);
    if (error) {
      throw new CliError(
        `could not bring the database to the backup's schema version ${header.schemaVersion}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    catalogue = await readCatalogue(db, database.dialect);
  }

  const tables = tablesInDatabase(catalogue);
  const expected = tables.map((t) => t.name).join(', ');
  if (header.tables.join(', ') !== expected) {
    throw new CliError(
      `${file} does not fit schema version ${header.schemaVersion}: it has the tables ${header.tables.join(', ')}, where ${expected} were expected`,
    );
  }

  const position: Position = { line: 0, table: undefined };
  let counts: Record<string, number>;
  try {
    counts = await db.transaction().execute(async (trx) => {
      for (const t of [...tables].reverse()) {
        await trx.deleteFrom(t.name).execute();
      }
      return insertRows(trx, file, header, catalogue, database.dialect, position);
    });
  } catch (err) {
    if (err instanceof BackupFileError) {
      throw new CliError(`${file} ${err.message}; nothing was restored`);
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(`the restore stopped at line ${position.line} of ${file} (${position.table ?? 'header'}): ${reason}; nothing was restored`);
  }
  const migrated = await migrateToLatest(database.db);
  // The search index and the analytics cache are derived, not in the backup: refill the index
  // now; the cache rebuilds itself on the next read once it forgets what it was computed under.
  await rebuildSearchIndex(database.db);
  await resetAnalyticsCache(database.db);
  return { header, counts, migrated };
}

/** "  users           12" lines, for the commands' output. */
export function formatCounts(counts: Record<string, number>): string {
  const width = Math.max(...Object.keys(counts).map((t) => t.length));
  return Object.entries(counts)
    .map(([t, n]) => `  ${t.padEnd(width)}  ${n}\n`)
    .join('');
}

/**
 * Opens the configured database as it is, without migrating it: a backup must not change the
 * schema under a running server, and a restore brings the schema to the backup's version itself.
 */
async function withExistingDatabase<T>(fn: (database: DbHandle) => Promise<T>, opts: { mustExist: boolean }): Promise<T> {
  const config = loadConfig();
  if (!config.databaseUrl && opts.mustExist && !existsSync(join(config.dataDir, 'hearken.db'))) {
    throw new CliError(`there is no database at ${join(config.dataDir, 'hearken.db')} (check HEARKEN_DATA_DIR, or set DATABASE_URL for PostgreSQL)`);
  }
  const database = openDatabase(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

export function registerBackupCommands(program: Command) {
  program
    .command('backup')
    .description('Write a consistent backup of the whole database to FILE (gzip-compressed JSON lines); safe while the server runs')
    .argument('<file>', 'where to write the backup, e.g. hearken-2025-01-31.jsonl.gz')
    .action(async (file: string) => {
      try {
        const summary = await withExistingDatabase((database) => writeBackup(database, file), { mustExist: true });
        const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
        process.stdout.write(
          `Backed up ${rows} rows from ${summary.header.tables.length} tables (schema ${summary.header.schemaVersion}) to ${summary.file} (${summary.bytes} bytes):\n`,
        );
        process.stdout.write(formatCounts(summary.counts));
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('restore')
    .description('Replace everything in the database with the contents of a backup, in one transaction (stop the server first)')
    .argument('<file>', 'a file written by hearken backup')
    .option('--force', 'replace the data already in the database')
    .action(async (file: string, opts: { force?: boolean }) => {
      try {
        const summary = await withExistingDatabase((database) => restoreBackup(database, file, { force: opts.force ?? false }), { mustExist: false });
        const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
        process.stdout.write(
          `Restored ${rows} rows from ${resolve(file)} (taken ${summary.header.createdAt} from ${summary.header.dialect}, schema ${summary.header.schemaVersion}):\n`,
        );
        process.stdout.write(formatCounts(summary.counts));
        if (summary.migrated.length > 0) {
          process.stdout.write(`Then applied ${summary.migrated.join(', ')}\n`);
        }
      } catch (err) {
        fail(err);
      }
    });
}
