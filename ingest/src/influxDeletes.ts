import {
  type InfluxClient,
  InfluxRequestError,
  influxQLString,
  tagValue,
  VOTE,
  VOTE_1M,
} from '@likebox/influx';
import type { Logger } from 'pino';
import type { InfluxDeletion } from './journalMoves.js';

/** Where the InfluxDB deletions still to do are kept (the journal's `moves`, in `settings`). */
export interface PendingDeletions {
  /** The deletions not yet done, oldest first. */
  pendingDeletions(): InfluxDeletion[];
  /** Forgets deletions InfluxDB has done. */
  deletionsDone(done: readonly InfluxDeletion[]): void;
}

/**
 * The InfluxQL statement of a deletion: the `vote` and `vote_1m` points of the (event, room, talk)
 * between its instants. Checked on influxd 1.6.7: a regex `FROM` reaches both measurements, and
 * `DELETE` reaches every retention policy (the votes' configured one and the default one of
 * `vote_1m`); deleting what is not there (again) answers without error, so it is idempotent. Tag
 * values are compared as the writer stored them ({@link tagValue}). Times are ns: a vote's
 * timestamp is its ms × 10⁶ + (seq mod 10⁶), so the range ends at the last ns of `to`.
 */
export function deleteStatement(d: InfluxDeletion): string {
  const tag = (name: string, value: string) => `"${name}" = ${influxQLString(tagValue(value))}`;
  return (
    `DELETE FROM /^(${VOTE.name}|${VOTE_1M.name})$/ WHERE ` +
    `${tag('event', d.event)} AND ${tag('room', d.room)} AND ${tag('talk', d.talk)} ` +
    `AND time >= ${Math.trunc(d.from)}000000 AND time <= ${Math.trunc(d.to)}999999`
  );
}

/**
 * Runs the pending deletions, oldest first, and forgets each one once InfluxDB answered. A failure
 * InfluxDB may recover from (unreachable, 5xx, timeout) throws and keeps the rest pending: the
 * writer retries them, like its writes, before it writes anything. A statement InfluxDB refuses
 * for good (a 4xx, or an error inside a good answer: e.g. a server whose v1 API has no `DELETE`)
 * can never succeed: it is logged as an error and forgotten, as the writer skips refused points.
 */
export async function runDeletions(
  client: InfluxClient,
  deletions: PendingDeletions,
  log: Logger,
): Promise<void> {
  for (const deletion of deletions.pendingDeletions()) {
    try {
      await client.query(deleteStatement(deletion));
    } catch (err) {
      const status = err instanceof InfluxRequestError ? err.status : undefined;
      if (status === undefined || status >= 500) throw err;
      log.error({ err, status, deletion }, 'influxdb refused to delete moved votes; skipped');
    }
    deletions.deletionsDone([deletion]);
    log.debug({ deletion }, 'influxdb points of moved votes deleted');
  }
}
