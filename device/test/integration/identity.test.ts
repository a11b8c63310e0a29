import { encodePayload, TopicDelivery, topics, type Vote } from '@likebox/protocol';
import { startTcpProxy } from '@likebox/runtime/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { VirtualButtons } from '../../src/control.js';
import { startAckStandIn, waitFor } from '../helpers/ackStandIn.js';
import {
  broker,
  FAST_GATE,
  freePort,
  organiser,
  PRESS_GAP_MS,
  PW,
  tempDir,
  virtualBox,
} from '../helpers/rig.js';

/** Presses `count` times alternately; returns the votes the box confirmed. */
async function pressMany(buttons: VirtualButtons, count: number): Promise<Vote[]> {
  const confirmed: Vote[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = await buttons.click(i % 2 === 0 ? 'like' : 'dislike');
    if ('counted' in outcome) confirmed.push(outcome.counted);
    await new Promise((r) => setTimeout(r, PRESS_GAP_MS));
  }
  return confirmed;
}

async function standInFor(url: string, options: { epochs?: boolean; ack?: boolean } = {}) {
  const standIn = await startAckStandIn({
    url,
    event: 'demo',
    username: 'ingest',
    password: PW.ingest,
    ...options,
  });
  onTestFinished(() => standIn.close());
  return standIn;
}

describe('box identity', () => {
  it('keeps all 60 votes of a box whose SD card was replaced and that booted offline', async () => {
    // Prepare
    const b = await broker(tempDir());
    const standIn = await standInFor(b.mqttUrl);
    const first = await virtualBox(tempDir(), b.mqttUrl, FAST_GATE);
    const before = await pressMany(first.buttons, 30);
    await waitFor(() => first.outbox.depth === 0, 10_000, 'first life acked');
    await first.stop();
    // Act: a new card (a new outbox), boots with the broker out of reach, then reaches it.
    const port = await freePort();
    const second = await virtualBox(tempDir(), `mqtt://127.0.0.1:${port}`, FAST_GATE);
    const after = await pressMany(second.buttons, 30);
    await startTcpProxy({ host: '127.0.0.1', port: b.mqttPort }, port);
    await waitFor(() => second.outbox.depth === 0, 20_000, 'second life acked');
    // Assess
    expect(before).toHaveLength(30);
    expect(after.map((v) => v.seq)).toEqual(before.map((v) => v.seq));
    expect(second.outbox.epoch).not.toBe(first.outbox.epoch);
    expect(standIn.all('box-1')).toHaveLength(60);
    expect([...standIn.stored('box-1', first.outbox.epoch).values()]).toEqual(before);
    expect([...standIn.stored('box-1', second.outbox.epoch).values()]).toEqual(after);
    expect(second.box.publisher.badAcks).toBe(1); // the first life's retained ack
    expect(standIn.conflicts).toEqual([]);
  });

  it('keeps all 200 votes of two boxes configured with the same id, which no longer kick each other off and are told', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    const b = await broker(tempDir());
    const standIn = await standInFor(b.mqttUrl);
    const boxes = [
      await virtualBox(tempDir(), b.mqttUrl, FAST_GATE),
      await virtualBox(tempDir(), b.mqttUrl, FAST_GATE),
    ];
    let disconnections = 0;
    for (const { box } of boxes) {
      await waitFor(() => box.publisher.connected, 10_000, 'connection');
      box.publisher.on('connection', (up) => {
        if (!up) disconnections++;
      });
    }
    // Act
    const confirmed = await Promise.all(boxes.map(({ buttons }) => pressMany(buttons, 100)));
    for (const { outbox } of boxes) await waitFor(() => outbox.depth === 0, 20_000, 'acks');
    await waitFor(
      () => boxes.every(({ io }) => io.lcdLines()[0] === 'ID en double    '),
      5_000,
      'LCD',
    );
    // Assess
    expect(confirmed.flat()).toHaveLength(200);
    expect(standIn.all('box-1')).toHaveLength(200);
    for (const [i, { outbox }] of boxes.entries())
      expect([...standIn.stored('box-1', outbox.epoch).values()]).toEqual(confirmed[i]);
    expect(disconnections).toBe(0);
    expect(boxes.map(({ box }) => box.status().sharedId)).toEqual([true, true]);
    expect(boxes.map(({ box }) => box.publisher.clientId)).toEqual(
      boxes.map(({ outbox }) => `box-1-${outbox.epoch}`),
    );
  });

  it('ignores forged retained acks of seq 2^53-1, deletes no vote, and still starts and counts', async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const standIn = await standInFor(b.mqttUrl, { ack: false });
    const org = await organiser(b.mqttUrl);
    const first = await virtualBox(dir, b.mqttUrl, FAST_GATE);
    const confirmed = await pressMany(first.buttons, 5);
    const forge = (epoch?: string) =>
      org.publishAsync(
        topics.ack('demo', 'box-1'),
        encodePayload('ack', { seq: Number.MAX_SAFE_INTEGER, ...(epoch ? { epoch } : {}) }),
        TopicDelivery.ack,
      );
    // Act
    await forge();
    await forge(first.outbox.epoch);
    await waitFor(() => first.box.publisher.badAcks === 2, 10_000, 'forged acks seen');
    const depthAfterForgery = first.outbox.depth;
    confirmed.push(...(await pressMany(first.buttons, 1)));
    await first.stop();
    const again = await virtualBox(dir, b.mqttUrl, FAST_GATE);
    await waitFor(() => again.box.publisher.badAcks === 1, 10_000, 'retained forgery on restart');
    confirmed.push(...(await pressMany(again.buttons, 1)));
    standIn.setAcking(true);
    confirmed.push(...(await pressMany(again.buttons, 1)));
    await waitFor(() => again.outbox.depth === 0, 20_000, 'real acks');
    // Assess
    expect(depthAfterForgery).toBe(5);
    expect(confirmed.map((v) => v.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...standIn.stored('box-1', again.outbox.epoch).values()]).toEqual(confirmed);
    expect(again.box.status()).toMatchObject({ badAcks: 1, lastSeq: 8, outbox: 0 });
  });

  it('drains with an ingest from before epochs, and ignores acks without epoch once its ingest sends them with', async () => {
    // Prepare
    const b = await broker(tempDir());
    const ingest = await standInFor(b.mqttUrl, { epochs: false });
    const { box, buttons, outbox } = await virtualBox(tempDir(), b.mqttUrl, FAST_GATE);
    const withOldIngest = await pressMany(buttons, 3);
    await waitFor(() => outbox.depth === 0, 10_000, 'acks without epoch');
    ingest.setEpochs(true); // the ingest is upgraded, journal kept
    const withNewIngest = await pressMany(buttons, 2);
    await waitFor(() => outbox.depth === 0, 10_000, 'acks with epoch');
    ingest.setAcking(false);
    const pending = await pressMany(buttons, 2);
    // Act: a stale ack without epoch covering the pending votes.
    const org = await organiser(b.mqttUrl);
    await org.publishAsync(
      topics.ack('demo', 'box-1'),
      encodePayload('ack', { seq: 7 }),
      TopicDelivery.ack,
    );
    await waitFor(() => box.publisher.badAcks === 1, 10_000, 'stale ack ignored');
    const depth = outbox.depth;
    ingest.setAcking(true);
    await pressMany(buttons, 1);
    await waitFor(() => outbox.depth === 0, 10_000, 'acks again');
    // Assess
    expect(withOldIngest.map((v) => v.seq)).toEqual([1, 2, 3]);
    expect(withNewIngest.map((v) => v.seq)).toEqual([4, 5]);
    expect(pending.map((v) => v.seq)).toEqual([6, 7]);
    expect(depth).toBe(2);
    expect([...ingest.stored('box-1', outbox.epoch).keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
