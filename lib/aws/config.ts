import "server-only";
import { env } from "@/lib/env";

export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

/** Settings shared by every AWS client: region, endpoints and the SDK's adaptive retry. */
export function awsClientConfig(service: "sts" | "servicecatalog") {
  const settings = env();
  const endpoint = service === "sts" ? (settings.AWS_ENDPOINT_URL_STS ?? settings.AWS_ENDPOINT_URL) : (settings.AWS_ENDPOINT_URL_SERVICE_CATALOG ?? settings.AWS_ENDPOINT_URL);
  return {
    region: settings.AWS_REGION,
    ...(endpoint ? { endpoint } : {}),
    // Adaptive mode adds client-side rate limiting on top of exponential backoff for throttling.
    retryMode: "adaptive" as const,
    maxAttempts: 5,
  };
}

/**
 * The portal's own credentials, used for sts:AssumeRole and nothing else. Explicit keys when they
 * are set (always in local mode, where they are the emulator's, so the SDK never looks further, and
 * in every test). In production without keys: undefined, meaning the SDK's default credential chain
 * (profile, web identity, container and instance credentials), the ways portals run on AWS.
 */
export function baseCredentials(): AwsCredentials | undefined {
  const settings = env();
  if (settings.AWS_ACCESS_KEY_ID && settings.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: settings.AWS_ACCESS_KEY_ID,
      secretAccessKey: settings.AWS_SECRET_ACCESS_KEY,
      ...(settings.AWS_SESSION_TOKEN ? { sessionToken: settings.AWS_SESSION_TOKEN } : {}),
    };
  }
  // The settings schema requires keys in local mode; never fall back to the chain there.
  if (settings.QUARTERMASTER_MODE === "local") throw new Error("local mode needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the emulator's)");
  return undefined;
}
