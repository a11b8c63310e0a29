import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTcpProxy } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { startBoxProcess } from '../../src/testing.js';
import { waitFor } from '../helpers/ackStandIn.js';
import {
  broker,
  FAST_GATE,
  freePort,
  PRESS_GAP_MS,
  PW,
  statuses,
  tempDir,
  virtualBox,
} from '../helpers/rig.js';

describe('box link', () => {
  it('notices a black hole within 15 s with the default keepalive, and so does the broker', {
    timeout: 40_000,
  }, async () => {
    // Prepare
    const b = await broker(tempDir());
    const seen = await statuses(b.mqttUrl);
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: b.mqttPort });
    const { box } = await virtualBox(tempDir(), proxy.url);
    await waitFor(() => seen.at(-1)?.online === true, 10_000, 'online');
    // Act
    proxy.setBlackHole(true);
    const start = performance.now();
    let boxNoticed = 0;
    let brokerNoticed = 0;
    await waitFor(
      () => {
        const now = performance.now() - start;
        if (boxNoticed === 0 && !box.publisher.connected) boxNoticed = now;
        if (brokerNoticed === 0 && seen.at(-1)?.online === false) brokerNoticed = now;
        return boxNoticed > 0 && brokerNoticed > 0;
      },
      30_000,
      'both ends notice',
    );
    // Assess
    expect(boxNoticed).toBeLessThan(15_000);
    expect(brokerNoticed).toBeLessThan(15_000);
  });

  it('wills the outbox depth of its last connect and republishes its status on every change', {
    timeout: 30_000,
  }, async () => {
    // Prepare: no ingest, so votes stay in the outbox; no heartbeat within the test.
    const b = await broker(tempDir());
    const seen = await statuses(b.mqttUrl);
    const port = await freePort();
    const env = { ...FAST_GATE, LIKEBOX_HEARTBEAT_S: '3600' };
    const { box, buttons } = await virtualBox(tempDir(), `mqtt://127.0.0.1:${port}`, env);
    const press = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await buttons.click(i % 2 === 0 ? 'like' : 'dislike');
        await new Promise((r) => setTimeout(r, PRESS_GAP_MS));
      }
    };
    await press(3); // offline: the box started with an empty outbox
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: b.mqttPort }, port);
    await waitFor(() => seen.at(-1)?.outbox === 3, 10_000, 'online with 3');
    // Act
    await press(2);
    await waitFor(() => seen.at(-1)?.outbox === 5, 5_000, 'status on change');
    proxy.cut();
    await waitFor(() => seen.at(-1)?.online === false, 5_000, 'first will');
    const firstWill = seen.at(-1);
    await waitFor(() => box.publisher.connected && seen.at(-1)?.online === true, 10_000, 'back');
    proxy.cut();
    await waitFor(() => seen.at(-1)?.online === false, 5_000, 'second will');
    const secondWill = seen.at(-1);
    // Assess
    expect(seen.find((s) => s.outbox === 5)).toMatchObject({ online: true });
    expect(firstWill).toMatchObject({ online: false, outbox: 3 });
    expect(secondWill).toMatchObject({ online: false, outbox: 5 });
  });

  it.each([
    ['in a black hole, with votes in flight', true],
    ['refused', false],
  ])(
    'stops at once on SIGTERM, outbox closed, exit 0, when the broker is %s',
    {
      timeout: 30_000,
    },
    async (_what, blackHole) => {
      // Prepare
      const b = await broker(tempDir());
      const dir = tempDir();
      const proxy = await startTcpProxy({ host: '127.0.0.1', port: b.mqttPort });
      const url = blackHole ? proxy.url : `mqtt://127.0.0.1:${await freePort()}`;
      const box = await startBoxProcess({
        ...{ dir, url, password: PW.device, room: 'amphi-a' },
        env: { LIKEBOX_MIN_INTERVAL_MS: '20' },
      });
      if (blackHole) {
        await waitFor(() => box.logs.some((l) => l.msg === 'connected'), 10_000, 'connected');
        proxy.setBlackHole(true);
      }
      for (const button of ['like', 'dislike', 'like'] as const) {
        await box.click(button);
        await new Promise((r) => setTimeout(r, 60));
      }
      // Act
      const exited = new Promise<number | null>((resolve) => box.child.once('exit', resolve));
      const start = performance.now();
      box.child.kill('SIGTERM');
      const code = await exited;
      const took = performance.now() - start;
      // Assess
      expect(code).toBe(0);
      expect(took).toBeLessThan(3_000);
      expect(existsSync(join(dir, 'box-box-1.sqlite-wal'))).toBe(false); // closed cleanly
    },
  );
});
