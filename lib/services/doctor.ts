import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { EnvError, parsePortalEnv, type ProductionSettings } from "@/lib/env";
import { migrationStatus } from "@/lib/db/migrate";
import { oidcRedirectUri } from "@/lib/domain/callback-url";
import { accountWideRead, assumeRole, callerIdentity, ProbeError, visibleCatalog, type AwsTarget } from "@/lib/aws/probes";
import { roleSessionNameFromEmail, sessionTagsFromIdentity, sourceIdentityFromEmail } from "@/lib/domain/session-name";
import type { AwsCredentials } from "@/lib/aws/config";

/**
 * `npm run doctor`: everything the portal will need in production, checked in the order it needs
 * it, from the same settings `npm start` reads. Each check passes, fails with the fix, or is
 * skipped because an earlier one failed; nothing is changed anywhere (no migration applied, no
 * product launched; the only AWS writes are two AssumeRole sessions named quartermaster-doctor).
 */
export type Check = { title: string; status: "pass" | "fail" | "skip" | "note"; detail: string; fix?: string };

type Source = Record<string, string | undefined>;

const DOCTOR_EMAIL = "quartermaster-doctor@localhost";
const TIMEOUT_MS = 8000;

const probeError = (err: unknown) => (err instanceof ProbeError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err));

function settingsOf(source: Source): { settings: ProductionSettings | null; checks: Check[] } {
  try {
    const settings = parsePortalEnv({ ...source, QUARTERMASTER_MODE: "production" }) as ProductionSettings;
    return { settings, checks: [{ title: "Settings for production mode", status: "pass", detail: "every required setting is set and well-formed" }] };
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    return {
      settings: null,
      checks: err.issues.map((issue) => ({ title: "Settings for production mode", status: "fail", detail: issue, fix: `set ${issue.split(/[ :]/)[0]} (see docs/production.md, "Settings")` })),
    };
  }
}

async function fetchWithTimeout(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

async function databaseChecks(url: string, migrationsDir: string): Promise<Check[]> {
  try {
    const { pending, applied } = await migrationStatus({ connectionString: url, migrationsDir, timeoutMs: TIMEOUT_MS });
    const reached: Check = { title: "Database reachable", status: "pass", detail: new URL(url).host };
    if (pending.length === 0) return [reached, { title: "Database migrated", status: "pass", detail: `${applied} migrations applied, none pending` }];
    return [
      reached,
      {
        title: "Database migrated",
        status: "fail",
        detail: `${pending.length} migration(s) not applied: ${pending.join(", ")}`,
        fix: "run npm run db:migrate with this DATABASE_URL (npm start applies them too, under a lock)",
      },
    ];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/migration/i.test(message)) return [{ title: "Database reachable", status: "pass", detail: new URL(url).host }, { title: "Database migrated", status: "fail", detail: message, fix: "see the message; the database and this checkout disagree" }];
    return [{ title: "Database reachable", status: "fail", detail: message, fix: "check DATABASE_URL's host, port, user, password and database name, and that this machine may connect" }];
  }
}

type Discovery = { issuer?: string; authorization_endpoint?: string; token_endpoint?: string };

async function oidcChecks(issuer: string, clientId: string, clientSecret: string, appUrl: string): Promise<Check[]> {
  const checks: Check[] = [];
  const discoveryUrl = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let discovery: Discovery;
  try {
    const response = await fetchWithTimeout(discoveryUrl);
    if (!response.ok) throw new Error(`${discoveryUrl} answered ${response.status}`);
    discovery = (await response.json()) as Discovery;
    if (discovery.issuer?.replace(/\/+$/, "") !== issuer.replace(/\/+$/, "")) throw new Error(`the document names issuer ${discovery.issuer}, not ${issuer}`);
    if (!discovery.authorization_endpoint || !discovery.token_endpoint) throw new Error("the document has no authorization_endpoint or token_endpoint");
    checks.push({ title: "OIDC discovery document", status: "pass", detail: discoveryUrl });
  } catch (err) {
    const skipped: Check[] = ["OIDC client id and secret", "OIDC redirect URI"].map((title) => ({ title, status: "skip", detail: "needs the discovery document" }));
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const reason = err instanceof Error ? err.message : String(err);
    return [{ title: "OIDC discovery document", status: "fail", detail: reason.includes(discoveryUrl) ? reason : `${discoveryUrl}: ${reason}${cause ? ` (${cause})` : ""}`, fix: "OIDC_ISSUER must be the issuer URL exactly as the provider names it (its /.well-known/openid-configuration must answer)" }, ...skipped];
  }

  const redirectUri = oidcRedirectUri(appUrl);
  // Client authentication comes before the grant is looked at: a made-up code is refused as
  // invalid_grant when the id and secret are right, as invalid_client when they are not.
  try {
    const response = await fetchWithTimeout(discovery.token_endpoint!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "quartermaster-doctor-probe", redirect_uri: redirectUri }),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (body.error === "invalid_client" || response.status === 401) {
      checks.push({ title: "OIDC client id and secret", status: "fail", detail: `the token endpoint refused client ${clientId} (${body.error ?? response.status})`, fix: "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET to the client registered with the provider (client_secret_basic)" });
    } else {
      checks.push({ title: "OIDC client id and secret", status: "pass", detail: `accepted by the token endpoint (a made-up code was refused as ${body.error ?? response.status})` });
    }
  } catch (err) {
    checks.push({ title: "OIDC client id and secret", status: "note", detail: `cannot be checked from here (${err instanceof Error ? err.message : String(err)}); the first sign-in will tell` });
  }

  // A provider sends the browser back only to a registered redirect URI; an unregistered one gets
  // an error page of its own. (PKCE and state as the portal sends them.)
  try {
    const verifier = randomBytes(32).toString("base64url");
    const url = new URL(discovery.authorization_endpoint!);
    for (const [key, value] of Object.entries({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "openid email profile",
      state: randomBytes(8).toString("hex"),
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }))
      url.searchParams.set(key, value);
    const response = await fetchWithTimeout(url.toString(), { redirect: "manual" });
    const location = response.headers.get("location") ?? "";
    if (response.status >= 400) {
      checks.push({ title: "OIDC redirect URI", status: "fail", detail: `the provider refused redirect_uri ${redirectUri} (HTTP ${response.status})`, fix: `register ${redirectUri} as a redirect URI of client ${clientId} (and check APP_URL)` });
    } else if (response.status >= 300 || response.status === 200) {
      checks.push({ title: "OIDC redirect URI", status: "pass", detail: `${redirectUri} accepted (${location.startsWith(redirectUri) ? "the provider answered to it" : "the provider showed its sign-in"})` });
    } else {
      checks.push({ title: "OIDC redirect URI", status: "note", detail: `could not tell (HTTP ${response.status}); make sure ${redirectUri} is registered` });
    }
  } catch (err) {
    checks.push({ title: "OIDC redirect URI", status: "note", detail: `cannot be checked from here (${err instanceof Error ? err.message : String(err)}); make sure ${redirectUri} is registered` });
  }
  return checks;
}

function assumeFix(err: unknown, roleArn: string, caller: string, setting: string): string {
  const text = probeError(err);
  if (text.includes("sts:TagSession")) return `the trust policy of ${roleArn} must allow sts:TagSession for ${caller} (the portal sends session tags; deploy/aws/quartermaster.yaml has the statement)`;
  if (text.includes("sts:SetSourceIdentity")) return `the trust policy of ${roleArn} must allow sts:SetSourceIdentity for ${caller}`;
  if (text.includes("MaxSessionDuration")) return "lower AWS_SESSION_DURATION_SECONDS or raise the role's MaxSessionDuration";
  if (text.includes("sts:AssumeRole")) return `check ${setting} (does the role exist?) and that its trust policy names ${caller}`;
  return "see the message";
}

async function awsChecks(settings: ProductionSettings): Promise<Check[]> {
  const checks: Check[] = [];
  const target: AwsTarget = {
    region: settings.AWS_REGION,
    ...((settings.AWS_ENDPOINT_URL_STS ?? settings.AWS_ENDPOINT_URL) ? { stsEndpoint: (settings.AWS_ENDPOINT_URL_STS ?? settings.AWS_ENDPOINT_URL)! } : {}),
    ...((settings.AWS_ENDPOINT_URL_SERVICE_CATALOG ?? settings.AWS_ENDPOINT_URL) ? { serviceCatalogEndpoint: (settings.AWS_ENDPOINT_URL_SERVICE_CATALOG ?? settings.AWS_ENDPOINT_URL)! } : {}),
    ...(settings.AWS_ACCESS_KEY_ID && settings.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: settings.AWS_ACCESS_KEY_ID, secretAccessKey: settings.AWS_SECRET_ACCESS_KEY, ...(settings.AWS_SESSION_TOKEN ? { sessionToken: settings.AWS_SESSION_TOKEN } : {}) } }
      : {}),
  };
  const later = ["Assume the end-user role", "Assume the admin role", "End users see the catalog", "Reserved tag keys are not TagOptions", "Admins read every provisioned product"];

  let caller: string;
  try {
    caller = (await callerIdentity(target)).arn;
    checks.push({ title: "Base credentials", status: "pass", detail: caller });
  } catch (err) {
    return [
      { title: "Base credentials", status: "fail", detail: probeError(err), fix: settings.AWS_ACCESS_KEY_ID ? "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY" : "give the machine or task a role, or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY" },
      ...later.map((title): Check => ({ title, status: "skip", detail: "needs the base credentials" })),
    ];
  }

  const { tags } = sessionTagsFromIdentity({ email: DOCTOR_EMAIL, department: "doctor", project: "doctor" }, settings.RESERVED_TAG_KEYS);
  const probe = (roleArn: string) => ({
    roleArn,
    sessionName: roleSessionNameFromEmail(DOCTOR_EMAIL),
    sourceIdentity: sourceIdentityFromEmail(DOCTOR_EMAIL),
    tags,
    durationSeconds: settings.AWS_SESSION_DURATION_SECONDS,
    ...(settings.AWS_ROLE_EXTERNAL_ID ? { externalId: settings.AWS_ROLE_EXTERNAL_ID } : {}),
  });
  const sessions: Record<"enduser" | "admin", AwsCredentials | null> = { enduser: null, admin: null };
  for (const [kind, roleArn, setting] of [
    ["enduser", settings.AWS_ENDUSER_ROLE_ARN, "AWS_ENDUSER_ROLE_ARN"],
    ["admin", settings.AWS_ADMIN_ROLE_ARN, "AWS_ADMIN_ROLE_ARN"],
  ] as const) {
    const title = kind === "enduser" ? "Assume the end-user role" : "Assume the admin role";
    try {
      const session = await assumeRole(target, probe(roleArn));
      sessions[kind] = session.credentials;
      checks.push({ title, status: "pass", detail: `${session.arn} (session tags ${tags.map((t) => t.Key).join(", ")}, SourceIdentity)` });
    } catch (err) {
      checks.push({ title, status: "fail", detail: probeError(err), fix: assumeFix(err, roleArn, caller, setting) });
    }
  }

  if (sessions.enduser) {
    try {
      const products = await visibleCatalog(target, sessions.enduser);
      const pathless = products.filter((p) => p.launchPaths === 0);
      if (products.length === 0) {
        checks.push({ title: "End users see the catalog", status: "fail", detail: "SearchProducts as the end-user role returns no product", fix: "associate the end-user role with the portfolio (AWS::ServiceCatalog::PortfolioPrincipalAssociation) and add products to it" });
      } else if (pathless.length > 0) {
        checks.push({ title: "End users see the catalog", status: "fail", detail: `no launch path for ${pathless.map((p) => p.name).join(", ")}`, fix: "add those products to a portfolio the end-user role is associated with" });
      } else {
        checks.push({ title: "End users see the catalog", status: "pass", detail: `${products.length} product(s), each with a launch path: ${products.map((p) => p.name).join(", ")}` });
      }
      const reserved = new Set(settings.RESERVED_TAG_KEYS.map((k) => k.toLowerCase()));
      const clashes = products.flatMap((p) => p.tagOptionKeys.filter((k) => reserved.has(k.toLowerCase())).map((k) => `${k} (${p.name})`));
      checks.push(
        clashes.length
          ? { title: "Reserved tag keys are not TagOptions", status: "fail", detail: `TagOption keys that are also reserved tag keys: ${clashes.join(", ")}`, fix: "remove those TagOptions, or the keys from RESERVED_TAG_KEYS: the portal sets reserved tags itself" }
          : { title: "Reserved tag keys are not TagOptions", status: "pass", detail: `${settings.RESERVED_TAG_KEYS.join(", ")} are set by the portal only` },
      );
    } catch (err) {
      checks.push({ title: "End users see the catalog", status: "fail", detail: probeError(err), fix: "the end-user role needs servicecatalog:SearchProducts, DescribeProduct, ListLaunchPaths and DescribeProvisioningParameters" });
      checks.push({ title: "Reserved tag keys are not TagOptions", status: "skip", detail: "needs the catalog" });
    }
  } else {
    checks.push({ title: "End users see the catalog", status: "skip", detail: "needs the end-user role" }, { title: "Reserved tag keys are not TagOptions", status: "skip", detail: "needs the end-user role" });
  }

  if (sessions.admin) {
    try {
      const count = await accountWideRead(target, sessions.admin);
      checks.push({ title: "Admins read every provisioned product", status: "pass", detail: `an account-wide search answered (${count} provisioned product(s))` });
    } catch (err) {
      checks.push({ title: "Admins read every provisioned product", status: "fail", detail: probeError(err), fix: "the admin role needs servicecatalog:SearchProvisionedProducts with the Account access level (servicecatalog:accountLevel)" });
    }
  } else {
    checks.push({ title: "Admins read every provisioned product", status: "skip", detail: "needs the admin role" });
  }
  return checks;
}

/** Every check, in order. Never throws for a failed check; each says what to fix. */
export async function runDoctor(source: Source, { migrationsDir = "prisma/migrations" }: { migrationsDir?: string } = {}): Promise<Check[]> {
  const { settings, checks } = settingsOf(source);
  const appUrl = source.APP_URL?.trim();
  checks.push(
    appUrl && /^https:\/\//i.test(appUrl)
      ? { title: "APP_URL is https", status: "pass", detail: appUrl }
      : { title: "APP_URL is https", status: "fail", detail: appUrl ? `${appUrl} is not https` : "APP_URL is not set", fix: "set APP_URL to the https address people use; the session cookie is Secure and the OIDC redirect URI is built from it" },
  );
  const databaseUrl = source.DATABASE_URL?.trim();
  checks.push(...(databaseUrl ? await databaseChecks(databaseUrl, migrationsDir) : [{ title: "Database reachable", status: "skip" as const, detail: "DATABASE_URL is not set" }]));
  const issuer = source.OIDC_ISSUER?.trim();
  const secret = source.OIDC_CLIENT_SECRET?.trim();
  if (issuer && secret && appUrl) checks.push(...(await oidcChecks(issuer, source.OIDC_CLIENT_ID?.trim() || "quartermaster", secret, appUrl)));
  else checks.push({ title: "OIDC provider", status: "skip", detail: "needs OIDC_ISSUER, OIDC_CLIENT_SECRET and APP_URL" });
  // AWS does not care about APP_URL: an http one (reported above) should not hide AWS's problems.
  const forAws = settings ?? settingsOf({ ...source, APP_URL: "https://portal.invalid" }).settings;
  if (forAws) checks.push(...(await awsChecks(forAws)));
  else checks.push({ title: "AWS", status: "skip", detail: "needs the production settings above" });
  return checks;
}

const MARK: Record<Check["status"], string> = { pass: "✓", fail: "✗", skip: "–", note: "•" };

/** As printed: one line a check, the fix under each failure. */
export function formatChecks(checks: Check[]): string {
  return checks.map((c) => `${MARK[c.status]} ${c.title}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ""}`).join("\n");
}
