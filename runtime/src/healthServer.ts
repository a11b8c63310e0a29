import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Address to bind. */
  host: string;
  /** Port; 0 = a free port. */
  port: number;
  /** Registries served together on `/metrics`. */
  registries: Registry[];
  /** Health document of `/health`: 200 while `status` is `ok`, else 503. */
  health: () => { status: string };
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** `http://host:port`. */
  url: string;
  /** The port. */
  port: number;
  /** Stops the server. */
  close(): Promise<void>;
}

async function metricsText(registries: Registry[]): Promise<string> {
  const texts = await Promise.all(registries.map((registry) => registry.metrics()));
  return texts.join('\n');
}

/** Serves `/health` (JSON) and `/metrics` (Prometheus text) for a standalone `likebox broker`. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const contentType =
    options.registries[0]?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/health') {
      const health = options.health();
      res.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(health));
    } else if (path === '/metrics') {
      metricsText(options.registries).then(
        (text) => res.writeHead(200, { 'content-type': contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
