/**
 * Load from outside the portal over HTTP with autocannon: a fixed number of connections for a
 * fixed time; each figure is the median of `RUNS` runs, taken in rounds over the routes.
 */
import autocannon from "autocannon";

export type LoadResult = { requestsPerSecond: number; p50Ms: number; p99Ms: number; bytesPerResponse: number; non2xx: number };

export const CONNECTIONS = 20;
export const SECONDS = 4;
/**
 * 5 runs rather than the 3: on this 2-core machine the A/A control row (the same route
 * measured twice in one bench) landed 0.70× from itself in p99 with medians of 3, more than the
 * margins of the targets. BENCH_RUNS overrides it (odd, 1–15).
 */
export const RUNS = runsFrom("BENCH_RUNS", 5);

export function runsFrom(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 15 || n % 2 === 0) throw new Error(`${name} must be an odd whole number from 1 to 15 (a median needs a middle run); got "${value}"`);
  return n;
}

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

/**
 * Each figure the median of its runs (requests/s, p50 and p99 each on their own: one stall in a
 * 4 s run sets its p99, so "the p99 of the run with the median requests/s" moved 50–130 ms for the
 * same route within one bench); responses that were not 2xx are added up, never hidden.
 */
export function median(runs: LoadResult[]): LoadResult {
  const mid = (pick: (r: LoadResult) => number) => [...runs].map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  return {
    requestsPerSecond: mid((r) => r.requestsPerSecond),
    p50Ms: mid((r) => r.p50Ms),
    p99Ms: mid((r) => r.p99Ms),
    bytesPerResponse: mid((r) => r.bytesPerResponse),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

/**
 * Waits until the portal is idle again: when a run ends, autocannon closes its connections with up
 * to `CONNECTIONS` requests still being answered, and the portal finishes them (for a page, up to
 * 20 renders, over half a second of work) while the next run starts; that run's first responses
 * then waited for another route's work, and its p99 showed it. Idle = two answers in a row from
 * `probeUrl` (fixed JSON, no session, no database) within 10 ms; at most 10 s.
 */
export async function settle(probeUrl: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  let quick = 0;
  while (quick < 2 && performance.now() < deadline) {
    const started = performance.now();
    await (await fetch(probeUrl)).arrayBuffer();
    quick = performance.now() - started < 10 ? quick + 1 : 0;
    if (quick === 0) await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `RUNS` runs of every target, taken in rounds (each target once, then each once again, …) rather
 * than one target's runs back to back: this machine's speed drifts over minutes, and a ratio of
 * two routes measured minutes apart moved with it.
 */
export async function loadInRounds<T extends { url: string; headers: Record<string, string> }>(targets: T[], probeUrl: string, log?: (target: T, round: number, result: LoadResult) => void): Promise<LoadResult[]> {
  const runs: LoadResult[][] = targets.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    for (const [i, target] of targets.entries()) {
      await settle(probeUrl);
      const result = await once(target.url, target.headers);
      runs[i]!.push(result);
      log?.(target, round, result);
    }
  }
  return runs.map(median);
}
