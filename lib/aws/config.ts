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
 * The portal's own credentials, used for sts:AssumeRole and nothing else. They are always explicit:
 * the SDK's default chain could otherwise try the instance metadata service.
 */
export function baseCredentials(): AwsCredentials {
  const settings = env();
  if (!settings.AWS_ACCESS_KEY_ID || !settings.AWS_SECRET_ACCESS_KEY) {
    throw new Error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set for the portal to assume user roles.");
  }
  return {
    accessKeyId: settings.AWS_ACCESS_KEY_ID,
    secretAccessKey: settings.AWS_SECRET_ACCESS_KEY,
    ...(settings.AWS_SESSION_TOKEN ? { sessionToken: settings.AWS_SESSION_TOKEN } : {}),
  };
}
