import type { AnalyticsResult } from './analytics.js';
import type { Timing } from './db-floor.js';
import type { LoadSummary } from './load-worker.js';

/** One autocannon run with what the machine did meanwhile. */
export interface Measured extends LoadSummary {
  /** CPU time the process under load used during the run, in milliseconds (all its threads). */
  serverCpuMs: number;
  /** That CPU time per completed request. */
  serverCpuMsPerRequest: number;
  /** Cores the process under load kept busy on average (1.0 = one core flat out). */
  serverCores: number;
  /** Cores the load generator kept busy. */
  loaderCores: number;
  /** Cores busy with anything else on the machine (other engineers, the orchestrator): noise. */
  otherCores: number;
}

export interface ScenarioResult {
  name: string;
  description: string;
  /** The first of the rotating paths, as an example. */
  path: string;
  rotating: number;
  endpoint: Measured;
  floor: Measured;
  db: Timing;
  /** Endpoint requests/s divided by HTTP-floor requests/s. */
  throughputRatio: number;
  /** HTTP-floor server CPU per request divided by the endpoint's: the same ratio measured as cost, less sensitive to noise. */
  cpuCostRatio: number;
  split: {
    /** Server CPU per request (from /proc), the time a request costs the server. */
    requestMs: number;
    /** Of which the database: auth lookup + the endpoint's reads, CPU per call in the database floor. */
    databaseMs: number;
    /** Everything else: HTTP, routing, validation, auth hook, mapping, serialisation, logging, GC. */
    otherMs: number;
    databaseShare: number;
  };
}

export interface Check {
  name: string;
  value: number;
  unit: string;
  limit: string;
  pass: boolean;
}

export interface RunReport {
  meta: {
    startedAt: string;
    finishedAt: string;
    commit: string;
    dirty: boolean;
    mode: 'full' | 'quick';
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
    connections: number;
    durationSec: number;
    warmupSec: number;
    pinned: boolean;
    /** Extra Node flags the server under test ran with ('' for none). */
    serverNodeOptions: string;
    /** The phases run: api (cold start, load, floors) and analytics. */
    phases: string[];
    notes: string[];
  };
  dataset: {
    generatorVersion: number;
    rows: Record<string, number>;
    fromCache: boolean;
    generationMs: number;
    generatedAt: string;
    searchTerms: { term: string; hits: number }[];
    detailIds: number;
    /** Held sessions the session-detail scenario rotates over. */
    sessionDetailIds: number;
    /** Sessions in each reader's list (through the access filter). */
    sessionsVisible?: { partner: number; programmeLead: number };
    /** Active score dimensions, and the seconds the full-text index rebuild took of the generation. */
    scoreDimensions?: number;
    searchIndexMs?: number;
    dbFileMB?: number;
  };
  /** The api phase (absent when only the analytics phase ran). */
  coldStart?: { runsMs: number[]; medianMs: number };
  memory?: {
    afterStartMB: number;
    afterLoadMB: number;
    peakMB: number;
    pauseSec: number;
  };
  auth?: Timing;
  scenarios: ScenarioResult[];
  /** The analytics phase: one request at a time, per endpoint and user. */
  analytics: AnalyticsResult[];
  checks: Check[];
}

const f0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-GB') : 'n/a');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : 'n/a');

function scenarioRows(report: RunReport): string[][] {
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'floor req/s', 'floor p50', 'floor p99', 'ratio', 'cost ratio', 'srv cores', 'loader', 'noise']];
  for (const s of report.scenarios) {
    rows.push([
      s.name,
      f0(s.endpoint.rps),
      f0(s.endpoint.latencyMs.p50),
      f0(s.endpoint.latencyMs.p99),
      f0(s.floor.rps),
      f0(s.floor.latencyMs.p50),
      f0(s.floor.latencyMs.p99),
      pct(s.throughputRatio),
      pct(s.cpuCostRatio),
      f2(s.endpoint.serverCores),
      f2(s.endpoint.loaderCores),
      f2(s.endpoint.otherCores),
    ]);
  }
  return rows;
}

function splitRows(report: RunReport): string[][] {
  const rows = [['scenario', 'server ms/req', 'db ms/req', 'other ms/req', 'db share', 'db wall p50', 'db wall p99', 'db calls/s']];
  for (const s of report.scenarios) {
    rows.push([
      s.name,
      f3(s.split.requestMs),
      f3(s.split.databaseMs),
      f3(s.split.otherMs),
      pct(s.split.databaseShare),
      f3(s.db.p50Ms),
      f3(s.db.p99Ms),
      f0(s.db.opsPerSec),
    ]);
  }
  if (report.auth) {
    rows.push(['auth (token lookup)', '', f3(report.auth.cpuMs), '', '', f3(report.auth.p50Ms), f3(report.auth.p99Ms), f0(report.auth.opsPerSec)]);
  }
  return rows;
}

function analyticsRows(report: RunReport): string[][] {
  const rows = [['endpoint', 'user', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'mean ms', 'first ms', 'KB', 'failures']];
  for (const a of report.analytics) {
    rows.push([
      a.name,
      a.user,
      `${f0(a.requests)}${a.slow ? '*' : ''}`,
      f1(a.p50Ms),
      f1(a.p99Ms),
      f1(a.maxMs),
      f1(a.meanMs),
      f0(a.firstMs),
      f1(a.bytes / 1000),
      f0(a.failures),
    ]);
  }
  return rows;
}

function checkRows(report: RunReport): string[][] {
  const rows = [['check', 'measured', 'target', 'result']];
  for (const c of report.checks) {
    rows.push([c.name, `${c.unit === '%' ? pct(c.value) : f1(c.value)}${c.unit === '%' ? '' : ` ${c.unit}`}`, c.limit, c.pass ? 'PASS' : 'FAIL']);
  }
  return rows;
}

function textTable(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r, ri) => {
      const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows;
  if (!head) {
    return '';
  }
  const align = head.map((_, i) => (i === 0 ? '---' : '---:'));
  return [head, align, ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function headline(report: RunReport): string[] {
  const m = report.meta;
  const d = report.dataset;
  return [
    `Hearken benchmark (${m.mode}) at ${m.commit}${m.dirty ? ' with uncommitted changes' : ''}, ${m.startedAt}`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; load average ${m.loadAverageAtStart.map(f2).join(' ')} at start, ${m.loadAverageAtEnd.map(f2).join(' ')} at end`,
    `Firm: ${Object.entries(d.rows)
      .map(([t, n]) => `${f0(n)} ${t}`)
      .join(
        ', ',
      )} (generator v${d.generatorVersion}; ${d.fromCache ? `cached, generated ${d.generatedAt} in ${f1(d.generationMs / 1000)} s` : `generated now in ${f1(d.generationMs / 1000)} s`})`,
    `Load: autocannon, ${m.connections} connections, ${m.warmupSec} s warm-up + ${m.durationSec} s per measurement, bearer token; ${m.pinned ? 'server pinned to CPU 0, load generator to CPU 1' : 'no CPU pinning'}; server: node ${m.serverNodeOptions ? `${m.serverNodeOptions} ` : ''}dist/server/main.js`,
    ...(d.dbFileMB !== undefined
      ? [
          `Database file: ${f0(d.dbFileMB)} MB; ${f0(d.scoreDimensions ?? 0)} active score dimensions; full-text index rebuilt in ${f1((d.searchIndexMs ?? 0) / 1000)} s of the generation`,
        ]
      : []),
    ...(d.sessionsVisible
      ? [
          `Listening: the partner reads ${f0(d.sessionsVisible.partner)} sessions, the programme lead ${f0(d.sessionsVisible.programmeLead)}; session detail rotates over ${f0(d.sessionDetailIds)} held sessions with remarks`,
        ]
      : []),
    ...(report.coldStart
      ? [`Cold start (spawn → first 200 from /readyz): ${report.coldStart.runsMs.map(f0).join(', ')} ms (median ${f0(report.coldStart.medianMs)} ms)`]
      : []),
    ...(report.memory
      ? [
          `Memory (RSS): ${f1(report.memory.afterStartMB)} MB idle after start, ${f1(report.memory.afterLoadMB)} MB idle ${report.memory.pauseSec} s after the load, ${f1(report.memory.peakMB)} MB peak`,
        ]
      : []),
    `Phases: ${m.phases.join(', ')}`,
  ];
}

export function renderText(report: RunReport): string {
  return [
    ...headline(report),
    ...(report.scenarios.length
      ? [
          '',
          'Throughput and latency: endpoint vs HTTP floor (ratio = endpoint req/s ÷ floor req/s; cost ratio = floor CPU/req ÷ endpoint CPU/req)',
          textTable(scenarioRows(report)),
          '',
          "Where a request's time goes (CPU ms per request: server under load; database = token lookup + the endpoint's reads, run one at a time in-process)",
          textTable(splitRows(report)),
        ]
      : []),
    ...(report.analytics.length
      ? [
          '',
          'Analytics: one request at a time over one keep-alive connection, per user (management, partner); first = the first warm-up request (it may build the analytics cache); * = slow, only a few measured',
          textTable(analyticsRows(report)),
        ]
      : []),
    '',
    textTable(checkRows(report)),
    ...(report.meta.notes.length ? ['', ...report.meta.notes.map((n) => `Note: ${n}`)] : []),
  ].join('\n');
}

export function renderMarkdown(report: RunReport): string {
  return [
    `# ${headline(report)[0]}`,
    '',
    ...headline(report)
      .slice(1)
      .map((l) => `- ${l}`),
    '',
    '## Checks',
    '',
    markdownTable(checkRows(report)),
    '',
    ...(report.analytics.length
      ? [
          '## Analytics endpoints',
          '',
          'One request at a time over one keep-alive connection, after a warm-up; latency from sending the request to the last byte of the body. KB is the mean response size. first ms is the first warm-up request, which for a firm-wide reader may build the analytics cache; * marks an endpoint slower than 2 s after warm-up, of which only 3 requests are measured.',
          '',
          markdownTable(analyticsRows(report)),
          '',
          ...report.analytics
            .filter((a) => a.user === report.analytics[0]?.user)
            .map((a) => `- **${a.name}**: \`GET ${a.path}\`${a.rotating > 1 ? ` (rotating over ${a.rotating} URLs)` : ''}`),
          '',
        ]
      : []),
    '## Endpoints against the HTTP floor',
    '',
    'ratio = endpoint req/s ÷ floor req/s; cost ratio = floor server CPU per request ÷ endpoint server CPU per request; srv cores, loader and noise are the cores kept busy by the server, by autocannon and by everything else during the endpoint run.',
    '',
    markdownTable(scenarioRows(report)),
    '',
    "## Where a request's time goes",
    '',
    'server ms/req is the server process CPU per request during the endpoint run; db ms/req is the CPU per call of the token lookup plus the endpoint’s reads, run one at a time in-process through the same query code; other = server − db. The wall-clock p50/p99 of the database calls are shown for reference.',
    '',
    markdownTable(splitRows(report)),
    '',
    '## Scenarios',
    '',
    ...report.scenarios.map((s) => `- **${s.name}**: ${s.description} — \`GET ${s.path}\`${s.rotating > 1 ? ` (rotating over ${s.rotating} URLs)` : ''}`),
    ...(report.meta.notes.length ? ['', '## Notes', '', ...report.meta.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}
