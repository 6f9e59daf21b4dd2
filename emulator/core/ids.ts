import { createHash, randomBytes, randomUUID } from "node:crypto";

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function encode(bytes: Uint8Array, alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i % bytes.length] ?? 0) % alphabet.length];
  return out;
}

/** An AWS-looking id such as `pp-4v6rc4hwaiiha` (lowercase, 13 characters after the prefix). */
export function randomId(prefix: string, length = 13): string {
  return `${prefix}${encode(randomBytes(length), ALPHANUMERIC, length)}`;
}

/** The same id for the same seed, so catalog ids survive resets and restarts. */
export function stableId(prefix: string, seed: string, length = 13): string {
  return `${prefix}${encode(createHash("sha256").update(seed).digest(), ALPHANUMERIC, length)}`;
}

/** IAM-style upper-case ids (access keys ASIA..., role ids AROA...). */
export function upperId(prefix: string, length = 16): string {
  return `${prefix}${encode(randomBytes(length), UPPER, length)}`;
}

export function stableUpperId(prefix: string, seed: string, length = 17): string {
  return `${prefix}${encode(createHash("sha256").update(seed).digest(), UPPER, length)}`;
}

export function secret(length = 40): string {
  return randomBytes(length).toString("base64").replace(/[^A-Za-z0-9/+]/g, "").slice(0, length);
}

export function requestId(): string {
  return randomUUID();
}

export { randomUUID };
