import "server-only";
import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * Keys whose values never reach the logs, at any depth: headers (`authorization`, `cookie`,
 * `set-cookie`), tokens (`sessionToken`, `idToken`, `access_token`), secrets (`secretAccessKey`,
 * `clientSecret`) and passwords, in objects, arrays, errors and child-logger bindings alike.
 */
export const SECRET_KEY = /authorization|cookie|token|secret|password/i;
export const REDACTED = "[redacted]";
/** Deeper than this, a value is replaced rather than walked (log lines are not that deep). */
const MAX_DEPTH = 24;

/** A copy of a JSON value with the value of every secret-named key replaced, at any depth. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner, depth + 1);
  return copy;
}

/**
 * Redacts one finished log line, the only place that sees everything a line holds: the call's
 * fields, serialized errors (their own properties included) and the bindings of every child
 * logger (pino writes those pre-serialized, past its formatters). A line is parsed only when a
 * secret-looking key could be in it; parsed JSON has no cycles, and depth is bounded.
 */
export function redactLogLine(line: string): string {
  if (!SECRET_KEY.test(line)) return line;
  try {
    return `${JSON.stringify(redactSecrets(JSON.parse(line)))}\n`;
  } catch {
    return `${JSON.stringify({ level: 50, msg: "log line withheld: it could not be checked for secrets" })}\n`;
  }
}

/** The portal's logger: JSON lines on stdout (or `destination`), secrets redacted. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const settings = {
    level: options.level,
    base: { service: "quartermaster" },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: redactLogLine },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

let root: Logger | undefined;

function rootLogger(): Logger {
  root ??= createLogger({ level: env().LOG_LEVEL });
  return root;
}

// Created on first use so that importing this module needs no settings (e.g. during `next build`).
export const logger: Logger = new Proxy({} as Logger, {
  get(_target, property) {
    const value = Reflect.get(rootLogger(), property);
    return typeof value === "function" ? value.bind(rootLogger()) : value;
  },
});

export function requestLogger(requestId: string | null | undefined): Logger {
  return rootLogger().child({ requestId: requestId ?? undefined });
}
