import pg from "pg";
import { vi } from "vitest";

/**
 * How many statements `run` sends to PostgreSQL (every pg client's, the pool's included): the
 * "a fixed number of queries whatever the page size" tests count with it.
 */
export async function countQueries<T>(run: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const spy = vi.spyOn(pg.Client.prototype, "query");
  try {
    const result = await run();
    return { result, queries: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

/** The queries of one page at each size: one list call per limit. */
export async function queriesPerPage(limits: number[], page: (limit: number) => Promise<{ items: unknown[] }>): Promise<number[]> {
  const counts: number[] = [];
  for (const limit of limits) {
    const { result, queries } = await countQueries(() => page(limit));
    if (result.items.length !== limit) throw new Error(`a page of ${limit} held ${result.items.length} rows`);
    counts.push(queries);
  }
  return counts;
}
