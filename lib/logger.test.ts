import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactLogLine } from "@/lib/logger";

/** A logger like the portal's, writing into memory; `lines()` parses what it wrote. */
function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level: "debug", destination });
  return {
    log,
    raw: () => chunks.join(""),
    lines: () => chunks.join("").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const SECRETS = ["wJalrXUtnFEMI-secret", "Bearer eyJhbGciOi-access", "session=abc123cookie", "IQoJb3JpZ2luX2VjE-session-token", "hunter2-password", "client-secret-value", "id-token-jwt"];

describe("the portal's logger", () => {
  it("redacts secret-named keys at any depth, in objects and arrays, and keeps everything else", () => {
    const { log, raw, lines } = capture();
    log.info(
      {
        request: { method: "POST", path: "/api/products", headers: { Authorization: SECRETS[1], Cookie: SECRETS[2], "x-request-id": "req-12345678" } },
        aws: { credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: SECRETS[0], sessionToken: SECRETS[3] } },
        attempts: [{ user: "alice@example.org", password: SECRETS[4] }, { nested: [{ deeper: { client_secret: SECRETS[5] } }] }],
        account: { id_token: SECRETS[6], provider: "oidc" },
        status: 201,
      },
      "request",
    );
    for (const secret of SECRETS) expect(raw()).not.toContain(secret);
    const [line] = lines();
    expect(line).toMatchObject({
      msg: "request",
      status: 201,
      service: "quartermaster",
      request: { method: "POST", path: "/api/products", headers: { Authorization: "[redacted]", Cookie: "[redacted]", "x-request-id": "req-12345678" } },
      aws: { credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "[redacted]", sessionToken: "[redacted]" } },
      attempts: [{ user: "alice@example.org", password: "[redacted]" }, { nested: [{ deeper: { client_secret: "[redacted]" } }] }],
      account: { id_token: "[redacted]", provider: "oidc" },
    });
  });

  it("redacts secrets carried by an error's own properties and keeps its message", () => {
    const { log, raw, lines } = capture();
    const error = Object.assign(new Error("AssumeRole failed"), { $metadata: { httpStatusCode: 403 }, config: { credentials: { secretAccessKey: SECRETS[0] } }, authorization: SECRETS[1] });
    log.error({ err: error }, "sts failure");
    expect(raw()).not.toContain(SECRETS[0]);
    expect(raw()).not.toContain(SECRETS[1]);
    const [line] = lines();
    expect(line!.err).toMatchObject({ type: "Error", message: "AssumeRole failed", $metadata: { httpStatusCode: 403 }, config: { credentials: { secretAccessKey: "[redacted]" } }, authorization: "[redacted]" });
    expect(String((line!.err as { stack: string }).stack)).toContain("AssumeRole failed");
  });

  it("redacts the bindings of child loggers, however they were nested", () => {
    const { log, raw, lines } = capture();
    const child = log.child({ requestId: "req-12345678", session: { token: SECRETS[3] } }).child({ userId: "u-1", headers: { cookie: SECRETS[2] } });
    child.warn({ outcome: "DENIED" }, "refused");
    expect(raw()).not.toContain(SECRETS[3]);
    expect(raw()).not.toContain(SECRETS[2]);
    expect(lines()[0]).toMatchObject({ requestId: "req-12345678", userId: "u-1", outcome: "DENIED", session: { token: "[redacted]" }, headers: { cookie: "[redacted]" } });
  });

  it("survives circular and very deep values without writing the secrets in them", () => {
    const { log, raw, lines } = capture();
    const loop: Record<string, unknown> = { name: "loop", password: SECRETS[4] };
    loop.self = loop;
    let deep: Record<string, unknown> = { token: SECRETS[6] };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    log.info({ loop, deep }, "odd shapes");
    expect(raw()).not.toContain(SECRETS[4]);
    expect(raw()).not.toContain(SECRETS[6]);
    expect(lines()[0]).toMatchObject({ msg: "odd shapes", loop: { name: "loop", password: "[redacted]" } });
  });

  it("leaves a line without secret-looking keys exactly as pino wrote it", () => {
    const line = `{"level":30,"time":"2026-11-24T09:00:00.000Z","service":"quartermaster","msg":"request"}\n`;
    expect(redactLogLine(line)).toBe(line);
  });
});
