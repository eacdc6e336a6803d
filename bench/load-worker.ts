/**
 * The load generator, in a process of its own (forked by run.ts). On two cores autocannon and
 * the server compete for CPU whatever process autocannon runs in; running it here keeps the
 * orchestrator's own work (polling /proc, the database floor's open file, timers) out of its
 * event loop, and lets run.ts measure how much CPU the load generator itself burns.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  baseUrl: string;
  /** Paths requested in turn across all connections (one path: the same request every time). */
  paths: string[];
  connections: number;
  durationSec: number;
  headers: Record<string, string>;
}

export interface LoadSummary {
  requests: number;
  durationSec: number;
  /** Completed requests per second, over the whole run. */
  rps: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Responses other than 2xx, connection errors and timeouts: any of these spoils the run. */
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerSec: number;
  /** CPU time the load generator used during the run (user + system), in milliseconds. */
  loaderCpuMs: number;
}

async function runLoad(req: LoadRequest): Promise<LoadSummary> {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const result = await autocannon({
    url: `${req.baseUrl}${req.paths[0] ?? '/'}`,
    connections: req.connections,
    duration: req.durationSec,
    // autocannon gives up on a request after 10 s by default; at 64 connections an endpoint that
    // costs 150 ms queues for longer than that, and its latency is what we mean to measure.
    timeout: 60,
    headers: req.headers,
    ...(req.paths.length > 1
      ? {
          requests: [
            {
              method: 'GET',
              setupRequest: (r) => {
                const path = req.paths[next % req.paths.length] as string;
                next += 1;
                return { ...r, path };
              },
            },
          ],
        }
      : {}),
  });
  const cpu = process.cpuUsage(cpu0);
  const completed = result.requests.total;
  return {
    requests: completed,
    durationSec: result.duration,
    rps: completed / result.duration,
    latencyMs: { mean: result.latency.mean, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerSec: result.throughput.mean,
    loaderCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

process.on('message', (message: LoadRequest) => {
  runLoad(message).then(
    (summary) => process.send?.({ ok: true, summary }),
    (err: unknown) => process.send?.({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
