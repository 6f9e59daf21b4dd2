/** The local OIDC provider (demo users, public passwords) as a launcher part: local mode only. */
import type { LaunchPlan } from "../plan";
import { startLocalOidcProvider } from "../oidc-provider";
import { randomSecret, readOrCreate } from "../secrets";
import type { Part } from "../supervisor";

export type OidcPart = Part & { issuer: string; clientSecret: string };

export async function startOidcPart(plan: NonNullable<LaunchPlan["oidc"]>, log: (message: string) => void): Promise<OidcPart> {
  const clientSecret = (await readOrCreate(plan.clientSecretFile, () => randomSecret(32))).value;
  try {
    const provider = await startLocalOidcProvider({
      port: plan.port,
      issuer: plan.issuer,
      clientId: plan.clientId,
      clientSecret,
      redirectUris: plan.redirectUris,
      postLogoutRedirectUris: plan.postLogoutRedirectUris,
      dataDir: plan.dataDir,
      log,
    });
    return { name: "oidc", issuer: provider.issuer, clientSecret, stop: provider.close };
  } catch (err) {
    const inUse = (err as NodeJS.ErrnoException).code === "EADDRINUSE";
    throw new Error(
      inUse
        ? `local OIDC provider could not listen on port ${plan.port}: it is in use (set LOCAL_OIDC_PORT)`
        : `local OIDC provider did not start: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
