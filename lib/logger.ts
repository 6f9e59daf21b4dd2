import "server-only";
import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

let root: Logger | undefined;

/** Structured JSON logs on stdout. Secrets never go in here: see the redact list. */
function rootLogger(): Logger {
  root ??= pino({
    level: env().LOG_LEVEL,
    base: { service: "quartermaster" },
    redact: {
      paths: ["*.secretAccessKey", "*.SecretAccessKey", "*.sessionToken", "*.SessionToken", "*.password", "*.token", "*.authorization"],
      censor: "[redacted]",
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
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
