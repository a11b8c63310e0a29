import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { FaultBox } from './boxes.js';
import { report } from './counts.js';
import { fileInfluxd, settle, upWithBoxes } from './rig.js';

const influx = fileInfluxd();

/** `likebox up` and one box talking to it through a TCP proxy the test can break. */
async function boxBehindProxy(database: string, clockSkewMs = 0) {
  const { server, proxy, boxes } = await upWithBoxes(influx.url, database, {
    proxy: true,
    clockSkewMs,
  });
  return { server, proxy, box: boxes[0] as FaultBox };
}

describe('fault suite: outages', () => {
  it('kill -9 box', async () => {
    // Prepare
    const { server, box } = await boxBehindProxy('kill_box');
    await box.press(30);

    // Act: kill -9 while pressing (the press in flight may be stored without its "Merci !")
    const pressing = box.press(200).catch(() => undefined);
    await sleep(800);
    await box.process.kill();
    await pressing;
    await box.restart();
    await box.press(30);

    // Assess
    const counts = await settle(server, [box]);
    report('kill -9 box', counts, 'restarted on its outbox, same epoch');
  });

  it('InfluxDB frozen (SIGSTOP)', async () => {
    // Prepare
    const { server, box } = await boxBehindProxy('influx_frozen');
    await box.press(20);

    // Act: influxd frozen (sockets open, no answer) while the box keeps pressing
    influx.influxd.process.kill('SIGSTOP');
    try {
      await box.press(80);
      await sleep(5000);
    } finally {
      influx.influxd.process.kill('SIGCONT');
    }

    // Assess: the journal held them; the writer catches up
    const counts = await settle(server, [box]);
    report('InfluxDB frozen (SIGSTOP)', counts, 'influxd stopped ~8 s mid-stream, then resumed');
  });

  it('box offline, then back', async () => {
    // Prepare
    const { server, proxy, box } = await boxBehindProxy('box_offline');
    await box.press(20);

    // Act: the link is cut and refused while the box keeps pressing, then comes back
    proxy.setOffline(true);
    const offline = await box.press(60);
    const depth = (await box.status()).outbox;
    proxy.setOffline(false);

    // Assess
    expect(offline).toBeGreaterThan(0);
    expect(depth).toBeGreaterThanOrEqual(offline);
    const counts = await settle(server, [box]);
    report('box offline, then back', counts, `${depth} votes waited in the outbox`);
  });

  it('black hole (paused proxy)', async () => {
    // Prepare
    const { server, proxy, box } = await boxBehindProxy('black_hole');
    await box.press(20);

    // Act: bytes stop both ways, sockets stay open; the box notices by its keepalive (3 s)
    proxy.setBlackHole(true);
    await box.press(60);
    await sleep(6000);
    const status = await box.status();
    proxy.setBlackHole(false);

    // Assess
    expect(status.online).toBe(false);
    const counts = await settle(server, [box]);
    report('black hole (paused proxy)', counts, 'box saw the link dead within its keepalive');
  });

  it('clock skew (box 5 h behind)', async () => {
    // Prepare: the box's wall clock five hours behind the server's
    const { server, box } = await boxBehindProxy('clock_skew', -5 * 3_600_000);

    // Act
    await box.press(60);

    // Assess
    const counts = await settle(server, [box]);
    report('clock skew (box 5 h behind)', counts, 'votes stored with the box clock 5 h off');
  });
});
