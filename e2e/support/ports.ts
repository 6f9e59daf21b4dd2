/**
 * The ports of the end-to-end run: the portal, its local OIDC provider, the AWS emulator and the
 * embedded PostgreSQL. `E2E_PORT_BASE` moves all four together (portal = base, OIDC = base + 1,
 * emulator = base + 2, PostgreSQL = base + 3) so a second checkout can run its own end-to-end
 * tests beside this one; unset, they are the launcher's defaults. The production-mode spec's own
 * parts follow: TLS terminator = base + 4, its portal = base + 5, its OIDC provider = base + 6.
 */
const base = process.env.E2E_PORT_BASE ? Number(process.env.E2E_PORT_BASE) : null;
if (base !== null && !(Number.isInteger(base) && base > 1024 && base < 65000)) {
  throw new Error(`E2E_PORT_BASE must be a port number between 1025 and 64999, not "${process.env.E2E_PORT_BASE}"`);
}

export const e2ePorts = {
  portal: base ?? 3000,
  oidc: base !== null ? base + 1 : 3001,
  emulator: base !== null ? base + 2 : 4566,
  postgres: base !== null ? base + 3 : 5499,
};

/** The second, production-mode portal of `e2e/production-mode.spec.ts`, and what it needs besides. */
export const productionPorts = {
  https: (base ?? 3000) + 4,
  portal: (base ?? 3000) + 5,
  oidc: (base ?? 3000) + 6,
};

export const baseURL = `http://localhost:${e2ePorts.portal}`;
export const emulatorUrl = `http://127.0.0.1:${e2ePorts.emulator}`;
/** The run's embedded PostgreSQL server (e2e/support/serve.ts; its local-only superuser password); append `/database`. */
export const e2ePostgresServer = `postgresql://postgres:quartermaster@127.0.0.1:${e2ePorts.postgres}`;
