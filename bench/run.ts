/**
 * `npm run bench`: generates (or reuses) a large firm, starts the real compiled server on it,
 * and measures the clients API against an HTTP floor and a database floor. See bench/README.md.
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { getClient, listClients } from '../src/clients/clients.js';
import { ClientListQuery } from '../src/clients/schemas.js';
import { openSqlite } from '../src/db/connect.js';
import { encodeCursor } from '../src/db/pagination.js';
import { actorOf, resolveToken } from '../src/firm/auth.js';
import { visibleClients } from '../src/http/access.js';
import { SessionListQuery } from '../src/listening/session-schemas.js';
import { getSession, listSessions } from '../src/listening/sessions.js';
import { SearchQuery } from '../src/search/schemas.js';
import { search } from '../src/search/search.js';
import type { ServiceContext } from '../src/server/context.js';
import { ANALYTICS_P50_TARGET_MS, type AnalyticsResult, analyticsScenarios, measureAnalytics, probe, recordsScenarios } from './analytics.js';
import { type Timing, timeLoop } from './db-floor.js';
import { type Dataset, FULL_FIRM, GENERATOR_VERSION, prepareDataset, QUICK_FIRM } from './generate.js';
import type { LoadRequest, LoadSummary } from './load-worker.js';
import { freePort, machineCpuMs, pinProcess, processCpuMs, processMemory, type Started, sleep, startProcess, stopProcess } from './processes.js';
import { type Check, type Measured, type RunReport, renderMarkdown, renderText, type ScenarioResult } from './report.js';

/** Words the generated remarks and notes use (bench/words.ts), for the full-text scenario. */
const FULLTEXT_TERMS = ['invoicing', 'patchy', 'board late', 'senior associate'];

const root = join(import.meta.dirname, '..');
const benchDir = import.meta.dirname;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    connections: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    'cold-starts': { type: 'string' },
    pin: { type: 'boolean', default: false },
    'server-node-options': { type: 'string', default: '' },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  process.stdout.write(
    [
      'npm run bench -- [options]',
      '  --quick            small firm (500 users, 2,000 clients) and short runs: a smoke test of the bench itself',
      '  --regenerate       rebuild the cached firm even if bench/.cache has one for this generator version and schema',
      '  --connections N    autocannon connections (default 64)',
      '  --duration S       seconds measured per run (default 10; quick 3)',
      '  --warmup S         seconds of warm-up load before each measured run (default 3; quick 1)',
      '  --cold-starts N    server starts timed for the cold-start figure (default 3; quick 1)',
      '  --pin              pin the servers to CPU 0 and autocannon to CPU 1 (taskset)',
      '  --server-node-options="…"  extra Node flags for the server under test, e.g. --server-node-options=--max-semi-space-size=4',
      '  --only api|analytics  run one phase: api (cold start, load against the floors, database floor) or analytics',
      '                     (every analytics endpoint, one request at a time, as management and as the partner); default both',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const quick = flags.quick ?? false;
if (flags.only !== undefined && flags.only !== 'api' && flags.only !== 'analytics') {
  throw new Error(`--only takes api or analytics, not ${flags.only}`);
}
const phases = { api: flags.only !== 'analytics', analytics: flags.only !== 'api' };
const num = (v: string | undefined, fallback: number) => {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`not a positive number: ${v}`);
  }
  return n;
};
const settings = {
  connections: num(flags.connections, 64),
  durationSec: num(flags.duration, quick ? 3 : 10),
  warmupSec: num(flags.warmup, quick ? 1 : 3),
  coldStarts: num(flags['cold-starts'], quick ? 1 : 3),
  idlePauseSec: quick ? 2 : 5,
  dbFloorMs: quick ? 1_000 : 3_000,
  dbWarmupMs: quick ? 300 : 1_000,
  pin: flags.pin ?? false,
  analytics: quick
    ? { warmupMs: 300, durationMs: 1_000, minRequests: 5, slowAfterMs: 2_000, slowRequests: 3 }
    : { warmupMs: 1_000, durationMs: 5_000, minRequests: 20, slowAfterMs: 2_000, slowRequests: 3 },
  serverNodeOptions: (flags['server-node-options'] ?? '').split(/\s+/).filter((a) => a !== ''),
};

const TARGETS = { p99Ms: 25, floorRatio: 0.6, idleRssMB: 150, coldStartMs: 1_000 };

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

function git(args: string[]): string {
  const out = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : '';
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The server under test gets a clean environment: only what we set, no stray HEARKEN_* or DATABASE_URL from the shell. */
function serverEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('HEARKEN_') && k !== 'DATABASE_URL' && k !== 'PORT' && k !== 'HOST') {
      env[k] = v;
    }
  }
  return { ...env, HEARKEN_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', HEARKEN_LOG_LEVEL: 'warn' };
}

class LoadGenerator {
  readonly child: ChildProcess;
  constructor() {
    this.child = fork(join(benchDir, 'load-worker.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }
  run(request: LoadRequest): Promise<LoadSummary> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: { ok: true; summary: LoadSummary } | { ok: false; error: string }) => {
        this.child.off('exit', onExit);
        if (message.ok) {
          resolve(message.summary);
        } else {
          reject(new Error(`load generator: ${message.error}`));
        }
      });
      this.child.send(request);
    });
  }
}

/** Warms up, then measures one target while sampling the CPU of the server, the loader and the machine. */
async function measure(loader: LoadGenerator, target: Started, paths: string[], headers: Record<string, string>): Promise<Measured> {
  const base: Omit<LoadRequest, 'durationSec'> = { baseUrl: target.baseUrl, paths, connections: settings.connections, headers };
  await loader.run({ ...base, durationSec: settings.warmupSec });
  const server0 = processCpuMs(target.pid);
  const machine0 = machineCpuMs();
  const summary = await loader.run({ ...base, durationSec: settings.durationSec });
  const serverCpuMs = processCpuMs(target.pid) - server0;
  const machine1 = machineCpuMs();
  const wallMs = summary.durationSec * 1000;
  const busy = machine1.busy - machine0.busy;
  return {
    ...summary,
    serverCpuMs,
    serverCpuMsPerRequest: serverCpuMs / summary.requests,
    serverCores: serverCpuMs / wallMs,
    loaderCores: summary.loaderCpuMs / wallMs,
    otherCores: Math.max(0, busy - serverCpuMs - summary.loaderCpuMs) / wallMs,
  };
}

interface Scenario {
  name: string;
  description: string;
  paths: string[];
  /** The bearer token's headers: the benchmark partner's unless the scenario says otherwise. */
  headers?: Record<string, string>;
  /** The same reads, in-process. */
  db: (i: number) => Promise<unknown>;
  /** Checks each captured body: throws when it is not what a client would get. */
  check?: (body: unknown) => void;
}

/**
 * The analytics phase: each analytics endpoint as management (firm-wide) and as the benchmark
 * partner, one request at a time; checks p50 < 200 ms. Runs against a started server.
 */
async function analyticsPhase(
  baseUrl: string,
  dataset: Dataset,
  servedFile: string,
  notes: string[],
): Promise<{ results: AnalyticsResult[]; checks: Check[] }> {
  const users = [
    { name: 'management', token: dataset.managerToken },
    { name: 'partner', token: dataset.token },
  ];
  // Active clients on the benchmark partner's teams, for its client-health requests (read-only, from the served copy).
  const cached = new SqliteDatabase(servedFile, { readonly: true });
  const partnerHealthClientIds = (
    cached
      .prepare(
        `select c.id from clients c join client_team t on t.client_id = c.id and t.user_id = ?
         where c.status = 'active' and (c.walled = 0 or exists (select 1 from client_wall_members w where w.client_id = c.id and w.user_id = t.user_id))
         order by c.is_key_client desc, c.id limit 4`,
      )
      .all(dataset.benchUser.id) as { id: string }[]
  ).map((r) => r.id);
  cached.close();
  const scenarios = analyticsScenarios({ currentProgrammeId: dataset.currentProgrammeId, healthClientIds: dataset.healthClientIds, partnerHealthClientIds });
  // The records drill-down, when the server has it.
  for (const s of recordsScenarios({ currentProgrammeId: dataset.currentProgrammeId })) {
    const answer = await probe(baseUrl, s.paths[0] as string, dataset.managerToken);
    if (answer.status === 200) {
      scenarios.push(s);
    } else {
      notes.push(`GET ${s.paths[0]} answered ${answer.status}, so it was not measured: ${answer.body.slice(0, 200)}`);
    }
  }
  const results: AnalyticsResult[] = [];
  for (const s of scenarios) {
    for (const user of users) {
      const r = await measureAnalytics(baseUrl, s, user, settings.analytics);
      log(
        `  analytics ${s.name} (${user.name}): p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, ${(r.bytes / 1000).toFixed(1)} KB, ${r.requests} requests${r.slow ? ' (slow: only a few measured)' : ''}; first request ${r.firstMs.toFixed(0)} ms`,
      );
      if (r.firstFailure) {
        notes.push(`analytics ${s.name} (${user.name}): ${r.failures} failed requests, first: ${r.firstFailure}`);
      }
      results.push(r);
    }
  }
  const checks: Check[] = results.map((r) => ({
    name: `analytics ${r.name} (${r.user}): p50 latency`,
    value: r.p50Ms,
    unit: 'ms',
    limit: `< ${ANALYTICS_P50_TARGET_MS} ms`,
    pass: r.p50Ms < ANALYTICS_P50_TARGET_MS && r.failures === 0,
  }));
  return { results, checks };
}

function reportMeta(startedAt: Date, loadAverageAtStart: number[], notes: string[]): RunReport['meta'] {
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    mode: quick ? 'quick' : 'full',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
    connections: settings.connections,
    durationSec: settings.durationSec,
    warmupSec: settings.warmupSec,
    pinned: settings.pin,
    serverNodeOptions: settings.serverNodeOptions.join(' '),
    phases: Object.entries(phases)
      .filter(([, on]) => on)
      .map(([name]) => name),
    notes,
  };
}

function datasetSummary(dataset: Dataset, fromCache: boolean, dbFileMB: number): RunReport['dataset'] {
  return {
    generatorVersion: GENERATOR_VERSION,
    rows: dataset.rows,
    fromCache,
    generationMs: dataset.generationMs,
    generatedAt: dataset.generatedAt,
    searchTerms: dataset.searchTerms,
    detailIds: dataset.detailIds.length,
    sessionDetailIds: dataset.sessionDetailIds.length,
    scoreDimensions: dataset.scoreDimensions,
    searchIndexMs: dataset.searchIndexMs,
    dbFileMB,
  };
}

/** Prints the report and writes it to bench/results; the exit code says whether every check passed. */
function finish(report: RunReport) {
  const text = renderText(report);
  log(`\n${text}\n`);
  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stamp = report.meta.startedAt.slice(0, 16).replace(/:/g, '');
  const only = phases.api && phases.analytics ? '' : phases.api ? '-api' : '-analytics';
  const base = join(resultsDir, `${stamp}Z-${report.meta.commit}${report.meta.dirty ? '-dirty' : ''}${quick ? '-quick' : ''}${only}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, renderMarkdown(report));
  log(`Wrote ${base.slice(root.length + 1)}.json and .md`);
  process.exitCode = report.checks.every((c) => c.pass) ? 0 : 1;
}

async function main() {
  const startedAt = new Date();
  const loadAverageAtStart = loadavg();
  const notes: string[] = [];
  const mainJs = join(root, 'dist', 'server', 'main.js');
  if (!existsSync(mainJs)) {
    throw new Error('dist/server/main.js is missing: run `npm run build:server` (npm run bench does it for you)');
  }

  // 1. The firm.
  const size = quick ? QUICK_FIRM : FULL_FIRM;
  log(
    `Preparing the ${quick ? 'quick' : 'full'} firm (${size.users.toLocaleString('en-GB')} users, ${size.clients.toLocaleString('en-GB')} clients, ${size.contacts.toLocaleString('en-GB')} contacts, ${size.matters.toLocaleString('en-GB')} matters, ${size.sessions.toLocaleString('en-GB')} listening sessions)…`,
  );
  const { dataset, fromCache } = await prepareDataset(join(benchDir, '.cache'), quick ? 'quick' : 'full', size, flags.regenerate ?? false);
  log(
    fromCache
      ? `  reused bench/.cache (generated ${dataset.generatedAt} in ${(dataset.generationMs / 1000).toFixed(1)} s; --regenerate to rebuild)`
      : `  generated in ${(dataset.generationMs / 1000).toFixed(1)} s`,
  );
  if (!quick && !fromCache && dataset.generationMs > 60_000) {
    notes.push(`Generation took ${(dataset.generationMs / 1000).toFixed(1)} s, over the one-minute budget.`);
  }
  // Sized now: another bench run may replace the cached firm (a new schema) while this one runs.
  const dbFileMB = statSync(dataset.dbFile).size / 1_000_000;
  const auth = { authorization: `Bearer ${dataset.token}` };
  const leadAuth = { authorization: `Bearer ${dataset.leadToken}` };

  // Each run serves a fresh copy, so that nothing the server writes (token last-used time, WAL,
  // secrets, a future migration) leaks into the cache or into the next run.
  const scratch = mkdtempSync(join(tmpdir(), 'hearken-bench-'));
  const dataDir = join(scratch, 'data');
  mkdirSync(dataDir);
  copyFileSync(dataset.dbFile, join(dataDir, 'hearken.db'));
  const children: ChildProcess[] = [];
  if (!phases.api) {
    // The analytics phase alone: one server, no cold-start figures, no load.
    try {
      const port = await freePort();
      const server = await startProcess({
        args: [...settings.serverNodeOptions, mainJs],
        env: serverEnv(dataDir, port),
        cwd: root,
        port,
        readyPath: '/readyz',
      });
      children.push(server.child);
      const analytics = await analyticsPhase(server.baseUrl, dataset, join(dataDir, 'hearken.db'), notes);
      finish({
        meta: reportMeta(startedAt, loadAverageAtStart, notes),
        dataset: datasetSummary(dataset, fromCache, dbFileMB),
        scenarios: [],
        analytics: analytics.results,
        checks: analytics.checks,
      });
    } finally {
      await Promise.all(children.map((c) => stopProcess(c)));
      rmSync(scratch, { recursive: true, force: true });
    }
    return;
  }
  const handle = openSqlite(join(dataDir, 'hearken.db'));
  try {
    const benchRow = await handle.db.selectFrom('users').selectAll().where('id', '=', dataset.benchUser.id).executeTakeFirstOrThrow();
    const ctx: ServiceContext = { db: handle.db, actor: actorOf(benchRow) };
    const leadRow = await handle.db.selectFrom('users').selectAll().where('id', '=', dataset.benchLead.id).executeTakeFirstOrThrow();
    const leadCtx: ServiceContext = { db: handle.db, actor: actorOf(leadRow) };

    // A deep page: the cursor the API would hand back after 80% of the list, computed directly.
    const visibleCount = Number(
      (
        await handle.db
          .selectFrom('clients')
          .where(visibleClients(ctx.actor))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const deepRow = await handle.db
      .selectFrom('clients')
      .select(['clients.name', 'clients.id'])
      .where(visibleClients(ctx.actor))
      .orderBy('clients.name')
      .orderBy('clients.id')
      .offset(Math.floor(visibleCount * 0.8) - 1)
      .limit(1)
      .executeTakeFirstOrThrow();
    const deepCursor = encodeCursor(deepRow.name, deepRow.id);

    const listQuery = (params: Record<string, string>) => ClientListQuery.parse(params);
    // How many sessions each reader's list holds: through the access filter, as the API counts them.
    const sessionQuery = (params: Record<string, string>) => SessionListQuery.parse(params);
    const partnerSessions = (await listSessions(ctx, sessionQuery({ limit: '1', total: 'true' }))).total ?? 0;
    const leadSessions = (await listSessions(leadCtx, sessionQuery({ limit: '1', total: 'true' }))).total ?? 0;
    const fullPage = (name: string) => (body: unknown) => {
      const items = (body as { items?: unknown[] }).items;
      if (items?.length !== 50) {
        throw new Error(`${name}: expected a full page of 50, got ${items?.length}`);
      }
    };
    if (dataset.sessionDetailIds.length === 0) {
      throw new Error('the generated firm has no held session with remarks on the benchmark partner’s clients');
    }
    const scenarios: Scenario[] = [
      {
        name: 'list',
        description: 'client list, first page of 50 by name',
        paths: ['/api/v1/clients?limit=50'],
        db: () => listClients(ctx, listQuery({ limit: '50' })),
      },
      {
        name: 'list-deep',
        description: `client list, a page of 50 after ${Math.floor(visibleCount * 0.8).toLocaleString('en-GB')} rows (keyset cursor)`,
        paths: [`/api/v1/clients?limit=50&cursor=${deepCursor}`],
        db: () => listClients(ctx, listQuery({ limit: '50', cursor: deepCursor })),
      },
      {
        name: 'detail',
        description: 'one client with team, parent, subsidiaries and counts',
        paths: dataset.detailIds.map((id) => `/api/v1/clients/${id}`),
        db: (i) => getClient(ctx, dataset.detailIds[i % dataset.detailIds.length] as string),
      },
      {
        name: 'search',
        description: `name search, first page of 50 (${dataset.searchTerms.map((t) => `${t.term}: ${t.hits}`).join(', ')} matches)`,
        paths: dataset.searchTerms.map((t) => `/api/v1/clients?q=${encodeURIComponent(t.term)}&limit=50`),
        db: (i) => listClients(ctx, listQuery({ q: dataset.searchTerms[i % dataset.searchTerms.length]?.term ?? '', limit: '50' })),
      },
      {
        // Full-text search (src/search) as the partner: ranked, with snippets, and with the access
        // rules of every kind evaluated inside the query, total included.
        name: 'fulltext',
        description: `full-text search, first page of 20 with total and snippets, as a partner (${FULLTEXT_TERMS.join(', ')})`,
        paths: FULLTEXT_TERMS.map((q) => `/api/v1/search?q=${encodeURIComponent(q)}`),
        db: (i) => search(ctx, SearchQuery.parse({ q: FULLTEXT_TERMS[i % FULLTEXT_TERMS.length] })),
        check: (body) => {
          if (typeof (body as { total?: unknown }).total !== 'number') {
            throw new Error('fulltext: expected results with a total');
          }
        },
      },
      {
        name: 'sessions-list',
        description: `listening sessions, first page of 50 by start time, as a partner who reads ${partnerSessions.toLocaleString('en-GB')} of them through client teams`,
        paths: ['/api/v1/sessions?limit=50'],
        db: () => listSessions(ctx, sessionQuery({ limit: '50' })),
        check: fullPage('sessions-list'),
      },
      {
        // The same query as a programme lead, whose list holds every session; `order=asc` is the
        // default, spelled out so that the HTTP floor (which keys bodies by URL) tells the two apart.
        name: 'sessions-list-lead',
        description: `listening sessions, first page of 50 by start time, as a programme lead who reads all ${leadSessions.toLocaleString('en-GB')}`,
        paths: ['/api/v1/sessions?limit=50&order=asc'],
        headers: leadAuth,
        db: () => listSessions(leadCtx, sessionQuery({ limit: '50', order: 'asc' })),
        check: fullPage('sessions-list-lead'),
      },
      {
        name: 'session-detail',
        description: 'one held session with stakeholders, guide, notes, scores and the remarks a partner on the client team may read',
        paths: dataset.sessionDetailIds.map((id) => `/api/v1/sessions/${id}`),
        db: (i) => getSession(ctx, dataset.sessionDetailIds[i % dataset.sessionDetailIds.length] as string),
        check: (body) => {
          const detail = body as { remarks?: { confidentiality: string; speaker: unknown }[]; answers?: unknown[]; seesConfidential?: boolean };
          if (!detail.remarks?.length || !detail.answers?.length) {
            throw new Error('session-detail: expected a held session with notes and remarks');
          }
          if (detail.seesConfidential || detail.remarks.some((m) => m.confidentiality === 'programme_only')) {
            throw new Error('session-detail: the partner was shown programme-only remarks');
          }
        },
      },
    ];

    // 2. Cold start of the real server, several times; the last one stays up for the load.
    const coldRuns: number[] = [];
    let server: Started | undefined;
    for (let k = 0; k < settings.coldStarts; k += 1) {
      if (server) {
        await stopProcess(server.child);
        await sleep(300);
      }
      const port = await freePort();
      server = await startProcess({
        args: [...settings.serverNodeOptions, mainJs],
        env: serverEnv(dataDir, port),
        cwd: root,
        port,
        readyPath: '/readyz',
      });
      children.push(server.child);
      coldRuns.push(server.readyMs);
      log(`  cold start ${k + 1}: ready in ${Math.round(server.readyMs)} ms`);
    }
    if (!server) {
      throw new Error('no server started');
    }
    await sleep(1_000);
    const afterStart = processMemory(server.pid);

    // 3. Capture the real bodies (checking they are what a client would get) for the HTTP floor.
    const bodies: Record<string, string> = {};
    for (const s of scenarios) {
      for (const path of s.paths) {
        if (bodies[path] !== undefined) {
          throw new Error(`${s.name}: ${path} is already another scenario's URL, and the HTTP floor keys bodies by URL`);
        }
        const res = await fetch(`${server.baseUrl}${path}`, { headers: s.headers ?? auth });
        const text = await res.text();
        if (res.status !== 200) {
          throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
        }
        bodies[path] = text;
        s.check?.(JSON.parse(text));
      }
      const sample = JSON.parse(bodies[s.paths[0] as string] as string) as { items?: unknown[] };
      if (s.name.startsWith('list') && sample.items?.length !== 50) {
        throw new Error(`${s.name}: expected a full page of 50, got ${sample.items?.length}`);
      }
      if ((s.name === 'search' || s.name === 'fulltext') && !sample.items?.length) {
        throw new Error(`${s.name}: the first term found nothing`);
      }
    }
    const bodiesFile = join(scratch, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));

    // 4. The HTTP floor and the load generator.
    const floorPort = await freePort();
    const floor = await startProcess({
      args: ['--import', 'tsx', join(benchDir, 'floor-server.ts'), bodiesFile, String(floorPort)],
      env: process.env,
      cwd: root,
      port: floorPort,
      readyPath: '/readyz',
    });
    children.push(floor.child);
    const loader = new LoadGenerator();
    children.push(loader.child);
    if (settings.pin) {
      const ok = [pinProcess(server.pid, '0'), pinProcess(floor.pid, '0'), loader.child.pid !== undefined && pinProcess(loader.child.pid, '1')];
      if (ok.includes(false)) {
        notes.push('--pin was asked for but taskset failed for at least one process; the run is unpinned or partly pinned.');
      }
    }

    // 5. Load: each endpoint and its floor back to back, so that both see the same machine.
    const measured: { s: Scenario; endpoint: Measured; floor: Measured }[] = [];
    for (const s of scenarios) {
      log(`  ${s.name}: endpoint…`);
      const endpoint = await measure(loader, server, s.paths, s.headers ?? auth);
      log(`  ${s.name}: floor…`);
      const floorRun = await measure(loader, floor, s.paths, s.headers ?? auth);
      measured.push({ s, endpoint, floor: floorRun });
      for (const [what, m] of [
        ['endpoint', endpoint],
        ['floor', floorRun],
      ] as const) {
        if (m.non2xx || m.errors || m.timeouts) {
          notes.push(`${s.name} ${what}: ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts during the measured run.`);
        }
      }
    }

    // 6. Idle memory after the load and a pause.
    log(`  idle pause ${settings.idlePauseSec} s…`);
    await sleep(settings.idlePauseSec * 1_000);
    const afterLoad = processMemory(server.pid);
    // 6b. The analytics endpoints, one request at a time, on the same server once the load is over.
    const analytics = phases.analytics ? await analyticsPhase(server.baseUrl, dataset, join(dataDir, 'hearken.db'), notes) : { results: [], checks: [] };
    await Promise.all(children.map((c) => stopProcess(c)));

    // 7. The database floor, on a machine the bench no longer loads.
    log('  database floor…');
    const authTiming = await timeLoop(() => resolveToken(handle.db, dataset.token), { warmupMs: settings.dbWarmupMs, durationMs: settings.dbFloorMs });
    const dbTimings: Timing[] = [];
    for (const s of scenarios) {
      dbTimings.push(await timeLoop(s.db, { warmupMs: settings.dbWarmupMs, durationMs: settings.dbFloorMs }));
    }

    // 8. Figures, checks, output.
    const results: ScenarioResult[] = measured.map(({ s, endpoint, floor: fl }, i) => {
      const db = dbTimings[i] as Timing;
      const databaseMs = authTiming.cpuMs + db.cpuMs;
      const requestMs = endpoint.serverCpuMsPerRequest;
      return {
        name: s.name,
        description: s.description,
        path: s.paths[0] as string,
        rotating: s.paths.length,
        endpoint,
        floor: fl,
        db,
        throughputRatio: endpoint.rps / fl.rps,
        cpuCostRatio: fl.serverCpuMsPerRequest / endpoint.serverCpuMsPerRequest,
        split: { requestMs, databaseMs, otherMs: requestMs - databaseMs, databaseShare: databaseMs / requestMs },
      };
    });
    const idleMB = (mib: number) => (mib * 1_048_576) / 1_000_000;
    const coldMedian = median(coldRuns);
    const checks: Check[] = [
      ...results.map((r) => ({
        name: `${r.name}: p99 latency`,
        value: r.endpoint.latencyMs.p99,
        unit: 'ms',
        limit: `< ${TARGETS.p99Ms} ms`,
        pass: r.endpoint.latencyMs.p99 < TARGETS.p99Ms && r.endpoint.non2xx + r.endpoint.errors + r.endpoint.timeouts === 0,
      })),
      ...results.map((r) => ({
        name: `${r.name}: throughput vs HTTP floor`,
        value: r.throughputRatio,
        unit: '%',
        limit: `≥ ${TARGETS.floorRatio * 100}%`,
        pass: r.throughputRatio >= TARGETS.floorRatio,
      })),
      {
        name: `idle RSS (${settings.idlePauseSec} s after load)`,
        value: idleMB(afterLoad.rssMiB),
        unit: 'MB',
        limit: `< ${TARGETS.idleRssMB} MB`,
        pass: idleMB(afterLoad.rssMiB) < TARGETS.idleRssMB,
      },
      {
        name: `cold start (median of ${coldRuns.length})`,
        value: coldMedian,
        unit: 'ms',
        limit: `< ${TARGETS.coldStartMs} ms`,
        pass: coldMedian < TARGETS.coldStartMs,
      },
      ...analytics.checks,
    ];
    // A server that did not get a whole core was starved: by autocannon, or by whatever else runs on the machine.
    for (const r of results) {
      for (const [what, m] of [
        ['endpoint', r.endpoint],
        ['floor', r.floor],
      ] as const) {
        if (m.serverCores < 0.85) {
          notes.push(
            `${r.name} ${what}: the server got ${m.serverCores.toFixed(2)} of a core (autocannon ${m.loaderCores.toFixed(2)}, everything else ${m.otherCores.toFixed(2)}), so its req/s understate what it can do${what === 'floor' ? ' and the ratio is flattered' : ''}; the CPU-based figures (cost ratio, ms/req) hold better.`,
          );
        }
      }
    }
    if (quick) {
      notes.push('Quick mode: a tenth of the firm and short runs. A smoke test of the bench; the targets are for the full run.');
    }

    finish({
      meta: reportMeta(startedAt, loadAverageAtStart, notes),
      dataset: { ...datasetSummary(dataset, fromCache, dbFileMB), sessionsVisible: { partner: partnerSessions, programmeLead: leadSessions } },
      coldStart: { runsMs: coldRuns, medianMs: coldMedian },
      memory: {
        afterStartMB: idleMB(afterStart.rssMiB),
        afterLoadMB: idleMB(afterLoad.rssMiB),
        peakMB: idleMB(afterLoad.peakRssMiB),
        pauseSec: settings.idlePauseSec,
      },
      auth: authTiming,
      scenarios: results,
      analytics: analytics.results,
      checks,
    });
  } finally {
    await Promise.all(children.map((c) => stopProcess(c)));
    await handle.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
