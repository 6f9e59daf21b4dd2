import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { SearchProductsCommand, ServiceCatalogClient } from "@aws-sdk/client-service-catalog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalQuery, canonicalUri } from "../core/sigv4";
import type { RunningEmulator } from "../server";
import { assume, BASE_CREDENTIALS, control, failure, scClient, start, stsClient } from "./helpers";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(() => emulator.close());

const BAD_SECRET = { ...BASE_CREDENTIALS, secretAccessKey: "not-the-secret" };
const UNKNOWN_KEY = { accessKeyId: "AKIAUNKNOWNEXAMPLE00", secretAccessKey: "whatever" };

describe("SigV4 on STS (Query protocol names)", () => {
  it("refuses a wrong secret with SignatureDoesNotMatch", async () => {
    const error = await failure(stsClient(emulator, BAD_SECRET).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("SignatureDoesNotMatch");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  });

  it("refuses an unknown access key with InvalidClientTokenId", async () => {
    const error = await failure(stsClient(emulator, UNKNOWN_KEY).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("InvalidClientTokenId");
    expect(error.message).toBe("The security token included in the request is invalid.");
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it("refuses a session key without its session token", async () => {
    const alice = await assume(emulator, "alice");
    const { sessionToken: _omit, ...withoutToken } = alice.credentials;
    const error = await failure(stsClient(emulator, withoutToken).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("InvalidClientTokenId");
  });

  it("refuses an expired session with ExpiredToken", async () => {
    const alice = await assume(emulator, "alice-expired");
    await stsClient(emulator, alice.credentials).send(new GetCallerIdentityCommand({}));
    const result = await control(emulator, "POST", "faults", { expireSessions: true });
    expect(result.expiredSessions).toBeGreaterThanOrEqual(1);
    const error = await failure(stsClient(emulator, alice.credentials).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("ExpiredToken");
    expect(error.message).toBe("The security token included in the request is expired");
  });

  it("refuses an unknown action with InvalidAction", async () => {
    const client = stsClient(emulator);
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string; headers: Record<string, string> };
        request.body = request.body.replace("Action=GetCallerIdentity", "Action=GetCallerIdentityPlease");
        request.headers["content-length"] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: "build", name: "renameAction" },
    );
    const error = await failure(client.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("InvalidAction");
    expect(error.message).toBe("Could not find operation GetCallerIdentityPlease for version 2011-06-15");
  });

  it("refuses an unsigned request with MissingAuthenticationToken", async () => {
    const response = await fetch(emulator.url, { method: "POST", body: "Action=GetCallerIdentity&Version=2011-06-15", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(403);
    const xml = await response.text();
    expect(xml).toContain("<Code>MissingAuthenticationToken</Code>");
    expect(xml).toContain("<Type>Sender</Type>");
  });
});

describe("SigV4 on Service Catalog (JSON protocol names)", () => {
  it("refuses a wrong secret with InvalidSignatureException", async () => {
    const alice = await assume(emulator, "alice");
    const error = await failure(scClient(emulator, { ...alice.credentials, secretAccessKey: "wrong" }).send(new SearchProductsCommand({})));
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
  });

  it("refuses an unknown access key with UnrecognizedClientException", async () => {
    const error = await failure(scClient(emulator, UNKNOWN_KEY).send(new SearchProductsCommand({})));
    expect(error.name).toBe("UnrecognizedClientException");
    expect(error.message).toBe("The security token included in the request is invalid.");
  });

  it("refuses an expired session with ExpiredTokenException", async () => {
    const bob = await assume(emulator, "bob-expired");
    await control(emulator, "POST", "faults", { expireSessions: true });
    const error = await failure(bob.sc.send(new SearchProductsCommand({})));
    expect(error.name).toBe("ExpiredTokenException");
  });

  it("refuses a signature scoped to another service", async () => {
    const alice = await assume(emulator, "alice");
    const client = new ServiceCatalogClient({ region: "us-east-1", endpoint: emulator.url, credentials: alice.credentials, maxAttempts: 1, signingName: "sts" } as never);
    const error = await failure(client.send(new SearchProductsCommand({})));
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.message).toContain("Credential should be scoped to correct service: 'servicecatalog'");
  });

  it("denies Service Catalog to the base IAM user: the portal must act as its users", async () => {
    const error = await failure(scClient(emulator, BASE_CREDENTIALS).send(new SearchProductsCommand({})));
    expect(error.name).toBe("AccessDeniedException");
    expect(error.message).toBe(
      "User: arn:aws:iam::123456789012:user/quartermaster is not authorized to perform: servicecatalog:SearchProducts because no identity-based policy allows the servicecatalog:SearchProducts action",
    );
  });

  it("refuses an unknown operation with UnknownOperationException", async () => {
    const alice = await assume(emulator, "alice");
    alice.sc.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers["x-amz-target"] = "AWS242ServiceCatalogService.LaunchRockets";
        return next(args);
      },
      { step: "build", name: "renameTarget" },
    );
    const error = await failure(alice.sc.send(new SearchProductsCommand({})));
    expect(error.name).toBe("UnknownOperationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe("canonical request pieces", () => {
  it("encodes the path twice outside S3 and normalises it", () => {
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("/a/./b/../c%20d/")).toBe("/a/c%2520d/");
  });

  it("sorts and re-encodes the query", () => {
    expect(canonicalQuery("b=2&a=x%20y&a=1&c")).toBe("a=1&a=x%20y&b=2&c=");
  });
});

// Keeps the imported type used when the file is type-checked on its own.
export type { STSClient };
