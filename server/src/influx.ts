import { join } from 'node:path';
import { InfluxdStartError, type ManagedInfluxd, startManagedInfluxd } from '@likebox/influx';
import type { Logger } from 'pino';
import type { UpConfig } from './upConfig.js';

/** Where `up` writes votes: an InfluxDB given by URL, a managed child influxd, or none. */
export type InfluxChoice =
  /** `LIKEBOX_INFLUX_URL` was set. */
  | { mode: 'external'; url: string }
  /** A private influxd started as a child process. */
  | { mode: 'managed'; url: string; influxd: ManagedInfluxd }
  /** No InfluxDB: the ingest keeps votes in its journal and backfills once one is configured. */
  | { mode: 'none'; reason: string };

function isMissingExecutable(err: unknown): boolean {
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  return cause?.code === 'ENOENT';
}

/**
 * Picks the InfluxDB of `likebox up`: `LIKEBOX_INFLUX_URL` when set; else a managed influxd
 * (data in `$LIKEBOX_DATA_DIR/influxdb`, loopback, free port) when one is installed; else none.
 * A failing influxd is logged and `up` runs on its journal rather than not at all.
 */
export async function chooseInflux(config: UpConfig, log: Logger): Promise<InfluxChoice> {
  if (config.influxUrl !== undefined) return { mode: 'external', url: config.influxUrl };
  if (!config.managedInfluxd) return { mode: 'none', reason: 'LIKEBOX_INFLUXD=off' };
  try {
    const influxd = await startManagedInfluxd({
      dataDir: join(config.dataDir, 'influxdb'),
      executable: config.influxdPath,
    });
    return { mode: 'managed', url: influxd.url, influxd };
  } catch (err) {
    if (!(err instanceof InfluxdStartError)) throw err;
    if (isMissingExecutable(err)) {
      return { mode: 'none', reason: `${config.influxdPath} is not installed` };
    }
    log.error({ err }, 'managed influxd failed to start: running on the journal alone');
    return { mode: 'none', reason: 'the managed influxd failed to start (see the log)' };
  }
}
