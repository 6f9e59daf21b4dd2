import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { AuthFailure, AwsError } from "./core/aws-error";
import { jsonResponse, type HttpResponse } from "./core/http";
import { ACCOUNT_ID, DEFAULT_REGION, type Principal } from "./core/identity";
import { requestId as newRequestId } from "./core/ids";
import { jsonAuthError, jsonError, jsonSuccess, parseJsonBody } from "./core/json-codec";
import { parseQueryParams, queryAuthError, queryError, querySuccess } from "./core/query-codec";
import { verifySigV4 } from "./core/sigv4";
import { StateFile } from "./core/store";
import { CallLog, Faults, faultsBody } from "./core/faults";
import { loadCatalog, type Catalog } from "./service-catalog/catalog";
import { handleSc, scOperation } from "./service-catalog/protocol";
import { emptyScData, ServiceCatalogBackend, type ScData, type Timings } from "./service-catalog/state";
import { handleSts, stsAction, STS_NAMESPACE } from "./sts/protocol";
import { emptyStsData, StsBackend, type StsData } from "./sts/state";

/**
 * The emulator's HTTP server: routes AWS requests by protocol (X-Amz-Target -> Service Catalog
 * JSON 1.1, Action= -> STS Query), verifies their SigV4 signature, applies injected faults and
 * serves the control endpoints under /_emulator/ and product templates under /_templates/.
 */
export type EmulatorOptions = {
  /** 0 picks a free port. Default 4566. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persist state to this JSON file (loaded at start, written after each change). */
  stateFile?: string;
  /** Where catalog.json and the templates are. Default: the repository's catalog/. */
  catalogDir?: string;
  /** How long records stay in progress. Defaults: provision 6 s, update 5 s, terminate 4 s. */
  timings?: { provisionMs?: number; updateMs?: number; terminateMs?: number };
  /** When set, both roles' trust policies require this sts:ExternalId. */
  roleExternalId?: string;
  /** What the roles' trust policies allow besides sts:AssumeRole (default both; see StsOptions). */
  trustActions?: readonly ("sts:TagSession" | "sts:SetSourceIdentity")[];
};

export type RunningEmulator = { url: string; port: number; close(): Promise<void> };

type PersistedState = { version: 1; sts: StsData; serviceCatalog: Record<string, ScData> };

const DEFAULT_TIMINGS: Timings = { provisionMs: 6000, updateMs: 5000, terminateMs: 4000 };
const DEFAULT_CATALOG_DIR = fileURLToPath(new URL("../catalog/", import.meta.url));
const MAX_BODY_BYTES = 16 * 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AwsError("RequestEntityTooLarge", "Request body too large", 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

class Emulator {
  readonly faults = new Faults();
  readonly calls = new CallLog();
  readonly startedAt = Date.now();
  private sts: StsBackend;
  private sc = new Map<string, ServiceCatalogBackend>();
  private store: StateFile<PersistedState> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly timings: Timings;
  private readonly now = () => Date.now();

  constructor(private readonly options: EmulatorOptions) {
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.sts = this.newSts(emptyStsData());
    if (options.stateFile) {
      this.store = new StateFile(options.stateFile, () => this.persisted());
      const saved = this.store.load();
      if (saved) this.restore(saved);
    }
  }

  private newSts(data: StsData): StsBackend {
    return new StsBackend(data, {
      now: this.now,
      ...(this.options.roleExternalId ? { roleExternalId: this.options.roleExternalId } : {}),
      ...(this.options.trustActions ? { trustActions: this.options.trustActions } : {}),
    });
  }

  private newSc(data: ScData): ServiceCatalogBackend {
    return new ServiceCatalogBackend(data, {
      now: this.now,
      timings: this.timings,
      takeInjectedFailure: (product, operation) => this.faults.takeFailure(product, operation),
      searchLagMs: () => this.faults.searchLagMs,
    });
  }

  private catalog(): Catalog {
    return loadCatalog(this.options.catalogDir ?? DEFAULT_CATALOG_DIR);
  }

  private restore(saved: PersistedState): void {
    this.sts = this.newSts(saved.sts ?? emptyStsData());
    for (const [key, data] of Object.entries(saved.serviceCatalog ?? {})) {
      // The catalog comes from disk (ids are stable), so template fixes apply after a restart.
      data.catalog = this.catalog();
      this.sc.set(key, this.newSc(data));
    }
  }

  private persisted(): PersistedState {
    return { version: 1, sts: this.sts.data, serviceCatalog: Object.fromEntries([...this.sc].map(([key, backend]) => [key, backend.data])) };
  }

  /** State is keyed by account and region, like moto's backends. */
  scBackend(account: string, region: string): ServiceCatalogBackend {
    const key = `${account}/${region}`;
    let backend = this.sc.get(key);
    if (!backend) {
      backend = this.newSc(emptyScData(account, region, this.catalog()));
      this.sc.set(key, backend);
    }
    return backend;
  }

  changed(): void {
    this.store?.changed();
    this.schedule();
  }

  /** Applies due lifecycle transitions everywhere (records completing, plans becoming ready). */
  tickAll(): void {
    let changed = false;
    for (const backend of this.sc.values()) changed = backend.tick() || changed;
    if (changed) this.store?.changed();
  }

  /** A timer for the next due transition, so the state file and /state move on without reads. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due = Math.min(...[...this.sc.values()].map((b) => b.nextDueAt() ?? Infinity));
    if (!Number.isFinite(due)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tickAll();
      this.schedule();
    }, Math.max(0, due - this.now()) + 1);
    this.timer.unref();
  }

  reset(clearSessions: boolean): void {
    this.sc.clear();
    this.scBackend(ACCOUNT_ID, DEFAULT_REGION);
    if (clearSessions) this.sts = this.newSts(emptyStsData());
    this.faults.clear();
    this.calls.reset();
    this.changed();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.store?.flush();
  }

  // ---------------------------------------------------------------- AWS requests

  private lookup = (accessKeyId: string) => this.sts.lookupAccessKey(accessKeyId);

  private async applyFaults(operation: string, caller: Principal, throttle: () => AwsError): Promise<void> {
    const fault = this.faults.forCall(operation, caller.arn);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.kind === "throttle") throw throttle();
    if (fault.kind === "internal") throw new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
  }

  async serviceCatalog(req: IncomingMessage, body: Buffer, target: string): Promise<HttpResponse> {
    const requestId = newRequestId();
    let caller: Principal | undefined;
    let operation = target.slice(target.lastIndexOf(".") + 1) || target;
    try {
      let region: string;
      try {
        const verified = verifySigV4({ method: req.method ?? "POST", url: req.url ?? "/", rawHeaders: req.rawHeaders, body }, "servicecatalog", this.lookup, this.now());
        caller = verified.principal;
        region = verified.region;
      } catch (error) {
        if (error instanceof AuthFailure) throw jsonAuthError(error);
        throw error;
      }
      const scOp = scOperation(target);
      operation = scOp;
      await this.applyFaults(operation, caller, () => new AwsError("ThrottlingException", "Rate exceeded", 400));
      const input = parseJsonBody(body);
      const backend = this.scBackend(caller.account, region);
      backend.tick();
      const host = req.headers.host ?? "127.0.0.1";
      const output = handleSc(backend, caller, scOp, input, {
        templateUrl: (productId, artifactId) => `http://${host}/_templates/${productId}/${artifactId}.json`,
      });
      this.changed();
      this.calls.record("servicecatalog", operation, caller.arn, false);
      return jsonSuccess(output, requestId);
    } catch (error) {
      this.calls.record("servicecatalog", operation, caller?.arn ?? "anonymous", true);
      return jsonError(this.asAwsError(error), requestId);
    }
  }

  async sts_(req: IncomingMessage, body: Buffer): Promise<HttpResponse> {
    const requestId = newRequestId();
    const query = (req.url ?? "").split("?")[1] ?? "";
    const params = parseQueryParams(body, query);
    let caller: Principal | undefined;
    const operation = params.get("Action") ?? "(none)";
    try {
      try {
        caller = verifySigV4({ method: req.method ?? "POST", url: req.url ?? "/", rawHeaders: req.rawHeaders, body }, "sts", this.lookup, this.now()).principal;
      } catch (error) {
        if (error instanceof AuthFailure) throw queryAuthError(error);
        throw error;
      }
      const action = stsAction(params);
      await this.applyFaults(action, caller, () => new AwsError("Throttling", "Rate exceeded", 400));
      const result = handleSts(this.sts, caller, action, params);
      this.changed();
      this.calls.record("sts", action, caller.arn, false);
      return querySuccess(action, STS_NAMESPACE, result, requestId);
    } catch (error) {
      this.calls.record("sts", operation, caller?.arn ?? "anonymous", true);
      return queryError(this.asAwsError(error), STS_NAMESPACE, requestId);
    }
  }

  private asAwsError(error: unknown): AwsError {
    if (error instanceof AwsError) return error;
    console.error("emulator: unexpected error", error);
    return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
  }

  // ---------------------------------------------------------------- control endpoints

  async control(method: string, route: string, body: Buffer, search: URLSearchParams): Promise<HttpResponse> {
    const parseBody = (): unknown => {
      const text = body.toString("utf8").trim();
      return text === "" ? {} : JSON.parse(text);
    };
    switch (`${method} ${route}`) {
      case "GET health":
        return jsonResponse(200, { status: "ok", account: ACCOUNT_ID, region: DEFAULT_REGION, startedAt: new Date(this.startedAt).toISOString(), uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) });
      case "GET state":
        return jsonResponse(200, this.state());
      case "POST reset": {
        const parsed = parseBody() as { sessions?: unknown };
        this.reset(parsed.sessions === true || search.get("sessions") === "true");
        return jsonResponse(200, { status: "reset" });
      }
      case "GET calls":
        return jsonResponse(200, this.calls.report());
      case "DELETE calls":
      case "POST calls/reset":
        this.calls.reset();
        return jsonResponse(200, this.calls.report());
      case "GET faults":
        return jsonResponse(200, this.faults.current);
      case "DELETE faults":
        this.faults.clear();
        return jsonResponse(200, this.faults.current);
      case "POST faults": {
        const parsed = faultsBody.safeParse(parseBody());
        if (!parsed.success) return jsonResponse(400, { error: "invalid fault settings", issues: parsed.error.issues });
        this.faults.apply(parsed.data);
        const expired = parsed.data.expireSessions ? this.sts.expireAllSessions() : undefined;
        if (expired !== undefined) this.changed();
        return jsonResponse(200, { ...this.faults.current, ...(expired !== undefined ? { expiredSessions: expired } : {}) });
      }
    }
    const known = ["health", "state", "reset", "calls", "calls/reset", "faults"];
    return jsonResponse(known.includes(route) ? 405 : 404, { error: known.includes(route) ? `${method} is not allowed on /_emulator/${route}` : `no control endpoint /_emulator/${route}` });
  }

  private state() {
    this.tickAll();
    const snapshots = [...this.sc.values()].map((b) => b.snapshot());
    const catalog = this.scBackend(ACCOUNT_ID, DEFAULT_REGION).data.catalog;
    return {
      now: new Date().toISOString(),
      account: ACCOUNT_ID,
      region: DEFAULT_REGION,
      catalog: {
        portfolios: catalog.portfolios.map(({ id, launchPathId, displayName, principals, productIds, tagOptions, constraints }) => ({ id, launchPathId, displayName, principals, productIds, tagOptions, constraints })),
        products: catalog.products.map((p) => ({ id: p.id, viewId: p.viewId, name: p.name, tagOptions: p.tagOptions, artifacts: p.artifacts.map((a) => ({ id: a.id, name: a.name, deprecated: a.deprecated, active: a.active, template: a.templateFile })) })),
      },
      sessions: this.sts.describeSessions(),
      provisionedProducts: snapshots.flatMap((s) => s.provisionedProducts),
      records: snapshots.flatMap((s) => s.records),
      plans: snapshots.flatMap((s) => s.plans),
      stacks: snapshots.flatMap((s) => s.stacks),
      resources: {
        buckets: snapshots.flatMap((s) => s.resources.buckets),
        instances: snapshots.flatMap((s) => s.resources.instances),
        other: snapshots.flatMap((s) => s.resources.other),
      },
      faults: this.faults.current,
    };
  }

  /** A product version's template as CloudFormation JSON: what a presigned S3 TemplateUrl returns. */
  template(productId: string, artifactId: string): HttpResponse {
    const template = this.scBackend(ACCOUNT_ID, DEFAULT_REGION).templateOf(productId, artifactId);
    if (!template) return { status: 404, headers: { "content-type": "application/xml" }, body: "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>" };
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(template, null, 2) };
  }

  async handle(req: IncomingMessage): Promise<HttpResponse> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = req.method ?? "GET";
    if (url.pathname.startsWith("/_emulator/")) {
      try {
        return await this.control(method, url.pathname.slice("/_emulator/".length).replace(/\/$/, ""), body, url.searchParams);
      } catch (error) {
        return jsonResponse(400, { error: (error as Error).message });
      }
    }
    const templateRoute = /^\/_templates\/([\w-]+)\/([\w-]+)\.json$/.exec(url.pathname);
    if (templateRoute && method === "GET") return this.template(templateRoute[1]!, templateRoute[2]!);
    const target = req.headers["x-amz-target"];
    if (typeof target === "string" && target !== "") return this.serviceCatalog(req, body, target);
    if (method === "POST" || url.searchParams.has("Action")) return this.sts_(req, body);
    return jsonResponse(404, { error: "not an AWS request: send Service Catalog calls with X-Amz-Target or STS calls with Action=" });
  }
}

function send(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body), date: new Date().toUTCString() });
  res.end(response.body);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = new Emulator(options);
  emulator.scBackend(ACCOUNT_ID, DEFAULT_REGION);
  emulator.tickAll();
  emulator.schedule();
  const server = createServer((req, res) => {
    emulator.handle(req).then(
      (response) => send(res, response),
      (error: unknown) => {
        const status = error instanceof AwsError ? error.status : 500;
        send(res, jsonResponse(status, { error: error instanceof Error ? error.message : "internal error" }));
      },
    );
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4566, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        emulator.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
