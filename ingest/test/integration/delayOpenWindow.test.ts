import { topics } from '@likebox/protocol';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { connectAs, publishVotes, votes, waitForMessage } from './harness.js';
import { startNoticeChain } from './noticeHarness.js';

type Tally = { talk: string | null; likes: number; dislikes: number };

describe('a delay declared while a talk window is open', () => {
  it('keeps the talk current and its retained tally, and moves only the window closing', async () => {
    // Prepare: t1 started 30 min ago, its window opened 20 min ago.
    const chain = await startNoticeChain(['box-1'], {});
    const box = await connectAs(chain.brokerUrl, 'box-1');
    await publishVotes(box, 'test', 'box-1', votes(1, 4, Date.now() - 60_000));
    await waitForMessage<Tally>(
      chain.organiser,
      topics.tally('test', 'amphi'),
      (t) => t.likes === 2,
    );
    const reader = await connectAs(chain.brokerUrl, 'organiser', 'reader');

    // Act: 25 min late, more than the window has been open.
    await chain.organiser.publishAsync(
      topics.delay('test', 'amphi'),
      JSON.stringify({ minutes: 25 }),
      {
        qos: 1,
      },
    );
    const now = await waitForMessage<{ delay: number; talk: { id: string } | null }>(
      reader,
      topics.now('test', 'amphi'),
      (n) => n.delay === 25,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000)); // tallies are republished within 250 ms
    const tally = await waitForMessage<Tally>(reader, topics.tally('test', 'amphi'), () => true);

    // Assess
    expect(now.talk?.id).toBe('t1');
    expect(tally).toMatchObject({ talk: 't1', likes: 2, dislikes: 2 });
  }, 60_000);

  it('raises room-late when a room exits 15 min after its talk ended, with the command to accept it, and clears it once that delay is declared', async () => {
    // Prepare: t1 (amphi) ended 30 min ago.
    const end = Date.now() - 30 * 60_000;
    const chain = await startNoticeChain(['box-1', 'box-2'], {}, end - 60 * 60_000);
    const boxes = [
      await connectAs(chain.brokerUrl, 'box-1'),
      await connectAs(chain.brokerUrl, 'box-2'),
    ];
    const exit = (box: number) =>
      Array.from({ length: 6 }, (_, i) => ({
        ...{ seq: i + 1, value: (i % 2 === 0 ? 1 : -1) as 1 | -1, room: 'amphi', synced: true },
        at: end + 15 * 60_000 + (2 * i + box) * 10_000,
      }));

    // Act
    await publishVotes(boxes[0] as MqttClient, 'test', 'box-1', exit(0));
    await publishVotes(boxes[1] as MqttClient, 'test', 'box-2', exit(1));
    const late = await chain.raised('room-late-amphi', 45_000);
    await chain.organiser.publishAsync(
      topics.delay('test', 'amphi'),
      JSON.stringify({ minutes: 15, at: end }),
      { qos: 1 },
    );
    await chain.cleared('room-late-amphi', 45_000);

    // Assess
    expect(late).toMatchObject({ kind: 'room-late', subject: 'amphi', severity: 'info' });
    expect(late.suggestion).toBe(
      `likebox schedule delay amphi 15 --at ${new Date(end).toISOString()}`,
    );
  }, 120_000);
});
