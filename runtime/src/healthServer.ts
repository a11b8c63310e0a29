import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Health } from './health.js';

/** A handler tried after `/healthz` and `/metrics`: resolves true when it answered. */
export type Routes = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Address to bind. */
  host: string;
  /** Port; 0 = a free port. */
  port: number;
  /** The health document of `/healthz` and `/health`. */
  health: () => Health;
  /** Registries served together on `/metrics`. */
  registries: Registry[];
  /** More routes (the live page, `/dead-letters`); anything else is a 404. */
  routes?: Routes;
  /** Where a failing handler is logged. */
  log?: Logger;
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** `http://host:port`. */
  url: string;
  /** The port. */
  port: number;
  /** Stops accepting, closes idle keep-alive connections, waits for the requests in flight. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * Answers `GET /healthz` and `GET /health` with the {@link Health} document: 200 when it is `ok`,
 * 503 otherwise (the reasons are in its checks). Returns false for any other path.
 */
export function serveHealth(req: IncomingMessage, res: ServerResponse, health: () => Health) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== '/healthz' && path !== '/health') return false;
  const document = health();
  const status = document.status === 'ok' ? 200 : 503;
  send(res, status, 'application/json', `${JSON.stringify(document)}\n`);
  return true;
}

async function route(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/metrics' || path === '/healthz' || path === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
  }
  if (serveHealth(req, res, options.health)) return;
  if (path === '/metrics') {
    const texts = await Promise.all(options.registries.map((registry) => registry.metrics()));
    const type = options.registries[0]?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8';
    send(res, 200, type, texts.join('\n'));
    return;
  }
  if (options.routes !== undefined && (await options.routes(req, res))) return;
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

/**
 * The HTTP server of every LikeBox process: `/healthz` (and `/health`), `/metrics` (Prometheus
 * text of every registry), then the process's own routes.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    route(req, res, options).catch((err: unknown) => {
      options.log?.error({ err, url: req.url }, 'http handler failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  server.listen(options.port, options.host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => Promise.reject(err as Error)),
  ]);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeIdleConnections();
      await closed;
    },
  };
}
