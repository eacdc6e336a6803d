/**
 * The database cost of full-text search (src/search), in-process, on the benchmark's firm:
 * times `search()` for the benchmark partner and programme lead, then prints each SQL statement
 * it ran with SQLite's EXPLAIN QUERY PLAN and the time of that statement alone.
 *
 * Works on a scratch copy of the cached firm (bench/.cache, made by `npm run bench`), migrated
 * to the latest schema, so the cache itself is never written to. No ANALYZE: the served database
 * has no statistics either, so the plans are the server's.
 *
 * Usage: npx tsx bench/explain-search.ts [--fresh] [--ms 3000] [term …]
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { actorOf } from '../src/firm/auth.js';
import { SearchQuery } from '../src/search/schemas.js';
import { search } from '../src/search/search.js';
import type { ServiceContext } from '../src/server/context.js';
import { timeLoop } from './db-floor.js';
import type { Dataset } from './generate.js';

const { values: flags, positionals } = parseArgs({
  options: { fresh: { type: 'boolean', default: false }, ms: { type: 'string', default: '3000' } },
  allowPositionals: true,
});
const terms = positionals.length > 0 ? positionals : ['invoicing', 'patchy', 'board late', 'senior associate'];
const durationMs = Number(flags.ms);

const cacheRoot = join(import.meta.dirname, '.cache');
const cached = existsSync(cacheRoot) ? readdirSync(cacheRoot).find((d) => d.startsWith('firm-') && d.includes('-full-')) : undefined;
if (!cached) {
  throw new Error('no full firm in bench/.cache: run `npm run bench` once (or generate one) first');
}
const dataset = JSON.parse(readFileSync(join(cacheRoot, cached, 'dataset.meta'), 'utf8')) as Dataset;
const scratchDir = join(tmpdir(), 'hearken-explain-search');
const file = join(scratchDir, 'hearken.db');
if (flags.fresh || !existsSync(file)) {
  mkdirSync(scratchDir, { recursive: true });
  copyFileSync(join(cacheRoot, cached, 'hearken.db'), file);
}
const handle = openSqlite(file);
const sqlite = handle.sqlite;
if (!sqlite) {
  throw new Error('expected SQLite');
}
const applied = await migrateToLatest(handle.db);
if (applied.length > 0) {
  process.stdout.write(`migrated the scratch copy: ${applied.join(', ')}\n`);
}

// Every statement the app prepares, with the parameters of its last run, for EXPLAIN.
const statements = new Map<string, unknown[]>();
const prepare = sqlite.prepare.bind(sqlite);
sqlite.prepare = ((text: string) => {
  const stmt = prepare(text);
  return new Proxy(stmt, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'all' || prop === 'iterate' || prop === 'get' || prop === 'run') {
        return (...args: unknown[]) => {
          statements.set(text, (args[0] as unknown[]) ?? []);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}) as typeof sqlite.prepare;

async function contextOf(userId: string): Promise<ServiceContext> {
  const row = await handle.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  return { db: handle.db, actor: actorOf(row) };
}

const readers = [
  { name: 'partner', ctx: await contextOf(dataset.benchUser.id) },
  { name: 'programme lead', ctx: await contextOf(dataset.benchLead.id) },
];

for (const reader of readers) {
  process.stdout.write(`\n=== ${reader.name} ===\n`);
  for (const q of terms) {
    const first = await search(reader.ctx, SearchQuery.parse({ q }));
    process.stdout.write(`  ${JSON.stringify(q)}: total ${first.total}, page ${first.items.length}\n`);
  }
  statements.clear();
  const timing = await timeLoop((i) => search(reader.ctx, SearchQuery.parse({ q: terms[i % terms.length] })), {
    warmupMs: 500,
    durationMs,
  });
  process.stdout.write(
    `  search() over ${terms.length} terms: ${timing.calls} calls, cpu ${timing.cpuMs.toFixed(2)} ms/call, p50 ${timing.p50Ms.toFixed(2)} ms, p99 ${timing.p99Ms.toFixed(2)} ms\n`,
  );
  // The statements of one term, each alone: plan and time.
  statements.clear();
  await search(reader.ctx, SearchQuery.parse({ q: terms[0] }));
  for (const [text, params] of statements) {
    const stmt = prepare(text);
    const runs = 5;
    const t0 = performance.now();
    for (let k = 0; k < runs; k += 1) {
      stmt.all(...params);
    }
    const ms = (performance.now() - t0) / runs;
    process.stdout.write(`\n  -- ${ms.toFixed(2)} ms: ${text.slice(0, 160)}${text.length > 160 ? '…' : ''}\n`);
    for (const step of prepare(`explain query plan ${text}`).all(...params) as { id: number; parent: number; detail: string }[]) {
      process.stdout.write(`     ${step.parent} ${step.id} ${step.detail}\n`);
    }
  }
}
await handle.close();
