import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedInfluxd, startManagedInfluxd } from '@likebox/influx';
import { afterAll, beforeAll } from 'vitest';
import type { FaultBox } from './boxes.js';
import type { Counts, Identity } from './counts.js';
import type { FaultServer } from './server.js';

/**
 * One real influxd for every scenario of a file (each scenario has a database of its own): started
 * before the file's first test, stopped after its last. The scenarios of a file run one at a time.
 */
export function fileInfluxd(): { readonly url: string; readonly influxd: ManagedInfluxd } {
  let influxd: ManagedInfluxd | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'likebox-faults-influxd-'));
  beforeAll(async () => {
    influxd = await startManagedInfluxd({ dataDir: dir });
  });
  afterAll(async () => {
    await influxd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get url() {
      return (influxd as ManagedInfluxd).url;
    },
    get influxd() {
      return influxd as ManagedInfluxd;
    },
  };
}

/** Every press the boxes confirmed. */
export function confirmedBy(boxes: FaultBox[]): Identity[] {
  return boxes.flatMap((box) => [...box.confirmed]);
}

/**
 * The end of most scenarios: every box's outbox empties, InfluxDB holds every confirmed press, the
 * server stops cleanly, and the journal and InfluxDB are read.
 */
export async function settle(server: FaultServer, boxes: FaultBox[]): Promise<Counts> {
  await Promise.all(boxes.map((box) => box.drained()));
  const confirmed = confirmedBy(boxes);
  await server.influxHolds(confirmed);
  return { confirmed, ...(await server.finish()) };
}
