/**
 * A local OpenID Connect provider for development and tests, built on `oidc-provider` 8: demo
 * people (one whose email is not verified, whom the portal refuses), a plain login page, consent
 * granted automatically, authorization code + PKCE only.
 * The portal talks to it exactly as it would to a production identity provider.
 */
import { generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { OidcStore } from "./oidc-store";
import { readOrCreate } from "./secrets";

export type DemoUser = {
  sub: string;
  email: string;
  password: string;
  name: string;
  department: string;
  project: string;
  groups: string[];
  /** Sent as `email_verified`; true unless said otherwise. */
  emailVerified?: boolean;
};

export const DEMO_PASSWORD = "demo";

export const demoUsers: readonly DemoUser[] = [
  { sub: "demo-alice", email: "alice@example.org", password: DEMO_PASSWORD, name: "Alice Example", department: "Neuroscience", project: "ADNI", groups: [] },
  { sub: "demo-bob", email: "bob@example.org", password: DEMO_PASSWORD, name: "Bob Example", department: "Genomics", project: "TOPMed", groups: [] },
  {
    sub: "demo-admin",
    email: "admin@example.org",
    password: DEMO_PASSWORD,
    name: "Admin Example",
    department: "IT",
    project: "Platform",
    groups: ["quartermaster-admins"],
  },
  // A researcher who leaves: the offboarding and deactivation demo (and test) account.
  { sub: "demo-carol", email: "carol@example.org", password: DEMO_PASSWORD, name: "Carol Example", department: "Epidemiology", project: "UKB", groups: [] },
  {
    sub: "demo-unverified",
    email: "unverified@example.org",
    password: DEMO_PASSWORD,
    name: "Unverified Example",
    department: "Neuroscience",
    project: "ADNI",
    groups: [],
    emailVerified: false,
  },
];

export const OIDC_SCOPES = "openid email profile groups";

export type LocalOidcProviderOptions = {
  port: number;
  issuer?: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Where signing keys, cookie keys and sessions are kept between starts; in memory when absent. */
  dataDir?: string;
  /**
   * Interfaces to listen on; the first must work, the others are tried. Loopback only by default
   * (the demo passwords are public), on both families since `localhost` may resolve to either.
   */
  hosts?: string[];
  users?: readonly DemoUser[];
  log?: (message: string) => void;
};

export type LocalOidcProvider = { issuer: string; port: number; close(): Promise<void> };

type ProviderKeys = { cookieKeys: string[]; jwks: { keys: Record<string, unknown>[] } };

function generateKeys(): ProviderKeys {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
  return {
    cookieKeys: [randomBytes(32).toString("base64url")],
    jwks: { keys: [{ ...jwk, kid: randomUUID(), use: "sig", alg: "RS256" }] },
  };
}

async function loadKeys(dataDir: string | undefined): Promise<ProviderKeys> {
  if (!dataDir) return generateKeys();
  const { value } = await readOrCreate(path.join(dataDir, "keys.json"), () => JSON.stringify(generateKeys()));
  return JSON.parse(value) as ProviderKeys;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// One small stylesheet for every page; no fonts or scripts from elsewhere.
const styles = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f5f7;color:#1d2330;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:min(24rem,calc(100vw - 2rem));background:#fff;border:1px solid #dde1e8;border-radius:12px;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.06)}
h1{font-size:1.35rem;margin:0 0 .25rem}
p.lead{margin:0 0 1.5rem;color:#555f70;font-size:.95rem}
label{display:block;font-weight:600;font-size:.9rem;margin:1rem 0 .35rem}
input{width:100%;padding:.6rem .7rem;border:1px solid #b8bfcc;border-radius:8px;font:inherit}
input:focus{outline:3px solid #9cc0ff;border-color:#2f6fde}
button{margin-top:1.5rem;width:100%;padding:.65rem;border:0;border-radius:8px;background:#2f6fde;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button:hover{background:#2459b6}
button:focus-visible{outline:3px solid #9cc0ff;outline-offset:2px}
.error{margin:0 0 1rem;padding:.6rem .75rem;border-radius:8px;background:#fdecec;color:#8a1c1c;border:1px solid #f3b7b7}
.hint{margin-top:1.5rem;font-size:.85rem;color:#555f70}
code{font-size:.85rem}
`;

function page(title: string, body: string, script = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<main>
${body}
</main>
${script}
</body>
</html>`;
}

function loginPage(uid: string, users: readonly DemoUser[], email = "", error?: string): string {
  const errorBlock = error ? `<p class="error" role="alert" id="login-error">${escapeHtml(error)}</p>` : "";
  const described = error ? ' aria-describedby="login-error"' : "";
  return page(
    "Sign in · Local identity provider",
    `<h1>Sign in</h1>
<p class="lead">Local identity provider for Quartermaster development.</p>
${errorBlock}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="on">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}"${described}${email ? "" : " autofocus"}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${email ? " autofocus" : ""}>
<button type="submit">Sign in</button>
</form>
<p class="hint">Demo accounts: ${users.map((u) => `<code>${escapeHtml(u.email)}</code>`).join(", ")}; password <code>${escapeHtml(DEMO_PASSWORD)}</code>.</p>`,
  );
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-frame-options": "DENY" });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16_384) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

function passwordMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startLocalOidcProvider(options: LocalOidcProviderOptions): Promise<LocalOidcProvider> {
  const { port, clientId, clientSecret, redirectUris, postLogoutRedirectUris, dataDir, hosts = ["127.0.0.1", "::1"], users = demoUsers, log = () => {} } = options;
  const issuer = (options.issuer ?? `http://localhost:${port}`).replace(/\/$/, "");
  const keys = await loadKeys(dataDir);
  const bySub = new Map(users.map((u) => [u.sub, u]));
  const store = new OidcStore(dataDir ? path.join(dataDir, "store.json") : undefined);

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: "Quartermaster",
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    // Any client secret authentication the portal's library may choose.
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    pkce: { methods: ["S256"], required: () => true },
    responseTypes: ["code"],
    scopes: ["openid"],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "department", "project"],
      groups: ["groups"],
    },
    // Put the scope's claims in the ID token too, not only in /userinfo.
    conformIdTokenClaims: false,
    adapter: store.adapter(),
    cookies: { keys: keys.cookieKeys },
    jwks: keys.jwks,
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Session: 14 * 24 * 3600, Grant: 14 * 24 * 3600 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: user.email,
            email_verified: user.emailVerified ?? true,
            name: user.name,
            department: user.department,
            project: user.project,
            groups: user.groups,
          };
        },
      };
    },
    renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) {
      ctx.type = "html";
      ctx.body = page(
        "Sign-in error",
        `<h1>Something went wrong</h1><p class="error" role="alert">${escapeHtml(out.error_description ?? out.error)}</p><p>Go back to the application and sign in again.</p>`,
      );
    },
  });
  provider.on("server_error", (_ctx, err) => log(`oidc server error: ${err instanceof Error ? err.stack : String(err)}`));

  const handleProviderRequest = provider.callback();

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return sendHtml(res, 400, page("Sign-in error", "<h1>This sign-in page is out of date</h1><p>Go back to the application and sign in again.</p>"));

    if (details.prompt.name === "login") {
      if (req.method === "POST" && action === "login") {
        const form = await readForm(req);
        const email = (form.get("email") ?? "").trim();
        const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
        if (!user || !passwordMatches(form.get("password") ?? "", user.password)) {
          return sendHtml(res, 200, loginPage(uid, users, email, "Invalid email or password"));
        }
        return provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
      }
      return sendHtml(res, 200, loginPage(uid, users));
    }

    if (details.prompt.name === "consent") {
      // First-party client: grant what it asked for without asking the person.
      const accountId = details.session?.accountId;
      const clientId = String(details.params.client_id ?? "");
      if (!accountId) throw new Error("consent prompt without a session");
      const grant = (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId, clientId });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(" "));
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }

    throw new Error(`unsupported interaction prompt "${details.prompt.name}"`);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? "/", issuer);
    const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(pathname);
    if (!match) return handleProviderRequest(req, res);
    handleInteraction(req, res, match[1]!, match[2]).catch((err: unknown) => {
      const expired = err instanceof Error && /SessionNotFound|interaction session/i.test(`${err.name} ${err.message}`);
      if (!expired) log(`oidc interaction error: ${err instanceof Error ? err.stack : String(err)}`);
      if (res.headersSent) return res.end();
      sendHtml(
        res,
        expired ? 400 : 500,
        page(
          "Sign-in error",
          expired
            ? "<h1>This sign-in page has expired</h1><p>Go back to the application and sign in again.</p>"
            : "<h1>Something went wrong</h1><p>Go back to the application and sign in again.</p>",
        ),
      );
    });
  };

  const servers: http.Server[] = [];
  const closeAll = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => store.flush());
  let boundPort = port;
  for (const [i, host] of hosts.entries()) {
    const server = http.createServer(handler);
    try {
      await listen(server, boundPort, host);
      boundPort = (server.address() as AddressInfo).port;
      servers.push(server);
    } catch (err) {
      if (i === 0) {
        await closeAll();
        throw err;
      }
    }
  }

  return { issuer, port: boundPort, close: closeAll };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** RP-initiated logout: no "are you sure?" page; the form submits itself (button without script). */
async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = "html";
  ctx.body = page(
    "Signing out",
    `<h1>Signing you out…</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`,
    `<script>(function(){var f=document.getElementById("op.logoutForm");var i=document.createElement("input");i.type="hidden";i.name="logout";i.value="yes";f.appendChild(i);f.submit();})();</script>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = "html";
  ctx.body = page("Signed out", "<h1>You are signed out</h1><p>You can close this window.</p>");
}
