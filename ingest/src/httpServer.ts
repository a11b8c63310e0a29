import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** The ingest's health, as served on `/health`. */
export interface IngestHealth {
  /** `ok` when connected to the broker and (if configured) InfluxDB answers; else `degraded`. */
  status: 'ok' | 'degraded';
  /** Same as `status === 'ok'`. */
  ok: boolean;
  /** Broker connection. */
  broker: { connected: boolean };
  /** InfluxDB: configured at all, and answering. */
  influx: { configured: boolean; reachable: boolean };
  /** Journal: votes not yet in InfluxDB, age of the oldest one, missing seqs across boxes. */
  journal: { pending: number; lagMs: number; gaps: number };
}

/** A dead letter as served on `/dead-letters`. */
export interface DeadLetterView {
  /** Row id in the journal's `dead_letters` table. */
  id: number;
  /** Arrival, ISO 8601. */
  received: string;
  /** The MQTT topic it came on. */
  topic: string;
  /** Why it was refused. */
  reason: string;
  /** The payload as UTF-8 text (invalid bytes replaced). */
  payload: string;
}

/** What the HTTP handler serves. */
export interface HttpSources {
  /** Current health. */
  health: () => IngestHealth;
  /** Metrics registry. */
  metrics: Registry;
  /** The newest dead letters (invalid messages), newest first. */
  deadLetters: (limit: number) => DeadLetterView[];
}

/**
 * The handler of `GET /health` (JSON; 200 when `ok`, 503 when `degraded`), `GET /metrics`
 * (Prometheus text format) and `GET /dead-letters` (the 100 newest invalid messages, JSON).
 * Anything else is a 404. `likebox up` mounts it in its own server.
 */
export function createHttpHandler(sources: HttpSources) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/health') {
      const health = sources.health();
      res.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(health));
    } else if (path === '/dead-letters') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(sources.deadLetters(100)));
    } else if (path === '/metrics') {
      sources.metrics.metrics().then(
        (text) => res.writeHead(200, { 'content-type': sources.metrics.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  };
}

/** Starts the HTTP server on `host:port` (0: a free port); resolves with it and its URL. */
export async function startHttpServer(
  sources: HttpSources,
  host: string,
  port: number,
): Promise<{ server: Server; url: string }> {
  const server = createServer(createHttpHandler(sources));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shown}:${address.port}` };
}
