import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebHandler } from '@likebox/web';
import type { Logger } from 'pino';

/** What the `up` HTTP server serves besides the live page. */
export interface UpHttpOptions {
  /** Listen address. */
  host: string;
  /** Port, 0 = a free one. */
  port: number;
  /** `/healthz`: true when every part runs; the body is the JSON of `details()`. */
  health: () => { ok: boolean; details: unknown };
  /** `/metrics`: Prometheus text of every part, concatenated. */
  metrics: () => Promise<string>;
  /** The live page (its routes, `/config.json`, assets); tried after the two above. */
  web: WebHandler | null;
  /** Logger. */
  log: Logger;
}

/** The running HTTP server of `up`. */
export interface UpHttpServer {
  /** `http://host:port`. */
  url: string;
  /** The bound port. */
  port: number;
  /** Stops accepting, closes idle keep-alive connections, waits for the others. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function route(req: IncomingMessage, res: ServerResponse, options: UpHttpOptions) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz' || path === '/health') {
    const { ok, details } = options.health();
    send(res, ok ? 200 : 503, 'application/json', `${JSON.stringify(details)}\n`);
    return;
  }
  if (path === '/metrics') {
    send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', await options.metrics());
    return;
  }
  if (options.web !== null && (await options.web(req, res))) return;
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

/** Starts the HTTP server of `likebox up`: `/healthz`, `/metrics`, then the live page. */
export async function startUpHttp(options: UpHttpOptions): Promise<UpHttpServer> {
  const server: Server = createServer((req, res) => {
    route(req, res, options).catch((err: unknown) => {
      options.log.error({ err, url: req.url }, 'http handler failed');
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
