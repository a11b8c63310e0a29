import type { Logger } from 'pino';
import type { InfluxClient } from './client.js';
import type { InfluxConfig } from './config.js';
import { InfluxError } from './errors.js';

function statusOf(err: unknown): number | undefined {
  return (err as { res?: { statusCode?: number } }).res?.statusCode;
}

/**
 * Prepares InfluxDB for writing.
 *
 * - 1.x (no token): `CREATE DATABASE` (idempotent) and, when a retention policy is configured and
 *   missing, `CREATE RETENTION POLICY … DURATION <retention> REPLICATION 1`. A user without admin
 *   rights gets 401/403 here: logged, and the database is assumed to exist.
 * - 2.x / 3.x (token): nothing is created through the v1 API (2.x refuses `CREATE`; 3.x creates
 *   the database on first write). On 2.x the bucket and its DBRP mapping must exist (README).
 *
 * Throws when InfluxDB cannot be reached, so the caller retries.
 */
export async function ensureDatabase(
  client: InfluxClient,
  config: InfluxConfig,
  log: Logger,
): Promise<void> {
  const host = await client.ping(5000);
  if (!host.online) throw new InfluxError(`InfluxDB at ${config.url} does not answer /ping`);
  const influx = client.admin;
  if (config.token) {
    log.info({ database: config.database, version: host.version }, 'influxdb ready (token auth)');
    return;
  }
  try {
    await influx.createDatabase(config.database);
    const rp = config.retentionPolicy;
    if (rp !== undefined) {
      const existing = await influx.showRetentionPolicies(config.database);
      if (!existing.some((policy) => policy.name === rp)) {
        await influx.createRetentionPolicy(rp, {
          database: config.database,
          duration: config.retention,
          replication: 1,
        });
        log.info({ rp, duration: config.retention }, 'influxdb retention policy created');
      }
    }
  } catch (err) {
    const status = statusOf(err);
    if (status !== 401 && status !== 403) throw err;
    log.warn(
      { err, database: config.database },
      'no right to create the database; assuming it exists',
    );
  }
  log.info({ database: config.database, version: host.version }, 'influxdb ready');
}
