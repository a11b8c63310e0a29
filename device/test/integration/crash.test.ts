import { decodePayload, epochOf, filters, type Status, type Vote } from '@likebox/protocol';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startBoxProcess } from '../../src/testing.js';
import { startAckStandIn, waitFor } from '../helpers/ackStandIn.js';
import { prng } from '../helpers/bounce.js';
import { broker, PW, tempDir } from '../helpers/rig.js';

/** The gate's minimum interval between counted presses: these tests click every 35 ms or slower. */
const SLOW = { LIKEBOX_MIN_INTERVAL_MS: '20' };

describe('box process', () => {
  it('acknowledges every answered press exactly once when killed with SIGKILL at random points', {
    timeout: 120_000,
  }, async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const standIn = await startAckStandIn({
      url: b.mqttUrl,
      event: 'demo',
      username: 'ingest',
      password: PW.ingest,
    });
    onTestFinished(() => standIn.close());
    const watcher = await mqtt.connectAsync(b.mqttUrl, {
      protocolVersion: 4,
      username: 'org',
      password: PW.organiser,
    });
    onTestFinished(() => watcher.endAsync(true));
    let status: Status | null = null;
    watcher.on('message', (_t, p) => {
      const decoded = decodePayload('status', p);
      if (decoded.success) status = decoded.data;
    });
    await watcher.subscribeAsync(filters.device('demo', 'box-1', 'status'), { qos: 1 });
    const boxOptions = { dir, url: b.mqttUrl, password: PW.device, room: 'amphi-a', env: SLOW };
    const rand = prng(7);
    const answered: Vote[] = [];
    // Act
    for (let cycle = 0; cycle < 5; cycle++) {
      const { child, click } = await startBoxProcess(boxOptions);
      const killAt = Date.now() + 300 + rand() * 1200;
      const killed = new Promise((r) => child.once('exit', r));
      const timer = setTimeout(() => child.kill('SIGKILL'), killAt - Date.now());
      for (let i = 0; Date.now() < killAt + 100; i++) {
        const vote = await click(i % 2 === 0 ? 'like' : 'dislike').catch(() => null);
        if (vote !== null) answered.push(vote);
        // Each button re-arms after a 50 ms stable release: alternate and give it that time.
        await new Promise((r) => setTimeout(r, 35));
      }
      clearTimeout(timer);
      await killed;
      // The broker publishes the last will once the dead box's socket closes.
      await waitFor(() => (status as Status | null)?.online === false, 10_000, 'last will');
    }
    const { status: final } = await startBoxProcess(boxOptions);
    await waitFor(() => (status as Status | null)?.online === true, 10_000, 'online status');
    const deadline = Date.now() + 30_000;
    while ((await final()).outbox > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    // Assess
    const last = await final();
    const stored = standIn.stored('box-1', epochOf(last));
    expect(answered.length).toBeGreaterThan(10);
    expect(last.outbox).toBe(0);
    expect(standIn.conflicts).toEqual([]);
    expect(new Set(answered.map((v) => v.seq)).size).toBe(answered.length);
    for (const vote of answered) expect(stored.get(vote.seq)).toEqual(vote);
    const seqs = [...stored.keys()].sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: last.lastSeq ?? 0 }, (_, i) => i + 1));
    expect(standIn.acked('box-1', epochOf(last))).toBe(last.lastSeq);
    expect(standIn.all('box-1')).toHaveLength(stored.size);
  });
});
