/**
 * `npm run bench`: the portal measured from outside, over HTTP, as people meet it. Builds the
 * production bundle when it is stale and starts it as `npm start` does (local mode: embedded
 * PostgreSQL, the AWS emulator with 1.5 s provisioning, the local OIDC provider), seeds 1,000
 * people, 20,000 provisioned products and 1,000,000 audit events (bench/seed.ts), signs people in
 * by minting their next-auth session cookies exactly as the sign-in callback writes them, then:
 *   1. requests/s and latency per route with autocannon (20 connections, median of 3 × 4 s taken
 *      in rounds over the routes), as ratios of a baseline route (fixed JSON, no session, no
 *      database) and of /api/me (the same guard and one row read: the floor of any signed-in
 *      API), with the issue's targets;
 *   2. AWS calls per action from the emulator's call log;
 *   3. 200 launches by 50 people at once with 10% of Service Catalog calls throttled;
 *   4. status latency: AWS finishing a record to the portal's row showing it final;
 *   5. two portal instances on one database under the same kind of storm (bench/instances.ts);
 *   6. Lighthouse performance and accessibility of four pages, signed in (bench/lighthouse.ts);
 *   7. first-load JavaScript per route from the build.
 * Prints a table and writes bench/results.json. Asserts nothing; not part of npm test.
 * BENCH_STEPS=routes,aws,storm,instances,lighthouse,frontend runs only those (results go to
 * bench/results.partial.json then), for trying one change without the whole 15 minutes.
 */
import os from "node:os";
import { writeFileSync } from "node:fs";
import { startBenchPortal } from "./portal";
import { LAUNCHERS, PEOPLE, PRODUCTS, seed, sessionCookie } from "./seed";
import { CONNECTIONS, loadInRounds, RUNS, SECONDS, type LoadResult } from "./load";
import { awsCalls, bucketProduct, callsFor, launch, launchStorm, operation, resetCalls, statusLatencies, trackingBreakdown, waitSettled } from "./scenarios";
import { FRONT_END_ROUTES, firstLoadJs } from "./frontend";
import { startSecondInstance, twoInstanceStorm, type TwoInstances } from "./instances";
import { lighthouseScores, type LighthousePage, type LighthouseRow } from "./lighthouse";

const ALL_STEPS = ["routes", "aws", "storm", "instances", "lighthouse", "frontend"] as const;
const STEPS = new Set((process.env.BENCH_STEPS ?? ALL_STEPS.join(",")).split(",").map((s) => s.trim()));
const partial = ALL_STEPS.some((step) => !STEPS.has(step));
/** BENCH_LIGHTHOUSE_PAGES="my products,floor" measures only the pages whose names start so. */
const LIGHTHOUSE_PAGES = process.env.BENCH_LIGHTHOUSE_PAGES?.split(",").map((name) => name.trim().toLowerCase());

const log = (line: string) => console.error(`[bench] ${line}`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

type RouteRow = LoadResult & { route: string; group: "baseline" | "floor" | "my-products" | "detail" | "catalog" | "admin" | "polling" | "control" | "other"; ofBaseline: number; ofMe: number; p99OfMe: number; target?: string; pass?: boolean };

async function main() {
  const started = Date.now();
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryGiB: round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.platform()} ${os.release()}`, date: new Date().toISOString() };
  log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const portBase = Number(process.env.BENCH_PORT_BASE ?? 4700);
  const portal = await startBenchPortal({ portBase, dataDir: ".data/bench", log });
  try {
    const seeded = await seed(portal.databaseUrl, log);
    const cookie = { few: await sessionCookie(seeded.few, portal.authSecret), many: await sessionCookie(seeded.many, portal.authSecret), admin: await sessionCookie(seeded.admin, portal.authSecret) };
    const u = (p: string) => `${portal.url}${p}`;

    // 1. Throughput per route.
    const routes: { route: string; url: string; cookie?: string; group: RouteRow["group"] }[] = [
      { route: "baseline GET /api/health/live", url: u("/api/health/live"), group: "baseline" },
      { route: "GET /api/me", url: u("/api/me"), cookie: cookie.few, group: "floor" },
      { route: "GET /api/products (50 products)", url: u("/api/products"), cookie: cookie.few, group: "my-products" },
      { route: "GET /api/products (2,000 products)", url: u("/api/products"), cookie: cookie.many, group: "my-products" },
      { route: "GET /api/products/changes (2,000; the poll)", url: u("/api/products/changes"), cookie: cookie.many, group: "polling" },
      // Two floors for the page rows: the lightest page through the same build (sign-in, signed
      // out: no session, no database), and a signed-in page with the same layout and guard as My
      // products and one list query that finds nothing (Shared with me, for someone nobody shared
      // with). What a page costs above the second is its own rows.
      { route: "page /signin (signed out; floor of a page)", url: u("/signin"), group: "other" },
      { route: "page /products/shared (empty; floor of a signed-in page)", url: u("/products/shared"), cookie: cookie.few, group: "other" },
      { route: "page /products (50)", url: u("/products"), cookie: cookie.few, group: "other" },
      { route: "page /products (2,000)", url: u("/products"), cookie: cookie.many, group: "other" },
      { route: "GET /api/products/[id]", url: u(`/api/products/${seeded.productOfFew}`), cookie: cookie.few, group: "detail" },
      { route: "GET /api/products/[id]/changes (the product page's poll)", url: u(`/api/products/${seeded.productOfFew}/changes`), cookie: cookie.few, group: "polling" },
      { route: "page /products/[id]", url: u(`/products/${seeded.productOfFew}`), cookie: cookie.few, group: "other" },
      { route: "GET /api/catalog", url: u("/api/catalog"), cookie: cookie.few, group: "catalog" },
      { route: "page /catalog", url: u("/catalog"), cookie: cookie.few, group: "other" },
      { route: "GET /api/admin/products (all 20,000)", url: u("/api/admin/products"), cookie: cookie.admin, group: "admin" },
      { route: "  ?status=ERROR", url: u("/api/admin/products?status=ERROR"), cookie: cookie.admin, group: "admin" },
      { route: "  ?product=…", url: u("/api/admin/products?product=prod-aaaaaaaaaaaaa"), cookie: cookie.admin, group: "admin" },
      { route: "  ?owner=user0005@…", url: u("/api/admin/products?owner=user0005%40example.org"), cookie: cookie.admin, group: "admin" },
      { route: "  ?department=Dept 4", url: u("/api/admin/products?department=Dept%204"), cookie: cookie.admin, group: "admin" },
      { route: "  ?project=Project 7", url: u("/api/admin/products?project=Project%207"), cookie: cookie.admin, group: "admin" },
      { route: "  ?q=ws-0001", url: u("/api/admin/products?q=ws-0001"), cookie: cookie.admin, group: "admin" },
      { route: "  ?transfer=active", url: u("/api/admin/products?transfer=active"), cookie: cookie.admin, group: "admin" },
      { route: "  ?sort=name", url: u("/api/admin/products?sort=name"), cookie: cookie.admin, group: "admin" },
      // An A/A control: /api/me again, as far from its first run in each round as the last admin
      // row. Its ratios to /api/me would be 1 on a quiet machine; how far they are from 1 is how far
      // apart two runs of the same route land here, the noise every ratio above carries.
      { route: "control: GET /api/me again", url: u("/api/me"), cookie: cookie.few, group: "control" },
      { route: "page /admin/products", url: u("/admin/products"), cookie: cookie.admin, group: "other" },
      { route: "page /admin/audit (1,000,000 events)", url: u("/admin/audit"), cookie: cookie.admin, group: "other" },
    ];
    // Warm up every route (compilation caches, connection pools, the AWS session for the catalog).
    if (STEPS.has("routes")) for (const r of routes) for (let i = 0; i < 5; i++) await (await fetch(r.url, { headers: r.cookie ? { cookie: r.cookie } : {} })).arrayBuffer();
    const targets = (STEPS.has("routes") ? routes : []).map((r) => ({ ...r, headers: r.cookie ? { cookie: r.cookie } : ({} as Record<string, string>) }));
    const perRoute = await loadInRounds(targets, u("/api/health/live"), (r, n, result) => log(`round ${n + 1}/${RUNS} ${r.route}: ${round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms${result.non2xx ? `, ${result.non2xx} non-2xx!` : ""}`));
    const measured: (LoadResult & (typeof routes)[number])[] = targets.map((r, i) => ({ ...r, ...perRoute[i]! }));
    const baseline = measured.find((r) => r.group === "baseline") ?? ({ requestsPerSecond: NaN } as LoadResult);
    const me = measured.find((r) => r.group === "floor") ?? ({ requestsPerSecond: NaN, p99Ms: NaN } as LoadResult);
    const rows: RouteRow[] = measured.map((r) => {
      const row: RouteRow = { route: r.route, group: r.group, requestsPerSecond: round(r.requestsPerSecond), p50Ms: r.p50Ms, p99Ms: r.p99Ms, bytesPerResponse: r.bytesPerResponse, non2xx: r.non2xx, ofBaseline: round(r.requestsPerSecond / baseline.requestsPerSecond, 2), ofMe: round(r.requestsPerSecond / me.requestsPerSecond, 2), p99OfMe: round(r.p99Ms / me.p99Ms, 2) };
      if (r.group === "my-products") {
        row.target = "≥0.70 of /api/me, ≥0.40 of baseline, p99 ≤1.5×";
        row.pass = row.ofMe >= 0.7 && row.ofBaseline >= 0.4 && row.p99OfMe <= 1.5;
      } else if (r.group === "admin") {
        row.target = "≥0.50 of /api/me, p99 ≤2×";
        row.pass = row.ofMe >= 0.5 && row.p99OfMe <= 2;
      }
      return row;
    });

    const fresh = seeded.launchers[0]!;
    const freshCookie = await sessionCookie(fresh, portal.authSecret);
    const bucket = await bucketProduct(portal.url, freshCookie);

    // 2. AWS calls per action.
    let aws: Record<string, unknown> | undefined;
    if (STEPS.has("aws")) {
      log("AWS calls per action");
      const views = {
        myProducts: await callsFor(portal.emulatorUrl, u("/products"), cookie.many, 20),
        detail: await callsFor(portal.emulatorUrl, u(`/products/${seeded.productOfFew}`), cookie.few, 20),
        adminList: await callsFor(portal.emulatorUrl, u("/admin/products"), cookie.admin, 20),
      };
      const assumeAcross100 = await callsFor(portal.emulatorUrl, u("/api/catalog"), await sessionCookie(seeded.launchers[1]!, portal.authSecret), 100);
      await resetCalls(portal.emulatorUrl);
      const single = await launch(portal.url, freshCookie, bucket, `bench-single-${started.toString(36)}`);
      const singleStart = Date.now();
      const singleSettled = await waitSettled(portal.databaseUrl, single.id ? [single.id] : [], singleStart, 60_000);
      const singleCalls = await awsCalls(portal.emulatorUrl);
      aws = {
        pageViews20: { myProducts: views.myProducts.serviceCatalog, detail: views.detail.serviceCatalog, adminList: views.adminList.serviceCatalog },
        assumeRoleAcross100Requests: assumeAcross100.assumeRole,
        launch: { status: single.status, provisionProduct: operation(singleCalls, "servicecatalog:ProvisionProduct"), describeRecord: operation(singleCalls, "servicecatalog:DescribeRecord"), secondsToAvailable: round(singleSettled.wallSeconds), byOperation: singleCalls.byOperation },
      };
      log(`AWS: ${JSON.stringify(aws)}`);
    }

    // 6 (run while the portal is quiet). Lighthouse, signed in as the person with 50 products.
    let lighthouse: LighthouseRow[] | undefined;
    if (STEPS.has("lighthouse")) {
      log("Lighthouse");
      const pages: LighthousePage[] = [
        { name: "Catalog", url: u("/catalog") },
        { name: "My products", url: u("/products") },
        { name: "Product detail", url: u(`/products/${seeded.productOfFew}`) },
        { name: "Launch form", url: u(`/catalog/${bucket.productId}/launch`) },
        // The floor: the same build's lightest page (signed out: a heading, a paragraph and one
        // button), measured in the same rounds. No target; how far the pages above land below
        // it is what they add, and its own score is what this host and the framework allow.
        { name: "Floor: sign-in page (signed out)", url: u("/signin"), signedOut: true },
      ];
      lighthouse = await lighthouseScores(
        pages.filter((page) => !LIGHTHOUSE_PAGES || LIGHTHOUSE_PAGES.some((name) => page.name.toLowerCase().startsWith(name))),
        cookie.few,
        log,
      );
    }

    const people = await Promise.all(seeded.launchers.map(async (user) => ({ user, cookie: await sessionCookie(user, portal.authSecret) })));
    // 3 and 4. 200 launches by 50 people at once, 10% of Service Catalog calls throttled.
    let stormSummary: Omit<Awaited<ReturnType<typeof launchStorm>>, "ids"> | undefined;
    let statusLatency: Record<string, unknown> | undefined;
    if (STEPS.has("storm")) {
      log(`${LAUNCHERS * 4} launches by ${LAUNCHERS} people at once, 10% of Service Catalog calls throttled`);
      const storm = await launchStorm(portal.url, portal.emulatorUrl, portal.databaseUrl, people, bucket, 4, 0.1);
      const latencies = await statusLatencies(portal.databaseUrl, storm.ids);
      const { ids: _ids, ...summary } = storm;
      stormSummary = summary;
      statusLatency = { measured: latencies.length, medianSeconds: round(quantile(latencies, 0.5), 2), p99Seconds: round(quantile(latencies, 0.99), 2), target: "median ≤ 3 s", breakdown: await trackingBreakdown(portal.databaseUrl, storm.ids) };
      log(`storm: ${JSON.stringify(stormSummary)}; status latency ${JSON.stringify(statusLatency)}`);
    }

    // 5. Two instances on one database: 100 launches, alternately through each, 10% throttled.
    let twoInstances: TwoInstances | undefined;
    if (STEPS.has("instances")) {
      log(`two instances: ${LAUNCHERS * 2} launches alternately through each, 10% of Service Catalog calls throttled`);
      const second = await startSecondInstance({ port: portBase + 4, databaseUrl: portal.databaseUrl, emulatorUrl: portal.emulatorUrl, oidcIssuer: `http://localhost:${portBase + 1}`, authSecret: portal.authSecret, log });
      try {
        twoInstances = await twoInstanceStorm([portal.url, second.url], portal.emulatorUrl, portal.databaseUrl, people, bucket, 2);
      } finally {
        await second.stop();
      }
      log(`two instances: ${JSON.stringify(twoInstances)}`);
    }

    // 5. First-load JavaScript.
    const frontEnd = STEPS.has("frontend") ? FRONT_END_ROUTES.map((r) => ({ ...firstLoadJs(".next", r.appRoute), route: r.name, target: "≤ 150 KB" })) : [];

    const results = {
      machine,
      setup: { people: PEOPLE, products: PRODUCTS, auditEvents: 1_000_000, connections: CONNECTIONS, secondsPerRun: SECONDS, runs: RUNS, durationSeconds: round((Date.now() - started) / 1000, 0) },
      routes: rows,
      aws,
      storm: stormSummary,
      statusLatency,
      twoInstances,
      lighthouse,
      frontEnd,
    };
    writeFileSync(partial ? "bench/results.partial.json" : "bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
    console.log(markdown(results));
  } finally {
    await portal.stop();
  }
}

function markdown(r: {
  machine: Record<string, unknown>;
  setup: { runs: number; secondsPerRun: number };
  routes: RouteRow[];
  aws?: Record<string, unknown>;
  storm?: Omit<Awaited<ReturnType<typeof launchStorm>>, "ids">;
  statusLatency?: Record<string, unknown>;
  twoInstances?: TwoInstances;
  lighthouse?: LighthouseRow[];
  frontEnd: { route: string; firstLoadJsGzipKb: number }[];
}): string {
  const m = r.machine;
  const lines = [`Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.date}. 20 connections, median of ${r.setup.runs} × ${r.setup.secondsPerRun} s runs, taken in rounds over the routes.`, ""];
  if (r.routes.length) {
    lines.push(
      "| Route | req/s | × baseline | × /api/me | p50 ms | p99 ms | p99 × /api/me | bytes | target |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---|",
      ...r.routes.map((x) => `| ${x.route.trim()} | ${x.requestsPerSecond} | ${x.ofBaseline} | ${x.ofMe} | ${x.p50Ms} | ${x.p99Ms} | ${x.p99OfMe} | ${x.bytesPerResponse} | ${x.target ? `${x.pass ? "✓" : "✗"} ${x.target}` : ""} |`),
      "",
    );
  }
  if (r.aws) lines.push(`AWS calls: ${JSON.stringify(r.aws)}`, "");
  if (r.storm) lines.push(`200 launches: ${JSON.stringify(r.storm)}`, `Status latency: ${JSON.stringify(r.statusLatency)}`, "");
  if (r.twoInstances) lines.push(`Two instances: ${JSON.stringify(r.twoInstances)}`, "");
  if (r.lighthouse) {
    lines.push(
      "| Page | Lighthouse | performance | accessibility | LCP ms | TBT ms | CLS |",
      "|---|---|---:|---:|---:|---:|---:|",
      ...r.lighthouse.map((l) => {
        const mark = (pass: boolean) => (l.floor ? "" : pass ? " ✓" : " ✗");
        return `| ${l.page} | ${l.preset} | ${l.performance}${mark(l.performance >= 95)} | ${l.accessibility}${mark(l.accessibility === 100)} | ${l.lcpMs} | ${l.tbtMs} | ${l.cls} |`;
      }),
      "",
    );
  }
  if (r.frontEnd.length) lines.push("| Route | first-load JS (gzip) |", "|---|---:|", ...r.frontEnd.map((f) => `| ${f.route} | ${f.firstLoadJsGzipKb} KB ${f.firstLoadJsGzipKb <= 150 ? "✓" : "✗"} |`));
  return lines.join("\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
