/**
 * Lighthouse (npm `lighthouse`, driving Debian's Chromium) on the pages people use most, signed
 * in: the session cookie goes with every request Lighthouse makes. Performance and accessibility
 * scores (0–100) for Lighthouse's default mobile run (simulated slow 4G and a 4× slower CPU) and
 * its desktop preset. Runs against `next start`. Each figure is the median of 3 runs (by
 * performance score, with that run's metrics), taken in rounds over the pages: on this machine one
 * page's mobile score moved by up to 11 points between single runs of the same code.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import lighthouse, { desktopConfig } from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { runsFrom } from "./load";

export type LighthouseRow = { page: string; preset: "mobile" | "desktop"; performance: number; accessibility: number; lcpMs: number; tbtMs: number; cls: number; failedA11yAudits: string[]; floor?: true };
export type LighthousePage = { name: string; url: string; /** Measured without the session cookie: the floor row. */ signedOut?: true };

const CHROMIUM = process.env.CHROME_PATH ?? "/usr/bin/chromium";

/** One Lighthouse run in a Chromium of its own; Lighthouse sometimes loses a trace (NO_NAVSTART), so up to 3 tries. */
async function run(url: string, cookie: string | null, preset: "mobile" | "desktop") {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    try {
      const result = await lighthouse(
        url,
        { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"], ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}) },
        preset === "desktop" ? desktopConfig : undefined,
      );
      const lhr = result?.lhr;
      if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
      if (lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${lhr.runtimeError.message}`);
      return lhr;
    } catch (error) {
      lastError = error;
    } finally {
      chrome.kill();
    }
  }
  throw lastError;
}

/** BENCH_LIGHTHOUSE_RUNS=7 takes medians of more runs (odd); BENCH_LIGHTHOUSE_PRESETS=mobile runs one preset. */
export const LIGHTHOUSE_RUNS = runsFrom("BENCH_LIGHTHOUSE_RUNS", 3);
const PRESETS = (process.env.BENCH_LIGHTHOUSE_PRESETS ?? "mobile,desktop").split(",").map((p) => p.trim()) as ("mobile" | "desktop")[];

function rowOf(page: string, preset: "mobile" | "desktop", lhr: Awaited<ReturnType<typeof run>>): LighthouseRow {
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const failedA11yAudits = (lhr.categories.accessibility?.auditRefs ?? []).filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1).map((ref) => ref.id);
  return {
    page,
    preset,
    performance: score("performance"),
    accessibility: score("accessibility"),
    lcpMs: Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? NaN),
    tbtMs: Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? NaN),
    cls: Math.round((lhr.audits["cumulative-layout-shift"]?.numericValue ?? NaN) * 1000) / 1000,
    failedA11yAudits,
  };
}

export async function lighthouseScores(pages: LighthousePage[], cookie: string, log: (line: string) => void): Promise<LighthouseRow[]> {
  const rows: LighthouseRow[] = [];
  for (const preset of PRESETS) {
    const runs: LighthouseRow[][] = pages.map(() => []);
    for (let round = 1; round <= LIGHTHOUSE_RUNS; round++) {
      for (const [i, page] of pages.entries()) {
        const lhr = await run(page.url, page.signedOut ? null : cookie, preset);
        // BENCH_LIGHTHOUSE_DIR=dir keeps each full report (network requests, main-thread work) to read.
        const keep = process.env.BENCH_LIGHTHOUSE_DIR;
        if (keep) {
          mkdirSync(keep, { recursive: true });
          writeFileSync(path.join(keep, `${page.name.replace(/\W+/g, "-").toLowerCase()}-${preset}-${round}.json`), JSON.stringify(lhr));
        }
        const row = { ...rowOf(page.name, preset, lhr), ...(page.signedOut ? { floor: true as const } : {}) };
        log(`lighthouse ${preset} ${page.name} (run ${round}/${LIGHTHOUSE_RUNS}): performance ${row.performance}, accessibility ${row.accessibility}, TBT ${row.tbtMs} ms, CLS ${row.cls}${row.failedA11yAudits.length ? ` (${row.failedA11yAudits.join(", ")})` : ""}`);
        runs[i]!.push(row);
      }
    }
    for (const pageRuns of runs) {
      const sorted = [...pageRuns].sort((a, b) => a.performance - b.performance);
      rows.push(sorted[Math.floor(sorted.length / 2)]!);
    }
  }
  return rows;
}
