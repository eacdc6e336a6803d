/**
 * The analytics phase of `npm run bench` (issue 6 point 8): every analytics endpoint, as firm
 * management and as the benchmark partner, one request at a time over one keep-alive
 * connection. The target is a p50 under 200 ms: these are dashboards, read one at a time, so
 * the figure is the latency of a lone request, not throughput under load.
 */
import { Agent, request } from 'node:http';
import { quantile } from './db-floor.js';

export const ANALYTICS_P50_TARGET_MS = 200;

export interface AnalyticsScenario {
  name: string;
  /** Paths requested in turn (several: a rotating drill-down such as one client's health). */
  paths: string[];
  /** Other paths for one user (by name): records that user may see. */
  pathsByUser?: Record<string, string[]>;
}

export interface AnalyticsResult {
  name: string;
  user: string;
  path: string;
  rotating: number;
  requests: number;
  /** The first warm-up request: for a firm-wide reader it may build the analytics cache. */
  firstMs: number;
  /** The warm-up's last request: slower than slowAfterMs, and only `slowRequests` are measured. */
  slow: boolean;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Mean response body size in bytes. */
  bytes: number;
  /** Non-200 answers: any spoils the figure. */
  failures: number;
  firstFailure: string | null;
}

export interface AnalyticsTiming {
  /** Warm-up: at least this long (and at least one request per path). */
  warmupMs: number;
  /** Measured: at least this long and at least `minRequests`. */
  durationMs: number;
  minRequests: number;
  /** An endpoint whose last warm-up request took longer than this is measured with `slowRequests` requests only (it fails the target by far anyway). */
  slowAfterMs: number;
  slowRequests: number;
}

/** The analytics URLs to measure, from what the generated firm holds. */
export function analyticsScenarios(opts: { currentProgrammeId: string; healthClientIds: string[]; partnerHealthClientIds: string[] }): AnalyticsScenario[] {
  const a = '/api/v1/analytics';
  return [
    { name: 'nps', paths: [`${a}/nps`] },
    { name: 'nps-by-practice', paths: [`${a}/nps?groupBy=practice`] },
    { name: 'nps-by-partner', paths: [`${a}/nps?groupBy=partner`] },
    { name: 'nps-by-quarter', paths: [`${a}/nps?groupBy=quarter`] },
    { name: 'nps-sessions', paths: [`${a}/nps/sessions`] },
    { name: 'bias', paths: [`${a}/bias`] },
    { name: 'bias-clients', paths: [`${a}/bias/clients`] },
    { name: 'participation', paths: [`${a}/participation?programmeId=${opts.currentProgrammeId}`] },
    { name: 'loop-by-owner', paths: [`${a}/loop?groupBy=owner`] },
    { name: 'loop-by-team', paths: [`${a}/loop?groupBy=team`] },
    { name: 'retention', paths: [`${a}/retention`] },
    { name: 'health', paths: [`${a}/health`] },
    {
      name: 'health-client',
      paths: opts.healthClientIds.map((id) => `${a}/health/clients/${id}`),
      // The partner reads the health of the active clients on its own teams.
      pathsByUser: { partner: opts.partnerHealthClientIds.map((id) => `${a}/health/clients/${id}`) },
    },
  ];
}

/** Drill-downs of /analytics/records (when the server has it): one figure of each source. */
export function recordsScenarios(opts: { currentProgrammeId: string }): AnalyticsScenario[] {
  const a = '/api/v1/analytics/records';
  return [
    { name: 'records-loop-overdue', paths: [`${a}?source=loop&metric=overdue`] },
    { name: 'records-problems-reported', paths: [`${a}?source=problems&metric=reported`] },
    { name: 'records-participation-accepted', paths: [`${a}?source=participation&metric=accepted&programmeId=${opts.currentProgrammeId}`] },
    { name: 'records-retention-lost', paths: [`${a}?source=retention&metric=lost&year=${new Date().getUTCFullYear() - 1}`] },
  ];
}

/**
 * Measures one scenario for one user: warm-up, then sequential requests over a single
 * keep-alive connection, each timed from sending to the last byte of the body.
 */
export async function measureAnalytics(
  baseUrl: string,
  scenario: AnalyticsScenario,
  user: { name: string; token: string },
  timing: AnalyticsTiming,
): Promise<AnalyticsResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { authorization: `Bearer ${user.token}` };
  const paths = scenario.pathsByUser?.[user.name] ?? scenario.paths;
  let failures = 0;
  let firstFailure: string | null = null;
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${baseUrl}${path}`, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const once = async (i: number): Promise<{ ms: number; bytes: number }> => {
    const path = paths[i % paths.length] as string;
    const t0 = performance.now();
    const res = await get(path);
    const ms = performance.now() - t0;
    if (res.status !== 200) {
      failures += 1;
      firstFailure ??= `${res.status} ${path}: ${res.body.slice(0, 300)}`;
    }
    return { ms, bytes: Buffer.byteLength(res.body) };
  };
  try {
    let i = 0;
    const warmEnd = performance.now() + timing.warmupMs;
    let firstMs = Number.NaN;
    let lastMs = 0;
    while (i < Math.max(2, paths.length) || performance.now() < warmEnd) {
      lastMs = (await once(i)).ms;
      if (i === 0) {
        firstMs = lastMs;
      }
      i += 1;
    }
    const slow = lastMs > timing.slowAfterMs;
    failures = 0;
    firstFailure = null;
    const samples: number[] = [];
    let bytes = 0;
    const start = performance.now();
    for (;;) {
      const elapsed = performance.now() - start;
      if (slow ? samples.length >= timing.slowRequests : samples.length >= timing.minRequests && elapsed >= timing.durationMs) {
        break;
      }
      const r = await once(i);
      i += 1;
      samples.push(r.ms);
      bytes += r.bytes;
    }
    const sorted = [...samples].sort((x, y) => x - y);
    return {
      name: scenario.name,
      user: user.name,
      path: paths[0] as string,
      rotating: paths.length,
      requests: samples.length,
      firstMs,
      slow,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxMs: sorted[sorted.length - 1] ?? Number.NaN,
      meanMs: samples.reduce((s, v) => s + v, 0) / samples.length,
      bytes: bytes / samples.length,
      failures,
      firstFailure,
    };
  } finally {
    agent.destroy();
  }
}

/**
 * A records drill-down endpoint (`/api/v1/analytics/records`) is measured when the server has
 * one: the probe says whether it answers, and with what.
 */
export async function probe(baseUrl: string, path: string, token: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.text()).slice(0, 500) };
}
