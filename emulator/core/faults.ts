import { z } from "zod";

/**
 * Fault injection for tests and the demo (POST /_emulator/faults). Body (every field optional;
 * POST merges into the current settings, DELETE clears them):
 *
 *   {
 *     "throttlingRate": 0.3,        // share of AWS calls refused with ThrottlingException (STS: Throttling), 0..1
 *     "internalErrorRate": 0.1,     // share of AWS calls failing with HTTP 500 InternalFailure, 0..1
 *     "latencyMs": 250,             // added before every AWS response
 *     "throttleNext": 2,            // the next N AWS calls are throttled (deterministic)
 *     "internalErrorNext": 1,       // the next N AWS calls fail with HTTP 500
 *     "operations": ["ProvisionProduct"],  // limit the above to these operations (default: all)
 *     "callers": ["arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/bob"],
 *                                   // limit them to these callers' ARNs (default: all)
 *     "failNext": {                 // one-shot: the next matching provisioning fails (record FAILED)
 *       "productId": "prod-...",    // or "productName": "EC2 Linux Instance" (neither: any product)
 *       "operation": "PROVISION",   // PROVISION (default) | UPDATE | TERMINATE
 *       "message": "Simulated failure"
 *     },                            // an array of these queues several
 *     "expireSessions": true,       // every STS session issued so far expires now (ExpiredToken)
 *     "searchLagMs": 30000          // SearchProvisionedProducts answers from a copy of the account's
 *                                   // provisioned products taken at most this long ago: a search
 *                                   // index that has not caught up (a product launched since is
 *                                   // missing, one changed since shows its earlier state)
 *   }
 */
const failure = z.object({
  productId: z.string().optional(),
  productName: z.string().optional(),
  operation: z.enum(["PROVISION", "UPDATE", "TERMINATE"]).default("PROVISION"),
  message: z.string().min(1),
});

export const faultsBody = z
  .object({
    throttlingRate: z.number().min(0).max(1).optional(),
    internalErrorRate: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    throttleNext: z.number().int().min(0).optional(),
    internalErrorNext: z.number().int().min(0).optional(),
    operations: z.array(z.string()).nullable().optional(),
    callers: z.array(z.string()).nullable().optional(),
    failNext: z.union([failure, z.array(failure)]).optional(),
    expireSessions: z.boolean().optional(),
    searchLagMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .strict();

export type FaultsBody = z.infer<typeof faultsBody>;
export type InjectedFailure = z.infer<typeof failure>;

export type FaultSettings = {
  throttlingRate: number;
  internalErrorRate: number;
  latencyMs: number;
  throttleNext: number;
  internalErrorNext: number;
  operations: string[] | null;
  callers: string[] | null;
  failNext: InjectedFailure[];
  searchLagMs: number;
};

function noFaults(): FaultSettings {
  return { throttlingRate: 0, internalErrorRate: 0, latencyMs: 0, throttleNext: 0, internalErrorNext: 0, operations: null, callers: null, failNext: [], searchLagMs: 0 };
}

export type CallFault = { kind: "throttle" | "internal"; latencyMs: number } | { kind: "none"; latencyMs: number };

export class Faults {
  private settings: FaultSettings = noFaults();

  constructor(private readonly random: () => number = Math.random) {}

  get current(): FaultSettings {
    return structuredClone(this.settings);
  }

  apply(body: FaultsBody): void {
    const s = this.settings;
    if (body.throttlingRate !== undefined) s.throttlingRate = body.throttlingRate;
    if (body.internalErrorRate !== undefined) s.internalErrorRate = body.internalErrorRate;
    if (body.latencyMs !== undefined) s.latencyMs = body.latencyMs;
    if (body.throttleNext !== undefined) s.throttleNext = body.throttleNext;
    if (body.internalErrorNext !== undefined) s.internalErrorNext = body.internalErrorNext;
    if (body.operations !== undefined) s.operations = body.operations;
    if (body.callers !== undefined) s.callers = body.callers;
    if (body.searchLagMs !== undefined) s.searchLagMs = body.searchLagMs;
    if (body.failNext !== undefined) s.failNext.push(...(Array.isArray(body.failNext) ? body.failNext : [body.failNext]));
  }

  /** How far behind SearchProvisionedProducts' index may be (0: up to date). */
  get searchLagMs(): number {
    return this.settings.searchLagMs;
  }

  clear(): void {
    this.settings = noFaults();
  }

  /** What happens to this AWS call: consumes the one-shot counters. */
  forCall(operation: string, caller: string): CallFault {
    const s = this.settings;
    if (s.operations && !s.operations.includes(operation)) return { kind: "none", latencyMs: 0 };
    if (s.callers && !s.callers.includes(caller)) return { kind: "none", latencyMs: 0 };
    const latencyMs = s.latencyMs;
    if (s.throttleNext > 0) {
      s.throttleNext--;
      return { kind: "throttle", latencyMs };
    }
    if (s.internalErrorNext > 0) {
      s.internalErrorNext--;
      return { kind: "internal", latencyMs };
    }
    if (s.throttlingRate > 0 && this.random() < s.throttlingRate) return { kind: "throttle", latencyMs };
    if (s.internalErrorRate > 0 && this.random() < s.internalErrorRate) return { kind: "internal", latencyMs };
    return { kind: "none", latencyMs };
  }

  /** The queued failure for this product and operation, removed from the queue. */
  takeFailure(product: { id: string; name: string }, operation: InjectedFailure["operation"]): string | undefined {
    const index = this.settings.failNext.findIndex(
      (f) => f.operation === operation && (f.productId === undefined || f.productId === product.id) && (f.productName === undefined || f.productName === product.name),
    );
    if (index === -1) return undefined;
    return this.settings.failNext.splice(index, 1)[0]!.message;
  }
}

/** Calls per service, operation and caller (GET /_emulator/calls; DELETE resets). */
export class CallLog {
  private counts = new Map<string, { service: string; operation: string; caller: string; count: number; errors: number }>();

  record(service: string, operation: string, caller: string, failed: boolean): void {
    const key = `${service}\u0000${operation}\u0000${caller}`;
    const entry = this.counts.get(key) ?? { service, operation, caller, count: 0, errors: 0 };
    entry.count++;
    if (failed) entry.errors++;
    this.counts.set(key, entry);
  }

  reset(): void {
    this.counts.clear();
  }

  report() {
    const calls = [...this.counts.values()].sort((a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation) || a.caller.localeCompare(b.caller));
    const byOperation: Record<string, number> = {};
    for (const c of calls) byOperation[`${c.service}:${c.operation}`] = (byOperation[`${c.service}:${c.operation}`] ?? 0) + c.count;
    return { total: calls.reduce((n, c) => n + c.count, 0), byOperation, calls };
  }
}
