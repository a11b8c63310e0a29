import { once } from 'node:events';
import { join } from 'node:path';
import { addUser } from '@likebox/broker';
import { Outbox, Publisher } from '@likebox/device';
import { freePort } from '@likebox/influx';
import { influxNumber, startTestInfluxd } from '@likebox/influx/testing';
import { eventually, tempDir } from '@likebox/runtime/testing';
import { startUpProcess, upEnv } from '@likebox/server/testing';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';

const PASSWORD = 'test-password-1';

const count = (url: string, q: string) => influxNumber(url, 'upcrash', q);

describe('likebox up process', () => {
  it('loses and doubles no vote of a real box when killed -9 while the box drains its outbox', async () => {
    // Prepare: the box's own outbox and publisher, 2,000 votes waiting; `up` on a fixed port
    // (the box reconnects to it), InfluxDB outside `up` so that it survives the kill.
    const total = 2000;
    const dir = await tempDir();
    const influxd = await startTestInfluxd(dir);
    const dataDir = join(dir, 'up');
    await addUser(join(dataDir, 'users.json'), 'box-1', 'device', PASSWORD);
    const port = await freePort();
    const env = upEnv(dataDir, {
      LIKEBOX_MQTT_PORT: String(port),
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'upcrash',
      LIKEBOX_INFLUX_BATCH_SIZE: '100',
      // A box draining its outbox at the broker's default pace, so the kill lands mid-flow.
      LIKEBOX_MESSAGES_PER_SECOND: '400',
      LIKEBOX_MESSAGE_BURST: '100',
    });
    const outbox = Outbox.open(join(dir, 'outbox.sqlite'));
    onTestFinished(() => outbox.close());
    const at = Date.now() - 3_600_000;
    const expectedSum = Array.from({ length: total }, (_, i) => (i % 3 === 0 ? -1 : 1)).reduce(
      (sum: number, v) => sum + v,
      0,
    );
    for (let i = 0; i < total; i += 1) {
      outbox.record({ value: i % 3 === 0 ? -1 : 1, at: at + i, room: 'amphi', synced: true });
    }
    const first = await startUpProcess(env);
    const box = new Publisher(
      {
        ...{ url: `mqtt://127.0.0.1:${port}`, password: PASSWORD, event: 'demo', device: 'box-1' },
        ...{ maxInflight: 50, ackTimeoutMs: 2000, heartbeatMs: 60_000, reconnectMs: 200 },
      },
      outbox,
      () => ({ outbox: outbox.depth, version: 'test', uptime: 1 }),
      pino({ level: 'silent' }),
    );
    box.start();
    onTestFinished(() => box.stop());

    // Act
    await eventually(async () =>
      (await count(influxd.url, 'SELECT count(value) FROM vote')) > 0 ? true : undefined,
    );
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const storedAtKill = await count(influxd.url, 'SELECT count(value) FROM vote');
    await startUpProcess(env);

    // Assess: the box keeps every vote the retained ack does not cover, and sends it again.
    expect(storedAtKill).toBeLessThan(total);
    await eventually(() => (outbox.depth === 0 ? true : undefined), 90_000);
    await eventually(async () => {
      const stored = await count(influxd.url, 'SELECT count(value) FROM vote');
      return stored === total ? stored : undefined;
    }, 30_000);
    expect(await count(influxd.url, 'SELECT sum(value) FROM vote')).toBe(expectedSum);
    expect(await count(influxd.url, 'SELECT count(value) FROM vote')).toBe(total);
  }, 180_000);
});
