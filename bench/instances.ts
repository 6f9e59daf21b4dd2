/**
 * A second portal instance beside the one `npm start` runs: the same production build (`next
 * start`), the same database, the same AWS (the emulator) and the same secrets, on a port of its
 * own, as a second machine behind a load balancer would be. Its workers share the pg-boss queues
 * with the first instance's, which is what the two-instance scenario measures.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { productionSettingsIn } from "../lib/env";
import { EMULATOR_CREDENTIALS } from "../launcher/plan";
import { emulatorDuplicates, launch, operation, resetCalls, setFaults, waitSettled, awsCalls, type Bucket, type SettleResult } from "./scenarios";
import type { BenchUser } from "./seed";

export type Instance = { url: string; stop(): Promise<void> };

export async function startSecondInstance({ port, databaseUrl, emulatorUrl, oidcIssuer, authSecret, log }: { port: number; databaseUrl: string; emulatorUrl: string; oidcIssuer: string; authSecret: string; log: (line: string) => void }): Promise<Instance> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of productionSettingsIn(env)) delete env[name];
  const url = `http://localhost:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...env,
      QUARTERMASTER_MODE: "local",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_MANUAL_SIG_HANDLE: "true",
      DATABASE_URL: databaseUrl,
      // Sessions are minted cookies here; the provider is only named, never asked.
      OIDC_ISSUER: oidcIssuer,
      OIDC_CLIENT_SECRET: "second-instance",
      AUTH_SECRET: authSecret,
      APP_URL: url,
      NEXTAUTH_URL: url,
      PORT: String(port),
      AWS_ENDPOINT_URL: emulatorUrl,
      ...EMULATOR_CREDENTIALS,
      AWS_EC2_METADATA_DISABLED: "true",
      LOG_LEVEL: "warn",
      RECONCILE_INTERVAL_SECONDS: "86400",
      RATE_LIMIT_LAUNCHES_PER_MINUTE: "100000",
    } as NodeJS.ProcessEnv,
  });
  let output = "";
  const onData = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the second instance did not start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the second instance was not ready within 2 minutes:\n${output}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`second instance ready on ${url}`);
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    },
  };
}

export type TwoInstances = {
  launches: number;
  accepted: number;
  refused: string[];
  settle: SettleResult;
  provisionCalls: number;
  describeRecordPerLaunch: number;
  inAws: number;
  duplicates: number;
  /** Products whose final status was recorded (audit event `record.provision_product.succeeded`) more or less than once. */
  finalEventsNotOnce: number;
};

/**
 * `perPerson` launches by each person, alternately through instance A and instance B, with 10%
 * of Service Catalog calls throttled: every launch sent to AWS once, tracked to its end once
 * (one final audit event), none lost, none duplicated.
 */
export async function twoInstanceStorm(instances: [string, string], emulatorUrl: string, databaseUrl: string, people: { user: BenchUser; cookie: string }[], bucket: Bucket, perPerson: number): Promise<TwoInstances> {
  await resetCalls(emulatorUrl);
  await setFaults(emulatorUrl, { throttlingRate: 0.1, operations: ["ProvisionProduct", "DescribeRecord", "SearchProvisionedProducts", "DescribeProvisionedProduct"] });
  const started = Date.now();
  const names: string[] = [];
  let n = 0;
  const results = await Promise.all(
    people.flatMap((p, i) =>
      Array.from({ length: perPerson }, (_, k) => {
        const name = `pair-${i}-${k}-${started.toString(36)}`;
        names.push(name);
        return launch(instances[n++ % 2]!, p.cookie, bucket, name);
      }),
    ),
  );
  const ids = results.flatMap((r) => (r.id ? [r.id] : []));
  const settle = await waitSettled(databaseUrl, ids, started, 240_000);
  await setFaults(emulatorUrl, null);
  const calls = await awsCalls(emulatorUrl);
  const { inAws, duplicates } = await emulatorDuplicates(emulatorUrl, names);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  let finalEventsNotOnce = 0;
  try {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unnest($1::text[]) AS p(id)
       WHERE (SELECT count(*) FROM audit_events a WHERE a.target_id = p.id AND a.action = 'record.provision_product.succeeded') <> 1`,
      [ids],
    );
    finalEventsNotOnce = rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
  return {
    launches: results.length,
    accepted: ids.length,
    refused: results.filter((r) => !r.id).map((r) => `${r.status} ${r.body.slice(0, 120)}`),
    settle,
    provisionCalls: operation(calls, "servicecatalog:ProvisionProduct"),
    describeRecordPerLaunch: Math.round((operation(calls, "servicecatalog:DescribeRecord") / Math.max(1, ids.length)) * 10) / 10,
    inAws,
    duplicates,
    finalEventsNotOnce,
  };
}
