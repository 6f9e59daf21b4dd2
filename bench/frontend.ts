/**
 * First-load JavaScript per route, from the production build: the scripts a browser must fetch
 * before the route is interactive (the build's root chunks, plus the entry chunks of the route's
 * layouts and page from its client reference manifest; not the error/not-found boundaries, not
 * code loaded later with import()), each gzip-compressed at level 9 as `next start` serves it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);

export type BundleRow = { route: string; firstLoadJsGzipKb: number; files: number };

const BOUNDARIES = /\/(error|not-found|forbidden|unauthorized|global-error)$/;

export function firstLoadJs(distDir: string, appRoute: string): BundleRow {
  const build = JSON.parse(readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const manifestFile = path.resolve(distDir, "server/app", appRoute, "page_client-reference-manifest.js");
  const holder = globalThis as unknown as { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }>; self?: unknown };
  holder.self ??= globalThis;
  holder.__RSC_MANIFEST = {};
  delete require.cache[manifestFile];
  require(manifestFile);
  const manifest = Object.values(holder.__RSC_MANIFEST)[0];
  if (!manifest) throw new Error(`no client reference manifest for ${appRoute}`);
  const files = new Set(build.rootMainFiles);
  for (const [entry, chunks] of Object.entries(manifest.entryJSFiles)) if (!BOUNDARIES.test(entry)) for (const chunk of chunks) files.add(chunk);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(readFileSync(path.join(distDir, file)), { level: 9 }).length;
  return { route: appRoute, firstLoadJsGzipKb: Math.round((bytes / 1024) * 10) / 10, files: files.size };
}

export const FRONT_END_ROUTES = [
  { name: "Catalog (/catalog)", appRoute: "(portal)/catalog" },
  { name: "My products (/products)", appRoute: "(portal)/products" },
  { name: "Product detail (/products/[id])", appRoute: "(portal)/products/[id]" },
  { name: "Launch form (/catalog/[productId]/launch)", appRoute: "(portal)/catalog/[productId]/launch" },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of FRONT_END_ROUTES) console.log(`${r.name}: ${firstLoadJs(".next", r.appRoute).firstLoadJsGzipKb} KB`);
}
