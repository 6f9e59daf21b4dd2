import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { TooManyRequestsError } from "@/lib/errors";

/**
 * Per-person budgets for the requests that cost AWS work or invite enumeration, kept in
 * PostgreSQL so that every portal instance draws on the same budget.
 *
 * The algorithm is GCRA (a leaky bucket kept as one timestamp per person and action): with a
 * budget of N a minute a person may make N requests at once, then one more every 60/N seconds.
 * One INSERT … ON CONFLICT DO UPDATE … WHERE decides and records a request atomically, so
 * concurrent requests (in one instance or several) can never overdraw it. Only requests that are
 * otherwise valid are counted; a refused one costs nothing.
 */
export type RateLimitedAction = "launch" | "preview" | "name-check";

const WORDS: Record<RateLimitedAction, (n: number) => string> = {
  launch: (n) => `You can launch at most ${n} products a minute.`,
  preview: (n) => `You can preview at most ${n} updates a minute.`,
  "name-check": (n) => `You can check at most ${n} names a minute.`,
};

function perMinute(action: RateLimitedAction): number {
  const settings = env();
  switch (action) {
    case "launch":
      return settings.RATE_LIMIT_LAUNCHES_PER_MINUTE;
    case "preview":
      return settings.RATE_LIMIT_PREVIEWS_PER_MINUTE;
    case "name-check":
      return settings.RATE_LIMIT_NAME_CHECKS_PER_MINUTE;
  }
}

const PERIOD_MS = 60_000;

/**
 * Takes one request from the budget named `key` (a burst of `limit`, refilled over `periodMs`), or
 * says how long until the next one would be allowed. The building block of every budget.
 */
export async function takeFromBudget(key: string, limit: number, periodMs: number): Promise<{ taken: true } | { taken: false; waitMs: number }> {
  const emissionMs = periodMs / limit;
  // Allowed when the next theoretical arrival time stays within one period from now; the row is
  // written only then (an ON CONFLICT update whose WHERE fails returns no row).
  const taken = await db.$queryRaw<{ tat: Date }[]>`
    INSERT INTO rate_limits AS r (key, tat) VALUES (${key}, now() + ${emissionMs}::float8 * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, now()) + ${emissionMs}::float8 * interval '1 millisecond'
    WHERE greatest(r.tat, now()) + ${emissionMs}::float8 * interval '1 millisecond' <= now() + ${periodMs}::float8 * interval '1 millisecond'
    RETURNING r.tat`;
  if (taken.length > 0) return { taken: true };
  const [row] = await db.$queryRaw<{ wait_ms: number }[]>`
    SELECT extract(epoch FROM (tat + ${emissionMs - periodMs}::float8 * interval '1 millisecond' - now())) * 1000 AS wait_ms
    FROM rate_limits WHERE key = ${key}`;
  return { taken: false, waitMs: Number(row?.wait_ms ?? emissionMs) };
}

/** Takes one request from the person's budget for `action`, or throws 429 saying when to retry. */
export async function consumeRateLimit(userId: string, action: RateLimitedAction): Promise<void> {
  const limit = perMinute(action);
  const result = await takeFromBudget(`${action}:${userId}`, limit, PERIOD_MS);
  if (result.taken) return;
  const seconds = Math.max(1, Math.ceil(result.waitMs / 1000));
  throw new TooManyRequestsError(`${WORDS[action](limit)} Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`, seconds);
}
