import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedInfluxd, startManagedInfluxd } from '@likebox/influx';
import { startTcpProxy, type TcpProxy, tempDir } from '@likebox/runtime/testing';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { type FaultBox, PASSWORD, startBox } from './boxes.js';
import type { Counts, Identity } from './counts.js';
import { type FaultServer, upServer } from './server.js';

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

/** What {@link upWithBoxes} started. */
export interface UpScenario {
  /** The scenario's folder. */
  dir: string;
  /** `likebox up`. */
  server: FaultServer;
  /** The proxy between the boxes and `up` (with `proxy: true`). */
  proxy: TcpProxy;
  /** The boxes, one per id, each with its outbox in `{dir}/{id}`. */
  boxes: FaultBox[];
}

/**
 * The start of most scenarios: `likebox up` with its own InfluxDB database, device accounts for
 * `ids`, and a box process per id, talking to `up` directly or (`proxy: true`) through a TCP proxy
 * the test can cut, refuse or black-hole.
 */
export async function upWithBoxes(
  influxUrl: string,
  database: string,
  options: { ids?: string[]; proxy?: boolean; clockSkewMs?: number } = {},
): Promise<UpScenario> {
  const ids = options.ids ?? ['box-1'];
  const dir = await tempDir('likebox-fault-');
  const server = await upServer({ dir, influxUrl, database, boxes: ids });
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
  const url = options.proxy ? proxy.url : server.url;
  const boxes = await Promise.all(
    ids.map((id) => startBox({ id, dir: join(dir, id), url, clockSkewMs: options.clockSkewMs })),
  );
  return { dir, server, proxy, boxes };
}

/** An MQTT.js client of the suite's account `user` (organiser, a device...), ended after the test. */
export async function mqttClient(url: string, user: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    ...{ username: user, password: PASSWORD, protocolVersion: 4, reconnectPeriod: 0 },
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}
