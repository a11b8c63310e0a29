import { join } from 'node:path';
import { eventually, rawConnect } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { type FaultBox, PASSWORD } from './boxes.js';
import { report } from './counts.js';
import { spawnLikebox } from './processes.js';
import { fileInfluxd, mqttClient, settle, upWithBoxes } from './rig.js';

const influx = fileInfluxd();

/** The retained tallies of the event, by topic, as a subscriber receives them now. */
async function retainedTallies(url: string): Promise<Record<string, string>> {
  const c = await mqttClient(url, 'organiser');
  const tallies: Record<string, string> = {};
  c.on('message', (topic, payload, packet) => {
    if (packet.retain) tallies[topic] = payload.toString();
  });
  await c.subscribeAsync('likebox/v1/demo/rooms/+/tally', { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await c.endAsync();
  return tallies;
}

describe('fault suite: access', () => {
  it('brute-force logins', async () => {
    // Prepare: a box logged in once (its address is then trusted for its account)
    const { server, proxy, boxes } = await upWithBoxes(influx.url, 'brute_force', { proxy: true });
    const [box] = boxes as [FaultBox];
    await box.press(20);

    // Act: 300 guesses of the box's password from 8 other addresses; the box's link drops meanwhile
    const guesses = Array.from({ length: 300 }, (_, i) =>
      rawConnect(server.port, 'box-1', `guess-${i}`, `127.0.0.${2 + (i % 8)}`),
    );
    proxy.cut();
    const cutAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the box sees its socket close
    await eventually(async () => ((await box.status()).online ? true : undefined), 60_000);
    const reloginMs = Date.now() - cutAt;
    await box.press(40);
    const codes = (await Promise.all(guesses)).map((r) => r.code);

    // Assess: no guess got in, the box did, and lost nothing
    expect(codes.filter((code) => code === 0)).toEqual([]);
    const counts = await settle(server, [box]);
    const note = `300 wrong guesses refused; the box was back in ${(reloginMs / 1000).toFixed(1)} s`;
    report('brute-force logins', counts, note);
  });

  it('second ingest', async () => {
    // Prepare: `up` (whose ingest holds the event's lease), a box pressing
    const { dir, server, boxes } = await upWithBoxes(influx.url, 'second_ingest');
    const [box] = boxes as [FaultBox];
    await box.press(30);
    await box.drained();
    const before = await retainedTallies(server.url);

    // Act: a second `likebox ingest` on the same event, on its own journal, while the box presses
    const pressing = box.press(30);
    const env = {
      ...{ LIKEBOX_EVENT: 'demo', LIKEBOX_DATA_DIR: join(dir, 'second'), LIKEBOX_HTTP_PORT: '0' },
      ...{
        LIKEBOX_MQTT_URL: server.url,
        LIKEBOX_MQTT_USERNAME: 'ingest',
        LIKEBOX_MQTT_PASSWORD: PASSWORD,
      },
      ...{ LIKEBOX_INFLUX_URL: influx.url, LIKEBOX_INFLUX_DATABASE: 'second_ingest' },
    };
    const second = spawnLikebox('ingest', env, dir, (e) => e.msg === 'ingest started');
    const refused = await second.then(
      () => '',
      (err: Error) => err.message,
    );
    await pressing;
    await box.drained();
    const after = await retainedTallies(server.url);

    // Assess: it refused to start, naming the lease; the tallies it never touched
    expect(refused).toMatch(/lease|ingest/i);
    expect(Object.keys(before).length).toBeGreaterThan(0);
    const counts = await settle(server, [box]);
    expect(after).toEqual(before);
    report(
      'second ingest',
      counts,
      'refused to start, naming the lease holder; retained tallies untouched',
    );
  });
});
