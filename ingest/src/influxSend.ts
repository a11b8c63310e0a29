import { type InfluxPoint, InfluxRequestError, retentionPolicyOf } from '@likebox/influx';
import { runDeletions } from './influxDeletes.js';
import type { InfluxWriterOptions } from './influxWriter.js';

/**
 * Runs the pending deletions of moved votes first (a failure throws before anything is written:
 * a vote written under its old talk before the deletion would be deleted with it), then writes the
 * points, one request per retention policy (votes first, into the configured one;
 * `vote_1m` into the default one, where the dashboards read). A 400 means InfluxDB refused
 * some points for good (field type conflict, bad value) and wrote the valid ones: retrying can
 * never succeed, so they are skipped, loudly. Any other failure throws.
 */
export async function sendByPolicy(
  options: Pick<InfluxWriterOptions, 'client' | 'config' | 'metrics' | 'log' | 'deletions'>,
  points: InfluxPoint[],
): Promise<void> {
  const { client, config, metrics, log, deletions } = options;
  if (deletions !== undefined) await runDeletions(client, deletions, log);
  const byPolicy = new Map<string | undefined, InfluxPoint[]>();
  for (const point of points) {
    const rp = retentionPolicyOf(point.measurement, config.retentionPolicy);
    const group = byPolicy.get(rp);
    if (group === undefined) byPolicy.set(rp, [point]);
    else group.push(point);
  }
  for (const [rp, group] of byPolicy) {
    try {
      await client.write(group, rp);
    } catch (err) {
      if (!(err instanceof InfluxRequestError) || err.status !== 400) throw err;
      metrics.writeErrors.inc();
      metrics.pointsRejected.inc(group.length);
      log.error({ err, points: group.length, rp }, 'influxdb refused a batch; skipped');
    }
  }
}
