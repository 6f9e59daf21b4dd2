import { isSettledProductStatus } from "@/lib/domain/status";
import type { ProductDetailView } from "@/lib/services/products";

/**
 * What the product page's watcher compares: while AWS works on a product (or a transfer runs),
 * the page asks for the product every POLL_MS and refreshes its server render when this changes
 * (the status, the row's last update, the transfer's step, a record's status).
 */
export const PRODUCT_POLL_MS = 2000;

/**
 * Calls `ask` every `intervalMs`, each time counted from the previous answer, until the returned
 * function is called (an effect's cleanup). A failed ask (offline for a moment) waits for the next
 * tick. `ask` is told whether polling stopped while it waited.
 */
export function pollEvery(ask: (stopped: () => boolean) => Promise<void>, intervalMs = PRODUCT_POLL_MS): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout>;
  const tick = async () => {
    try {
      await ask(() => stopped);
    } catch {
      // Offline for a moment: ask again at the next tick.
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** What a version is made of: the product page's view, or the poll's (GET /api/products/[id]/changes). */
type Watched = Pick<ProductDetailView, "status" | "updatedAt"> & { transfer: { status: string; step: number } | null; records: { id: string; status: string }[] };

export function productVersion(view: Watched): string {
  return [view.status, view.updatedAt, view.transfer ? `${view.transfer.status}:${view.transfer.step}` : "", view.records.map((r) => `${r.id}:${r.status}`).join(",")].join("|");
}

/** Whether the page should keep asking: AWS is working on it, or a transfer runs (its first step leaves the status as it is). */
export function isWatched(view: Pick<ProductDetailView, "status" | "transfer">): boolean {
  return !isSettledProductStatus(view.status) || view.transfer?.status === "RUNNING";
}
