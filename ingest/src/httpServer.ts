import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lease } from '@likebox/protocol';
import {
  check,
  type HealthCheck,
  type HealthStatus,
  healthOf,
  type RunningHttpServer,
  startHttpServer,
} from '@likebox/runtime';
import type { RemoteProgrammeState } from '@likebox/schedule';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { OrganiserCheck } from './deadLetterAccess.js';
import type { StorageState } from './journalStorage.js';

/** The ingest's state, from which its checks on `/healthz` are made ({@link ingestChecks}). */
export interface IngestHealth {
  /** The worst status of {@link ingestChecks}. */
  status: HealthStatus;
  /** Same as `status === 'ok'`. */
  ok: boolean;
  /** Broker connection. */
  broker: { connected: boolean };
  /** InfluxDB: configured at all, and answering. */
  influx: { configured: boolean; reachable: boolean };
  /**
   * Journal: votes received and not stored yet (unconfirmed), votes not yet in InfluxDB, age of
   * the oldest one, missing seqs across boxes, and whether it can store votes at all.
   */
  journal: {
    waiting: number;
    pending: number;
    lagMs: number;
    gaps: number;
    storage: StorageState;
  };
  /** Device ids two boxes (two epochs) vote with now. */
  sharedDevices: string[];
  /** The event's lease: held by this ingest, and another ingest's live claim seen while running. */
  lease: { held: boolean; conflict: Lease | undefined };
  /** The programme URL's state, when the schedule comes from `LIKEBOX_SCHEDULE_URL`. */
  schedule?: RemoteProgrammeState;
}

/**
 * The `schedule` check of a programme URL: degraded while its last check failed (the ingest runs
 * on the last good copy); `lastFetch` is when the URL was last asked, `lastGood` the copy in use.
 */
function scheduleCheck(state: RemoteProgrammeState): HealthCheck {
  const details = {
    source: 'url',
    url: state.url,
    lastFetch: state.lastCheck,
    lastGood: state.lastGood,
    error: state.lastError,
  };
  const since = state.lastGood?.fetchedAt ?? 'never';
  const reason = `the programme URL failed (${state.lastError?.reason}): running on the last good copy, fetched ${since}`;
  return check(state.lastError === null, 'degraded', reason, details);
}

function journalCheck(journal: IngestHealth['journal']): HealthCheck {
  const { storage, ...backlog } = journal;
  if (storage.ok) return { status: 'ok', ...backlog };
  const since = new Date(storage.since ?? 0).toISOString();
  return {
    status: 'failing',
    reason: `the journal cannot store votes since ${since} (${storage.reason}): they stay unconfirmed, boxes keep them`,
    ...backlog,
    failures: storage.failures,
  };
}

function ingestCheck(health: IngestHealth): HealthCheck {
  const { sharedDevices, lease } = health;
  const details = { sharedDevices, lease: lease.held ? 'held' : 'off' };
  if (lease.conflict !== undefined) {
    const other = lease.conflict;
    const reason = `another ingest claims this event: ${other.id} on ${other.host} (pid ${other.pid}); stop one`;
    return { status: 'failing', reason, ...details, other };
  }
  const reason = `device ids used by two boxes at once: ${sharedDevices.join(', ')}`;
  return check(sharedDevices.length === 0, 'degraded', reason, details);
}

/**
 * The ingest's checks of the health document: `mqtt` fails without a broker connection (no vote
 * comes in); `influx` is degraded while a configured InfluxDB does not answer (votes wait in the
 * journal, backfilled later); `journal` reports the backlog and fails while it cannot store votes
 * (a full disk: nothing is confirmed); `ingest` is degraded while two boxes vote with one device
 * id, and fails while another ingest claims the event; `schedule`, with a programme URL, is
 * degraded while the URL fails.
 */
export function ingestChecks(health: IngestHealth): {
  mqtt: HealthCheck;
  influx: HealthCheck;
  journal: HealthCheck;
  ingest: HealthCheck;
  schedule?: HealthCheck;
} {
  const { configured, reachable } = health.influx;
  return {
    ...(health.schedule === undefined ? {} : { schedule: scheduleCheck(health.schedule) }),
    mqtt: check(health.broker.connected, 'failing', 'not connected to the broker', {
      connected: health.broker.connected,
    }),
    influx: check(
      !configured || reachable,
      'degraded',
      'InfluxDB does not answer: votes wait in the journal',
      { configured, reachable },
    ),
    journal: journalCheck(health.journal),
    ingest: ingestCheck(health),
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
  /** Who may read them: nobody, or organisers checked against the users file. */
  deadLetterAccess: OrganiserCheck | undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * `GET /dead-letters`: the 100 newest invalid messages, raw payloads included, so never to anyone
 * without credentials. Off by default (403); with `LIKEBOX_DEAD_LETTERS=organiser`, HTTP Basic as
 * an organiser of the users file (401 with a challenge without or with wrong credentials, 403 for
 * another role).
 */
function deadLetterRoute(sources: HttpSources) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/dead-letters' || req.method !== 'GET') return false;
    const access = sources.deadLetterAccess;
    if (access === undefined) {
      const error =
        'dead letters are off: set LIKEBOX_DEAD_LETTERS=organiser to serve them to organisers';
      sendJson(res, 403, { error });
      return true;
    }
    const verdict = await access.verify(req.headers.authorization);
    if (verdict === 'ok') sendJson(res, 200, sources.deadLetters(100));
    else if (verdict === 'forbidden') sendJson(res, 403, { error: 'organisers only' });
    else {
      const challenge = {
        'www-authenticate': 'Basic realm="likebox dead letters", charset="UTF-8"',
      };
      sendJson(res, 401, { error: 'organiser credentials needed' }, challenge);
    }
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
