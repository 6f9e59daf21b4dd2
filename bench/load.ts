/**
 * Load from outside the portal over HTTP with autocannon: a fixed number of connections for a
 * fixed time; each figure is the median of 3 runs (by requests/s, with that run's latencies).
 */
import autocannon from "autocannon";

export type LoadResult = { requestsPerSecond: number; p50Ms: number; p99Ms: number; bytesPerResponse: number; non2xx: number };

export const CONNECTIONS = 20;
export const SECONDS = 4;
export const RUNS = 3;

async function once(url: string, headers: Record<string, string>): Promise<LoadResult> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  const completed = result.requests.total || 1;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    bytesPerResponse: Math.round(result.throughput.total / completed),
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

export async function load(url: string, headers: Record<string, string> = {}): Promise<LoadResult> {
  const runs: LoadResult[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(url, headers));
  runs.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return runs[Math.floor(RUNS / 2)]!;
}
