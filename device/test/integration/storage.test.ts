import { statSync } from 'node:fs';
import { join } from 'node:path';
import { decodePayload, filters, type Status, type Vote } from '@likebox/protocol';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { VirtualButtons } from '../../src/control.js';
import { startAckStandIn, waitFor } from '../helpers/ackStandIn.js';
import { fullDisk } from '../helpers/fullDisk.js';
import { broker, FAST_GATE, PRESS_GAP_MS, PW, tempDir, virtualBox } from '../helpers/rig.js';

const LED = 13;

/** Presses alternately, keeping the votes the box confirmed and counting the refused presses. */
function presser(buttons: () => VirtualButtons) {
  const confirmed: Vote[] = [];
  let refused = 0;
  let i = 0;
  return {
    confirmed,
    get refused() {
      return refused;
    },
    async press() {
      const outcome = await buttons().click(i++ % 2 === 0 ? 'like' : 'dislike');
      if ('counted' in outcome) confirmed.push(outcome.counted);
      if ('refused' in outcome) refused++;
      await new Promise((r) => setTimeout(r, PRESS_GAP_MS));
      return outcome;
    },
  };
}

async function statusWatcher(url: string) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    username: 'org',
    password: PW.organiser,
  });
  onTestFinished(() => client.endAsync(true));
  const seen: Status[] = [];
  client.on('message', (_topic, payload) => {
    const decoded = decodePayload('status', payload);
    if (decoded.success) seen.push(decoded.data);
  });
  await client.subscribeAsync(filters.device('demo', 'box-1', 'status'), { qos: 1 });
  return seen;
}

describe('box storage', () => {
  it('refuses presses unconfirmed while the disk is full, restarts on it, and counts again by itself once space returns', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const disk = fullDisk();
    const b = await broker(tempDir());
    const standIn = await startAckStandIn({
      url: b.mqttUrl,
      event: 'demo',
      username: 'ingest',
      password: PW.ingest,
    });
    onTestFinished(() => standIn.close());
    const seen = await statusWatcher(b.mqttUrl);
    let box = await virtualBox(disk.dir, b.mqttUrl, FAST_GATE, disk.outboxOptions);
    const file = join(disk.dir, 'box-1.sqlite');
    const presses = presser(() => box.buttons);
    await waitFor(() => box.box.publisher.connected, 10_000, 'connection');
    for (let i = 0; i < 5; i++) await presses.press();
    await waitFor(() => box.outbox.depth === 0, 10_000, 'acks');
    // With a page cap, an ack would make room in the outbox's pages: none while it is full.
    standIn.setAcking(false);

    // Act: the disk fills up; presses until the box refuses one (at once on a tmpfs).
    disk.fill(file);
    let outcome = await presses.press();
    for (let i = 0; i < 300 && !('refused' in outcome); i++) outcome = await presses.press();
    const led = box.io.read(LED);
    const flash = box.io.lcdLines();
    await waitFor(() => seen.at(-1)?.storage === 'full', 10_000, 'status storage full');
    const again = await presses.press();
    await box.stop(); // closing the database may give some space back: take it too
    disk.fill(file);
    box = await virtualBox(disk.dir, b.mqttUrl, FAST_GATE, disk.outboxOptions);
    const restarted = box.box.status().storage;
    await waitFor(() => box.io.lcdLines()[0] === 'Disque plein    ', 5_000, 'alert at boot');
    const afterRestart = await presses.press();
    const refusedWhileFull = presses.refused;
    disk.free();
    await waitFor(() => box.box.status().storage === 'ok', 10_000, 'storage back by itself');
    await waitFor(() => seen.at(-1)?.storage === 'ok', 10_000, 'status storage ok');
    standIn.setAcking(true);
    for (let i = 0; i < 5; i++) await presses.press();
    await waitFor(() => box.outbox.depth === 0, 20_000, 'drain');

    // Assess
    expect(outcome).toEqual({ refused: 'full' });
    expect(led).toBe(0);
    expect(flash).toEqual(['Vote non compte ', 'Disque plein   *']);
    expect(seen.find((s) => s.storage === 'full')).toMatchObject({ online: true });
    expect([again, afterRestart]).toEqual([{ refused: 'full' }, { refused: 'full' }]);
    expect(restarted).toBe('full');
    expect(refusedWhileFull).toBe(3);
    expect(presses.refused).toBe(3);
    expect(box.io.lcdLines()[0]).not.toBe('Disque plein    ');
    const stored = standIn.stored('box-1', box.outbox.epoch);
    expect([...stored.values()].sort((x, y) => x.seq - y.seq)).toEqual(presses.confirmed);
    expect(presses.confirmed.map((v) => v.seq)).toEqual(
      presses.confirmed.map((_, index) => index + 1),
    );
    expect(standIn.conflicts).toEqual([]);
  });

  it('confirms a press within a few ms of the gate, after the vote is fsynced', async () => {
    // Prepare
    const dir = tempDir();
    const { box, io, buttons, outbox } = await virtualBox(dir, 'mqtt://127.0.0.1:1', FAST_GATE);
    const delays: number[] = [];
    const recordedAtLight: number[] = [];
    let decided = 0;
    box.gate.prependListener('vote', () => {
      decided = performance.now();
    });
    io.on('digital-write', (pin, value) => {
      if (pin !== LED || value !== 1) return;
      delays.push(performance.now() - decided);
      recordedAtLight.push(outbox.lastSeq);
    });

    // Act
    for (let i = 0; i < 40; i++) {
      await buttons.click(i % 2 === 0 ? 'like' : 'dislike');
      await new Promise((r) => setTimeout(r, PRESS_GAP_MS));
    }

    // Assess: the LED lights only once the vote is on disk (the outbox holds it), and soon after.
    delays.sort((x, y) => x - y);
    const median = delays[Math.floor(delays.length / 2)] ?? Number.POSITIVE_INFINITY;
    expect(delays).toHaveLength(40);
    expect(recordedAtLight).toEqual(recordedAtLight.map((_, index) => index + 1));
    expect(median).toBeLessThan(20);
    expect(statSync(join(dir, 'box-1.sqlite')).mode & 0o777).toBe(0o600);
  });
});
