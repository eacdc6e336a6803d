import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  type KyselyPlugin,
  type Kysely as KyselyType,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresAdapter,
  PostgresDialect,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  SqliteDialect,
  type UnknownRow,
  type ValueNode,
} from 'kysely';
import type pgModule from 'pg';
import type { Database } from './schema.js';

export type Db = KyselyType<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: DialectName;
  /** The raw SQLite connection, for online backups; undefined on PostgreSQL. */
  sqlite?: SqliteDatabase.Database;
  close(): Promise<void>;
}

let pgLoaded: typeof pgModule | undefined;

/**
 * The PostgreSQL driver, loaded on first use: a SQLite install never pays for it at start-up.
 * PostgreSQL hands back timestamptz as Date and int8/numeric as strings; the API speaks ISO
 * strings and numbers, and SQLite already returns those, so both dialects read the same.
 */
function loadPg(): typeof pgModule {
  if (!pgLoaded) {
    const pg = createRequire(import.meta.url)('pg') as typeof pgModule;
    pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz
    pg.types.setTypeParser(1114, (v) => new Date(`${v}Z`).toISOString()); // timestamp
    pg.types.setTypeParser(1082, (v) => v); // date stays YYYY-MM-DD
    pg.types.setTypeParser(20, (v) => Number(v)); // int8 (count)
    pg.types.setTypeParser(1700, (v) => Number(v)); // numeric
    pgLoaded = pg;
  }
  return pgLoaded;
}

/** better-sqlite3 refuses to bind booleans, so writes turn them into 0/1 before they reach it. */
class BooleanToIntegerTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = typeof node.value === 'boolean' ? Number(node.value) : node.value;
    return super.transformValue({ ...node, value });
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    const values = node.values.map((v) => (typeof v === 'boolean' ? Number(v) : v));
    return super.transformPrimitiveValueList({ ...node, values });
  }
}

class SqliteBooleanPlugin implements KyselyPlugin {
  readonly #transformer = new BooleanToIntegerTransformer();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * Kysely's SQLite driver prepares every query afresh, and preparing costs about as much as
 * running a small indexed query (about 13% of the server's CPU in the benchmark's profile). The
 * same SQL text recurs on every request, so statements are kept in a bounded map (oldest out
 * first). A statement still being iterated is never handed out twice.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, max = 1000) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        return cached;
      }
      const stmt = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= max) {
          cache.delete(cache.keys().next().value as string);
        }
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** Opens the embedded SQLite file with the settings a server needs: WAL, foreign keys, a busy wait. */
export function openSqlite(file: string): DbHandle {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    plugins: [new SqliteBooleanPlugin()],
  });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

export function openPostgres(url: string, poolSize = 10): DbHandle {
  const pool = new (loadPg().Pool)({ connectionString: url, max: poolSize });
  // An idle connection that the server drops (restart, failover, pg_terminate_backend) is an
  // 'error' event on the pool; unheard, it would crash the process. The pool has already
  // discarded that connection and opens a new one on demand.
  pool.on('error', (err) => process.stderr.write(`hearken: an idle PostgreSQL connection was closed (${err.message}); reconnecting on demand\n`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** PostgreSQL when a URL is given, otherwise the SQLite file in the data directory. */
export function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string }): DbHandle {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(`${opts.dataDir}/hearken.db`);
}

// biome-ignore lint/suspicious/noExplicitAny: any database schema will do
export function dialectOf(db: KyselyType<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
