/**
 * Load from outside the portal over HTTP with autocannon: a fixed number of connections for a
 * fixed time; each figure is the median of 3 runs (by requests/s, with that run's latencies), taken in rounds.
 */
import autocannon from "autocannon";

export type LoadResult = { requestsPerSecond: number; p50Ms: number; p99Ms: number; bytesPerResponse: number; non2xx: number };

export const CONNECTIONS = 20;
export const SECONDS = 4;
export const RUNS = 3;

export async function once(url: string, headers: Record<string, string>): Promise<LoadResult> {
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

/** The run with the median requests/s, with that run's latencies. */
export function median(runs: LoadResult[]): LoadResult {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * `RUNS` runs of every target, taken in rounds (each target once, then each once again, …) rather
 * than one target's runs back to back: this machine's speed drifts over minutes, and a ratio of
 * two routes measured minutes apart moved with it.
 */
export async function loadInRounds<T extends { url: string; headers: Record<string, string> }>(targets: T[], log?: (target: T, round: number, result: LoadResult) => void): Promise<LoadResult[]> {
  const runs: LoadResult[][] = targets.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    for (const [i, target] of targets.entries()) {
      const result = await once(target.url, target.headers);
      runs[i]!.push(result);
      log?.(target, round, result);
    }
  }
  return runs.map(median);
}
