import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AuthFailure, AUTH_MESSAGES } from "./aws-error";
import type { Principal } from "./identity";

/**
 * AWS Signature Version 4, verified from the request bytes as AWS does (canonical request ->
 * string to sign -> HMAC chain), independently of any SDK's signer so the emulator cannot share a
 * client's bug. https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

export type KnownCredential = {
  secretAccessKey: string;
  /** Present for temporary credentials: the request must carry it in X-Amz-Security-Token. */
  sessionToken?: string;
  /** Epoch milliseconds after which the session token is expired. */
  expiresAt?: number;
  principal: Principal;
};

export type CredentialLookup = (accessKeyId: string) => KnownCredential | undefined;

export type SignedRequest = {
  method: string;
  /** The request target as received: path and query string, still URI-encoded. */
  url: string;
  /** Node's rawHeaders: [name, value, name, value, ...] with their original case. */
  rawHeaders: string[];
  body: Buffer;
};

export type VerifiedCaller = { principal: Principal; region: string; service: string; accessKeyId: string };

const ALGORITHM = "AWS4-HMAC-SHA256";

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = rawPath.endsWith("/") && segments.length > 0 ? "/" : "";
  // The path arrives encoded once; SigV4 (outside S3) encodes each segment again.
  return `/${segments.map(uriEncode).join("/")}${trailing}`;
}

export function canonicalQuery(rawQuery: string, omit: string[] = []): string {
  if (!rawQuery) return "";
  const pairs = rawQuery
    .split("&")
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf("=");
      const key = safeDecode(eq === -1 ? part : part.slice(0, eq));
      const value = safeDecode(eq === -1 ? "" : part.slice(eq + 1));
      return [uriEncode(key), uriEncode(value)] as const;
    })
    .filter(([key]) => !omit.includes(key));
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function headerValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  }
  return values;
}

function header(rawHeaders: string[], name: string): string | undefined {
  const values = headerValues(rawHeaders, name);
  return values.length ? values.join(",") : undefined;
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
}

type ParsedAuthorization = { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[]; signature: string };

function parseAuthorization(value: string): ParsedAuthorization {
  if (!value.startsWith(`${ALGORITHM} `)) {
    throw new AuthFailure("incomplete", `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${value}`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const required of ["Credential", "SignedHeaders", "Signature"]) {
    if (!fields.get(required)) {
      throw new AuthFailure("incomplete", `Authorization header requires '${required}' parameter. Authorization=${value}`);
    }
  }
  const scope = fields.get("Credential")!.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request") {
    throw new AuthFailure("incomplete", `Credential should be scoped to a valid region, not '${scope[2] ?? ""}'. `);
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: fields.get("SignedHeaders")!.split(";").map((h) => h.trim().toLowerCase()),
    signature: fields.get("Signature")!,
  };
}

/**
 * Checks the request's SigV4 signature for the expected service; returns the caller or throws an
 * AuthFailure in the order AWS checks: header shape, access key, session token, expiry, scope,
 * signature.
 */
export function verifySigV4(request: SignedRequest, expectedService: string, lookup: CredentialLookup, now = Date.now()): VerifiedCaller {
  const authorization = header(request.rawHeaders, "authorization");
  if (!authorization) throw new AuthFailure("missing", AUTH_MESSAGES.missing);
  const auth = parseAuthorization(authorization);
  if (!auth.signedHeaders.includes("host")) {
    throw new AuthFailure("incomplete", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const known = lookup(auth.accessKeyId);
  if (!known) throw new AuthFailure("unknown-key", AUTH_MESSAGES.unknownKey);
  const token = header(request.rawHeaders, "x-amz-security-token");
  if (known.sessionToken !== undefined ? token !== known.sessionToken : token !== undefined) {
    throw new AuthFailure("unknown-key", AUTH_MESSAGES.unknownKey);
  }
  if (known.expiresAt !== undefined && known.expiresAt <= now) throw new AuthFailure("expired", AUTH_MESSAGES.expired);

  if (auth.service !== expectedService) {
    throw new AuthFailure("wrong-scope", `Credential should be scoped to correct service: '${expectedService}'. `);
  }
  const amzDate = header(request.rawHeaders, "x-amz-date") ?? isoBasic(header(request.rawHeaders, "date"));
  if (!amzDate) {
    throw new AuthFailure("incomplete", `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`);
  }
  if (amzDate.slice(0, 8) !== auth.date) {
    throw new AuthFailure(
      "bad-signature",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }

  const queryStart = request.url.indexOf("?");
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? "" : request.url.slice(queryStart + 1);
  const bodyHash = sha256Hex(request.body);
  const declaredHash = header(request.rawHeaders, "x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash !== "UNSIGNED-PAYLOAD" && declaredHash !== bodyHash) {
    throw new AuthFailure("bad-signature", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${headerValues(request.rawHeaders, name).map((v) => v.trim().replace(/\s+/g, " ")).join(",")}\n`)
    .join("");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    auth.signedHeaders.join(";"),
    declaredHash ?? bodyHash,
  ].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const expected = createHmac("sha256", signingKey(known.secretAccessKey, auth.date, auth.region, auth.service)).update(stringToSign, "utf8").digest("hex");

  const given = Buffer.from(auth.signature, "utf8");
  const wanted = Buffer.from(expected, "utf8");
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new AuthFailure("bad-signature", AUTH_MESSAGES.badSignature);
  }
  return { principal: known.principal, region: auth.region, service: auth.service, accessKeyId: auth.accessKeyId };
}

function isoBasic(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const parsed = new Date(httpDate);
  if (Number.isNaN(parsed.getTime())) return undefined;
  return parsed.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
