/**
 * Where an analytics endpoint's time goes, in-process: runs the analytics services on a copy of
 * the benchmark firm (the analytics cache writes to it) as management or as the benchmark
 * partner, and prints for each call its total time, the time spent in SQL statements (per
 * statement: calls, rows returned, milliseconds, and the query plan of the heaviest) and the
 * rest, which is JavaScript (mapping, grouping, tallying) and GC.
 *
 *   npx tsx bench/profile-analytics.ts [--user management|partner] [--only nps,loop-owner,…] [--repeat N] [--plans]
 *   node --cpu-prof --cpu-prof-dir=bench/.cache/prof --import tsx bench/profile-analytics.ts --only nps   # plus a CPU profile
 *
 * It works on a copy of the cached full firm of the current generator and schema (generating it when missing).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { biasAnalytics, biasClients } from '../src/analytics/bias-service.js';
import { HealthListQuery } from '../src/analytics/health-schemas.js';
import { clientHealth, healthList } from '../src/analytics/health-service.js';
import { getLoopAnalytics } from '../src/analytics/loop-service.js';
import { npsAnalytics, npsSessions } from '../src/analytics/nps-service.js';
import { getParticipationAnalytics } from '../src/analytics/participation-service.js';
import { getRetentionAnalytics } from '../src/analytics/retention-service.js';
import { BiasClientQuery, BiasQuery, LoopQuery, NpsQuery, NpsSessionQuery, ParticipationQuery, RetentionQuery } from '../src/analytics/schemas.js';
import { openSqlite } from '../src/db/connect.js';
import { actorOf } from '../src/firm/auth.js';
import type { ServiceContext } from '../src/server/context.js';
import { FULL_FIRM, prepareDataset } from './generate.js';

const { values: flags } = parseArgs({
  options: {
    user: { type: 'string', default: 'management' },
    only: { type: 'string' },
    repeat: { type: 'string', default: '2' },
    plans: { type: 'boolean', default: false },
  },
});

interface Statement {
  sql: string;
  parameters: readonly unknown[];
  calls: number;
  rows: number;
  ms: number;
}

/**
 * Times every statement where it runs: better-sqlite3 executes synchronously, so wrapping the
 * prepared statements' all/get/run/iterate gives each statement's own time even when a service
 * awaits several queries at once.
 */
class StatementTimer {
  statements = new Map<string, Statement>();
  constructor(sqlite: NonNullable<ReturnType<typeof openSqlite>['sqlite']>) {
    const prepare = sqlite.prepare.bind(sqlite);
    const record = (sql: string, parameters: unknown[], ms: number, rows: number) => {
      const s = this.statements.get(sql) ?? { sql, parameters, calls: 0, rows: 0, ms: 0 };
      s.calls += 1;
      s.rows += rows;
      s.ms += ms;
      this.statements.set(sql, s);
    };
    (sqlite as { prepare: unknown }).prepare = (sql: string) => {
      const stmt = prepare(sql) as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const method of ['all', 'get', 'run'] as const) {
        const original = stmt[method]?.bind(stmt);
        if (original) {
          stmt[method] = (...args: unknown[]) => {
            const t0 = performance.now();
            const out = original(...args);
            record(sql, args, performance.now() - t0, Array.isArray(out) ? out.length : out ? 1 : 0);
            return out;
          };
        }
      }
      const iterate = stmt.iterate?.bind(stmt);
      if (iterate) {
        stmt.iterate = (...args: unknown[]) => {
          const t0 = performance.now();
          const rows = [...(iterate(...args) as Iterable<unknown>)];
          record(sql, args, performance.now() - t0, rows.length);
          return rows[Symbol.iterator]();
        };
      }
      return stmt;
    };
  }
  reset() {
    this.statements = new Map();
  }
}

async function main() {
  // The cached full firm for the current generator and schema (generated first if missing, as npm run bench does).
  const { dataset } = await prepareDataset(join(import.meta.dirname, '.cache'), 'full', FULL_FIRM, false);
  const scratch = mkdtempSync(join(tmpdir(), 'hearken-profile-'));
  const file = join(scratch, 'hearken.db');
  copyFileSync(dataset.dbFile, file);
  const handle = openSqlite(file);
  try {
    if (!handle.sqlite) {
      throw new Error('expected SQLite');
    }
    const timer = new StatementTimer(handle.sqlite);
    const db = handle.db;
    const userId = flags.user === 'partner' ? dataset.benchUser.id : dataset.benchManager.id;
    const row = await handle.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    const ctx: ServiceContext = { db, actor: actorOf(row) };
    const calls: Record<string, () => Promise<unknown>> = {
      nps: () => npsAnalytics(ctx, NpsQuery.parse({})),
      'nps-practice': () => npsAnalytics(ctx, NpsQuery.parse({ groupBy: 'practice' })),
      'nps-partner': () => npsAnalytics(ctx, NpsQuery.parse({ groupBy: 'partner' })),
      'nps-quarter': () => npsAnalytics(ctx, NpsQuery.parse({ groupBy: 'quarter' })),
      'nps-sessions': () => npsSessions(ctx, NpsSessionQuery.parse({})),
      bias: () => biasAnalytics(ctx, BiasQuery.parse({})),
      'bias-clients': () => biasClients(ctx, BiasClientQuery.parse({})),
      participation: () => getParticipationAnalytics(ctx, ParticipationQuery.parse({ programmeId: dataset.currentProgrammeId })),
      'loop-owner': () => getLoopAnalytics(ctx, LoopQuery.parse({ groupBy: 'owner' })),
      'loop-team': () => getLoopAnalytics(ctx, LoopQuery.parse({ groupBy: 'team' })),
      retention: () => getRetentionAnalytics(ctx, RetentionQuery.parse({})),
      health: () => healthList(ctx, HealthListQuery.parse({})),
      'health-client': () => clientHealth(ctx, dataset.healthClientIds[0] as string),
    };
    const only = flags.only?.split(',') ?? Object.keys(calls);
    const repeat = Number(flags.repeat);
    for (const name of only) {
      const call = calls[name];
      if (!call) {
        throw new Error(`unknown call ${name}: one of ${Object.keys(calls).join(', ')}`);
      }
      for (let k = 0; k <= repeat; k += 1) {
        timer.reset();
        const t0 = performance.now();
        const out = await call();
        const total = performance.now() - t0;
        const statements = [...timer.statements.values()].sort((a, b) => b.ms - a.ms);
        const sqlMs = statements.reduce((s, x) => s + x.ms, 0);
        const bytes = JSON.stringify(out).length;
        process.stdout.write(
          `\n${name} (${flags.user}) ${k === 0 ? 'first call' : `call ${k + 1}`}: ${total.toFixed(0)} ms total, ${sqlMs.toFixed(0)} ms in ${statements.reduce((s, x) => s + x.calls, 0)} statements, ${(total - sqlMs).toFixed(0)} ms JS/other; ${(bytes / 1000).toFixed(0)} KB JSON\n`,
        );
        if (k === repeat) {
          for (const s of statements.slice(0, 6)) {
            process.stdout.write(
              `  ${s.ms.toFixed(1).padStart(8)} ms  ${String(s.calls).padStart(4)}×  ${String(s.rows).padStart(8)} rows  ${s.sql.replace(/\s+/g, ' ').slice(0, 400)}\n`,
            );
            if (flags.plans && handle.sqlite) {
              try {
                const plan = handle.sqlite.prepare(`explain query plan ${s.sql}`).all(...(s.parameters as unknown[]).flat()) as { detail: string }[];
                for (const p of plan) {
                  process.stdout.write(`             plan: ${p.detail}\n`);
                }
              } catch (err) {
                process.stdout.write(`             plan: ${(err as Error).message}\n`);
              }
            }
          }
        }
      }
    }
  } finally {
    await handle.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
