import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  check,
  type HealthCheck,
  healthOf,
  type RunningHttpServer,
  startHttpServer,
} from '@likebox/runtime';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** The ingest's state, from which its checks on `/healthz` are made ({@link ingestChecks}). */
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

/**
 * The ingest's checks of the health document: `mqtt` fails without a broker connection (no vote
 * comes in); `influx` is degraded while a configured InfluxDB does not answer (votes wait in the
 * journal, backfilled later); `journal` reports the backlog.
 */
export function ingestChecks(health: IngestHealth): {
  mqtt: HealthCheck;
  influx: HealthCheck;
  journal: HealthCheck;
} {
  const { configured, reachable } = health.influx;
  return {
    mqtt: check(health.broker.connected, 'failing', 'not connected to the broker', {
      connected: health.broker.connected,
    }),
    influx: check(
      !configured || reachable,
      'degraded',
      'InfluxDB does not answer: votes wait in the journal',
      { configured, reachable },
    ),
    journal: { status: 'ok', ...health.journal },
  };
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

/** What the HTTP server serves. */
export interface HttpSources {
  /** Current health. */
  health: () => IngestHealth;
  /** Metrics registry. */
  metrics: Registry;
  /** The newest dead letters (invalid messages), newest first. */
  deadLetters: (limit: number) => DeadLetterView[];
}

/** `GET /dead-letters`: the 100 newest invalid messages, JSON. */
function deadLetterRoute(sources: HttpSources) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/dead-letters' || req.method !== 'GET') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(sources.deadLetters(100)));
    return true;
  };
}

/**
 * Starts the ingest's HTTP server on `host:port` (0: a free port): `/healthz` (and `/health`),
 * `/metrics`, `/dead-letters`.
 */
export function startIngestHttp(
  sources: HttpSources,
  host: string,
  port: number,
  log: Logger,
): Promise<RunningHttpServer> {
  return startHttpServer({
    host,
    port,
    health: () => healthOf(ingestChecks(sources.health())),
    registries: [sources.metrics],
    routes: deadLetterRoute(sources),
    log: log.child({ module: 'http' }),
  });
}
