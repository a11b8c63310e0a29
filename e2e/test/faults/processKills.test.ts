import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '@likebox/runtime/testing';
import { describe, it } from 'vitest';
import { startBox } from './boxes.js';
import { report } from './counts.js';
import { fileInfluxd, settle, upWithBoxes } from './rig.js';
import { standaloneServer } from './server.js';

const influx = fileInfluxd();

describe('fault suite: processes killed -9 mid-stream', () => {
  it('kill -9 up', async () => {
    // Prepare: `likebox up`, two boxes pressing
    const { server, boxes } = await upWithBoxes(influx.url, 'kill_up', { ids: ['box-1', 'box-2'] });
    const pressing = Promise.all(boxes.map((box) => box.press(80)));

    // Act: kill -9 mid-stream, start it again while the boxes keep pressing
    await sleep(1000);
    const [up] = server.processes();
    up?.child.kill('SIGKILL');
    await up?.exited;
    await sleep(500);
    await server.start();
    await pressing;

    // Assess
    const counts = await settle(server, boxes);
    report('kill -9 up', counts, 'up restarted; boxes resent what the ack did not cover');
  });

  it.each([
    ['kill -9 broker', 'broker'],
    ['kill -9 ingest', 'ingest'],
  ] as const)('%s', async (scenario, part) => {
    // Prepare: a standalone broker and ingest, a box pressing
    const dir = await tempDir('likebox-fault-');
    const database = `kill_${part}`;
    const server = await standaloneServer({
      dir,
      influxUrl: influx.url,
      database,
      boxes: ['box-1'],
    });
    const box = await startBox({ id: 'box-1', dir: join(dir, 'box-1'), url: server.url });
    await box.press(20);

    // Act: kill -9 while the box presses, start it again
    const pressing = box.press(80);
    await sleep(500);
    await server[part]().kill();
    await sleep(500);
    await server.start();
    await pressing;

    // Assess
    const counts = await settle(server, [box]);
    report(scenario, counts, `${part} restarted; the box resent what the ack did not cover`);
  });
});
