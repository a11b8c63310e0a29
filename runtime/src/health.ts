/**
 * How a process or one of its parts is doing: `ok`; `degraded` when it works but something it
 * relies on is missing (votes wait in the journal while InfluxDB is away); `failing` when it does
 * not do its job (no broker connection, shutting down).
 */
export type HealthStatus = 'ok' | 'degraded' | 'failing';

/** The health of one part: its status, why when it is not `ok`, and what it reports. */
export interface HealthCheck {
  /** Its status. */
  status: HealthStatus;
  /** Why it is not `ok`, for the person reading `/healthz`. */
  reason?: string;
  /** What the part reports (clients, pending votes, ...). */
  [detail: string]: unknown;
}

/**
 * The one health document of every LikeBox process (`likebox broker`, `ingest`, `up`, a
 * virtual box's control): served on `/healthz` (and `/health`), 200 when `status` is `ok`, 503
 * otherwise.
 */
export interface Health {
  /** The worst status of the checks. */
  status: HealthStatus;
  /** One check per part: `broker`, `mqtt`, `influx`, `journal`, ... */
  checks: Record<string, HealthCheck>;
}

const RANK: Record<HealthStatus, number> = { ok: 0, degraded: 1, failing: 2 };

/** The health of a process from the checks of its parts: the worst status wins. */
export function healthOf(checks: Record<string, HealthCheck>): Health {
  let status: HealthStatus = 'ok';
  for (const check of Object.values(checks)) {
    if (RANK[check.status] > RANK[status]) status = check.status;
  }
  return { status, checks };
}

/** A check that is `ok` when `good`, else `bad` with its reason. */
export function check(
  good: boolean,
  bad: Exclude<HealthStatus, 'ok'>,
  reason: string,
  details: Record<string, unknown> = {},
): HealthCheck {
  return good ? { status: 'ok', ...details } : { status: bad, reason, ...details };
}
