import { setTimeout as sleep } from 'node:timers/promises';
import { topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import {
  connectAs,
  PASSWORD,
  publishVotes,
  spawnIngest,
  startTestBroker,
  tempDir,
  votes,
  waitForMessage,
} from './harness.js';

/*
 * The broker → ingest hop when the broker drops the ingest's connection in the middle of a flood:
 * the votes in flight are redelivered on the next connection, and the PUBACKs of one connection
 * never go out on the next (see AckGate: MQTT.js would queue them, and the broker numbers a new
 * connection's messages afresh). Acks cover the seqs stored without a gap: all of them only when
 * nothing was lost.
 */

describe('likebox ingest process, its connection cut in a flood', () => {
  it('stores every vote when the broker drops its connection eight times', async () => {
    // Prepare
    const total = 30_000;
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    // The ingest's connection on the broker, while it is connected (Aedes's documented events).
    let ingest: { conn: { destroy(): void } } | undefined;
    broker.aedes.on('client', (client) => {
      if (client.id.includes('likebox-ingest')) ingest = client;
    });
    broker.aedes.on('clientDisconnect', (client) => {
      if (client === ingest) ingest = undefined;
    });
    await spawnIngest({
      ...{ LIKEBOX_EVENT: 'test', LIKEBOX_DATA_DIR: dir, LIKEBOX_HTTP_PORT: '0' },
      ...{ LIKEBOX_MQTT_URL: broker.mqttUrl, LIKEBOX_MQTT_USERNAME: 'ingest' },
      LIKEBOX_MQTT_PASSWORD: PASSWORD,
    });
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const watcher = await connectAs(broker.mqttUrl, 'organiser');
    const acked = waitForMessage<{ seq: number }>(
      watcher,
      topics.ack('test', 'box-1'),
      (a) => a.seq === total,
      120_000,
    );

    // Act: every 250 ms once the ingest is back (it reconnects after 1 s), while the box floods.
    const sent = publishVotes(box, 'test', 'box-1', votes(1, total, Date.now() - 3_600_000));
    let drops = 0;
    while (drops < 8) {
      await sleep(250);
      if (ingest === undefined) continue;
      ingest.conn.destroy();
      ingest = undefined;
      drops += 1;
    }
    await sent;

    // Assess
    expect((await acked).seq).toBe(total);
  }, 180_000);
});
