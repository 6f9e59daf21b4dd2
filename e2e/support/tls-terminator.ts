/**
 * A TLS terminator for the end-to-end tests, standing where a load balancer or ingress stands in
 * production: https on `port` with a self-signed certificate for localhost made at start (openssl),
 * forwarding each request over plain http to `target` with the original Host and
 * `x-forwarded-proto: https` / `x-forwarded-host` / `x-forwarded-for`, as such proxies do.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";

export type TlsTerminator = { origin: string; close(): Promise<void> };

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "qm-tls-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")],
      { stdio: "ignore" },
    );
    return { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startTlsTerminator({ port, target }: { port: number; target: number }): Promise<TlsTerminator> {
  const certificate = selfSignedCertificate();
  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: target,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          "x-forwarded-proto": "https",
          "x-forwarded-host": req.headers.host ?? `localhost:${port}`,
          "x-forwarded-for": req.socket.remoteAddress ?? "127.0.0.1",
        },
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.statusMessage, response.rawHeaders);
        response.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      if (res.headersSent) return res.destroy(err);
      res.writeHead(502, { "content-type": "text/plain" }).end(`TLS terminator: upstream failed: ${err.message}`);
    });
    req.pipe(upstream);
  };

  // Loopback only, on both families: the browser may resolve localhost to either.
  const servers: https.Server[] = [];
  for (const host of ["127.0.0.1", "::1"]) {
    const server = https.createServer(certificate, forward);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
      });
      servers.push(server);
    } catch (err) {
      if (host === "127.0.0.1") throw err;
    }
  }
  return {
    origin: `https://localhost:${port}`,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}
