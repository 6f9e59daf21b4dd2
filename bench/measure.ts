/** Tiny measurement helpers for the benchmarks: repeat, then report percentiles and throughput. */
export type Sample = { name: string; runs: number; p50: number; p95: number; max: number; perSecond: number };

export async function measure(name: string, runs: number, fn: (i: number) => unknown | Promise<unknown>, warmup = Math.min(20, runs)): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  const total = performance.now() - started;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { name, runs, p50: at(0.5), p95: at(0.95), max: times.at(-1) ?? 0, perSecond: (runs / total) * 1000 };
}

export function report(samples: Sample[]): void {
  const rows = samples.map((s) => ({
    benchmark: s.name,
    runs: s.runs,
    "p50 ms": s.p50.toFixed(3),
    "p95 ms": s.p95.toFixed(3),
    "max ms": s.max.toFixed(3),
    "ops/s": Math.round(s.perSecond),
  }));
  console.table(rows);
}

export function memory(label: string): void {
  const m = process.memoryUsage();
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`${label}: rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)}`);
}
