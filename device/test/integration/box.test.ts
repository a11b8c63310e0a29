import {
  decodePayload,
  encodePayload,
  filters,
  type Schedule,
  type Status,
  TopicDelivery,
  topics,
} from '@likebox/protocol';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startAckStandIn, waitFor } from '../helpers/ackStandIn.js';
import { broker, freePort, organiser, PW, tempDir, virtualBox } from '../helpers/rig.js';

function scheduleNow(): Schedule {
  const start = new Date(Date.now() - 20 * 60_000).toISOString();
  const end = new Date(Date.now() + 20 * 60_000).toISOString();
  return {
    version: 1,
    event: 'demo',
    name: 'Demo',
    timeZone: 'Europe/Paris',
    rooms: [{ slug: 'amphi-a', name: 'Amphi A' }],
    talks: [
      {
        id: 't1',
        room: 'amphi-a',
        start,
        end,
        title: 'Quarkus',
        speakers: [],
        format: 'talk',
        votable: true,
      },
    ],
  };
}

describe('Box', () => {
  it('flashes the LED and thanks on the LCD at once when a press counts, and the outbox empties on ack', async () => {
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
    const { buttons, io, outbox, box } = await virtualBox(dir, b.mqttUrl);
    await waitFor(() => box.publisher.connected, 10_000, 'connection');
    // Act
    const outcome = await buttons.click('like');
    const led = io.read(13);
    const lcd = io.lcdLines();
    // Assess
    expect(outcome).toMatchObject({
      counted: { seq: 1, value: 1, room: 'amphi-a', synced: false },
    });
    expect(led).toBe(1);
    expect(lcd[0]).toBe('Merci ! +1      ');
    await waitFor(() => outbox.depth === 0, 10_000, 'ack');
    expect([...standIn.stored('box-1', outbox.epoch).keys()]).toEqual([1]);
  });

  it('keeps a retained status with its outbox depth, and online:false after a clean stop', async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const org = await organiser(b.mqttUrl);
    const seen: Status[] = [];
    org.on('message', (_topic, payload) => {
      const decoded = decodePayload('status', payload);
      if (decoded.success) seen.push(decoded.data);
    });
    await org.subscribeAsync(filters.device('demo', 'box-1', 'status'), { qos: 1 });
    const { box, buttons, stop } = await virtualBox(dir, b.mqttUrl, { LIKEBOX_HEARTBEAT_S: '1' });
    await waitFor(() => box.publisher.connected, 10_000, 'connection');
    // Act
    await buttons.click('like');
    await waitFor(() => seen.some((s) => s.outbox === 1), 10_000, 'heartbeat with the vote');
    await stop();
    await waitFor(() => seen.at(-1)?.online === false, 10_000, 'offline status');
    // Assess
    expect(seen.find((s) => s.outbox === 1)).toMatchObject({
      online: true,
      version: '0.0.0-test',
      room: 'amphi-a',
      lastSeq: 1,
      synced: false,
    });
  });

  it('records votes offline and drains them in seq order when the broker comes up', async () => {
    // Prepare
    const dir = tempDir();
    const port = await freePort();
    const { buttons, outbox } = await virtualBox(dir, `mqtt://127.0.0.1:${port}`, {
      LIKEBOX_ACK_TIMEOUT_S: '2',
    });
    // Act
    for (const button of ['like', 'dislike', 'like'] as const) {
      await buttons.click(button);
      await new Promise((r) => setTimeout(r, 150)); // past minIntervalMs
    }
    const offlineDepth = outbox.depth;
    const b = await broker(dir, port);
    const standIn = await startAckStandIn({
      url: b.mqttUrl,
      event: 'demo',
      username: 'ingest',
      password: PW.ingest,
    });
    onTestFinished(() => standIn.close());
    // Assess
    expect(offlineDepth).toBe(3);
    await waitFor(() => outbox.depth === 0, 20_000, 'drain');
    const votes = standIn.stored('box-1', outbox.epoch);
    expect([...votes.values()].map((v) => [v.seq, v.value])).toEqual([
      [1, 1],
      [2, -1],
      [3, 1],
    ]);
    expect(standIn.conflicts).toEqual([]);
  });

  it('publishes again after the ack timeout when the ingest lost a vote', async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const standIn = await startAckStandIn({
      url: b.mqttUrl,
      event: 'demo',
      username: 'ingest',
      password: PW.ingest,
      loseFirst: 1,
    });
    onTestFinished(() => standIn.close());
    const { buttons, outbox, box } = await virtualBox(dir, b.mqttUrl, {
      LIKEBOX_ACK_TIMEOUT_S: '1',
    });
    await waitFor(() => box.publisher.connected, 10_000, 'connection');
    // Act
    await buttons.click('dislike');
    // Assess
    await waitFor(() => outbox.depth === 0, 15_000, 'ack after re-publish');
    expect(standIn.deliveries).toBeGreaterThanOrEqual(2);
  });

  it('shows the current talk from the retained schedule, and still after a restart without network', async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const org = await organiser(b.mqttUrl);
    await org.publishAsync(
      topics.schedule('demo'),
      encodePayload('schedule', scheduleNow()),
      TopicDelivery.schedule,
    );
    await org.publishAsync(
      topics.config('demo', 'box-1'),
      encodePayload('config', { room: 'amphi-a', roomName: 'Amphi A', locale: 'en' }),
      TopicDelivery.config,
    );
    const first = await virtualBox(dir, b.mqttUrl);
    await waitFor(
      () => first.io.lcdLines()[0]?.startsWith('Quarkus') === true,
      10_000,
      'talk on screen',
    );
    await first.stop();
    // Act
    const port = await freePort();
    const offline = await virtualBox(dir, `mqtt://127.0.0.1:${port}`);
    await waitFor(
      () => offline.io.lcdLines()[0]?.startsWith('Quarkus') === true,
      10_000,
      'talk from cache',
    );
    // Assess
    expect(offline.io.lcdLines()[1]).toMatch(/^\+0 -0 +\d+min x$/);
  });

  it("shows the ingest's talk and tally of its own room when now and tally are retained", async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const ingest = await mqtt.connectAsync(b.mqttUrl, {
      protocolVersion: 4,
      username: 'ingest',
      password: PW.ingest,
    });
    onTestFinished(() => ingest.endAsync(true));
    const talk = {
      id: 'k1',
      title: 'Keynote',
      speakers: ['Ada'],
      start: new Date(Date.now() - 3_600_000).toISOString(),
      end: new Date().toISOString(),
    };
    const window = { opens: Date.now() - 60_000, closes: Date.now() + 600_000 };
    const now = {
      room: 'amphi-a',
      roomName: 'Amphi A',
      talk,
      window,
      next: null,
      nextWindow: null,
      delay: 0,
      at: Date.now(),
    };
    await ingest.publishAsync(
      topics.now('demo', 'amphi-a'),
      encodePayload('now', now),
      TopicDelivery.now,
    );
    await ingest.publishAsync(
      topics.now('demo', 'other'),
      encodePayload('now', {
        ...now,
        room: 'other',
        talk: { ...talk, id: 'x', title: 'Elsewhere' },
      }),
      TopicDelivery.now,
    );
    const tally = { talk: 'k1', likes: 5, dislikes: 2, at: Date.now() };
    await ingest.publishAsync(
      topics.tally('demo', 'amphi-a'),
      encodePayload('tally', tally),
      TopicDelivery.tally,
    );
    // Act
    const { io } = await virtualBox(dir, b.mqttUrl);
    await waitFor(() => io.lcdLines()[1]?.startsWith('+5 -2') === true, 10_000, 'tally on screen');
    // Assess
    expect(io.lcdLines()).toEqual(['Keynote         ', '+5 -2    10min *']);
  });

  it('drops an invalid retained message and keeps running when the schedule is malformed', async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const org = await organiser(b.mqttUrl);
    await org.publishAsync(
      topics.schedule('demo'),
      '{"version":1,"rooms":"nope"}',
      TopicDelivery.schedule,
    );
    // Act
    const { box, buttons } = await virtualBox(dir, b.mqttUrl);
    await waitFor(() => box.publisher.dropped === 1, 10_000, 'drop');
    const outcome = await buttons.click('like');
    // Assess
    expect(outcome).toMatchObject({ counted: { seq: 1 } });
  });
});
