/**
 * The database floor: the reads an endpoint makes, done in-process through the app's own
 * query code (listClients, getClient, resolveToken over Kysely and better-sqlite3), one at a
 * time. better-sqlite3 runs queries synchronously on the calling thread, so the CPU time per
 * call is the CPU the server spends on the database for each request; it is what the split of
 * a request's time uses, because wall-clock time counts every moment another process had the core.
 */

export interface Timing {
  calls: number;
  opsPerSec: number;
  /** Mean wall-clock time per call; inflated whenever the machine preempts the bench. */
  meanMs: number;
  /** Mean CPU time per call (user + system, from process.cpuUsage): what the server would spend, and robust to a busy machine. */
  cpuMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The q-th quantile of sorted values (nearest rank). */
export function quantile(sorted: Float64Array | number[], q: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * Calls `op` back to back: first for `warmupMs` (JIT, SQLite page cache, Kysely's compiled
 * query cache), then for `durationMs`, timing every call.
 */
export async function timeLoop(op: (i: number) => Promise<unknown>, opts: { warmupMs: number; durationMs: number }): Promise<Timing> {
  let i = 0;
  const warmEnd = performance.now() + opts.warmupMs;
  while (performance.now() < warmEnd) {
    await op(i);
    i += 1;
  }
  let samples = new Float64Array(65_536);
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + opts.durationMs;
  let t = start;
  while (t < end) {
    await op(i);
    i += 1;
    const after = performance.now();
    if (n === samples.length) {
      const grown = new Float64Array(samples.length * 2);
      grown.set(samples);
      samples = grown;
    }
    samples[n] = after - t;
    n += 1;
    t = after;
  }
  const cpu = process.cpuUsage(cpu0);
  const elapsed = t - start;
  const sorted = samples.subarray(0, n).sort();
  let sum = 0;
  for (const v of sorted) {
    sum += v;
  }
  return {
    calls: n,
    opsPerSec: (n * 1000) / elapsed,
    meanMs: sum / n,
    cpuMs: (cpu.user + cpu.system) / 1000 / n,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted[n - 1] ?? Number.NaN,
  };
}
