import { encodePayload, type Schedule, TopicDelivery, topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { roomCrowd } from '../../src/audience.js';
import { DEFAULT_CROWD } from '../../src/crowd.js';
import { waitFor } from '../helpers/ackStandIn.js';
import { prng } from '../helpers/bounce.js';
import { organiser } from '../helpers/rig.js';
import { simRig, simulator } from '../helpers/simRig.js';

/**
 * Amphi A's talk ends at `end` (started an hour before), Amphi B's starts then (for an hour); each
 * talk's vote window opens 10 minutes after its start.
 */
function twoRooms(end: number): Schedule {
  const talk = (id: string, room: string, start: number, title: string) => ({
    ...{ id, room, title, speakers: [], format: 'talk', votable: true },
    ...{ start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() },
  });
  return {
    ...{ version: 1, event: 'demo', name: 'Demo', timeZone: 'Europe/Paris' },
    rooms: [
      { slug: 'amphi-a', name: 'Amphi A' },
      { slug: 'amphi-b', name: 'Amphi B' },
    ],
    talks: [
      talk('a1', 'amphi-a', end - 3_600_000, 'Ends now'),
      talk('b1', 'amphi-b', end, 'Starts now'),
    ],
  };
}

describe('Simulator', () => {
  it('gets every counted press of every box acknowledged when an exit burst runs', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    const { standIn, box } = await simRig(['sim-1', 'sim-2', 'sim-3'], { LIKEBOX_ROOM: 'hall' });
    const crowd = { ...DEFAULT_CROWD, attendees: 15, pressRate: 1, burstMs: 1500 };
    const sim = simulator(box, { boxes: 3, schedule: null, crowd }, prng(3));
    await sim.start();
    await new Promise((r) => setTimeout(r, 200));
    // Act
    sim.burstAll();
    const people = Math.ceil(roomCrowd(1, 'hall', 15) / 3); // three boxes share the hall's crowd
    await waitFor(() => sim.stats.presses >= people * 3, 20_000, 'presses');
    await new Promise((r) => setTimeout(r, 2500));
    await waitFor(() => sim.outboxDepth === 0, 20_000, 'drain');
    // Assess
    const stored = ['sim-1', 'sim-2', 'sim-3'].map((d) => standIn.all(d).length);
    expect(stored.every((n) => n > 0)).toBe(true);
    expect(stored.reduce((x, y) => x + y, 0)).toBe(sim.stats.counted);
    expect(sim.stats.counted).toBeLessThanOrEqual(sim.stats.presses);
    expect(standIn.conflicts).toEqual([]);
  });

  it.each(['file', 'retained topic'])(
    'starts an exit burst at the boxes of a room when its talk ends, schedule from the %s',
    {
      timeout: 60_000,
    },
    async (source) => {
      // Prepare
      const { url, box } = await simRig(['sim-1', 'sim-2']);
      const end = Date.now() + 4000; // after the sim started, even on a loaded machine
      const schedule = twoRooms(end);
      if (source !== 'file') {
        const org = await organiser(url);
        await org.publishAsync(
          topics.schedule('demo'),
          encodePayload('schedule', schedule),
          TopicDelivery.schedule,
        );
      }
      // Spread over 3 s: nine people within half a second at one box make chords of everything.
      const crowd = { ...DEFAULT_CROWD, attendees: 8, pressRate: 1, repeatRate: 0, burstMs: 3000 };
      const people = roomCrowd(1, 'amphi-a', 8);
      const fromFile = source === 'file' ? schedule : null;
      const sim = simulator(box, { boxes: 2, schedule: fromFile, crowd }, prng(5));
      // Act
      await sim.start();
      await waitFor(() => sim.stats.presses >= people && sim.stats.counted > 0, 20_000, 'a burst');
      await new Promise((r) => setTimeout(r, 1500));
      // Assess: box 1 stands in amphi-a (its talk ended), box 2 in amphi-b (its talk only started)
      expect(sim.stats.presses).toBe(people);
    },
  );

  it('bursts at start, once the boot guard is over, only at the boxes whose room has a vote window open', {
    timeout: 60_000,
  }, async () => {
    // Prepare: Amphi A's talk started 20 min ago (its window open), Amphi B's starts in 40. Box 1
    // stands in Amphi A (rooms with a window open first), box 2 in Amphi B.
    const { standIn, box } = await simRig(['sim-1', 'sim-2'], { LIKEBOX_BOOT_MS: '1500' });
    // Most of a 3 s burst's presses come in its first 1.5 s: a burst at start would hit the guard.
    const crowd = { ...DEFAULT_CROWD, attendees: 8, pressRate: 1, repeatRate: 0, burstMs: 3000 };
    const schedule = twoRooms(Date.now() + 40 * 60_000);
    const sim = simulator(box, { boxes: 2, schedule, crowd, burstNow: true }, prng(5));
    // Act
    await sim.start();
    const people = roomCrowd(1, 'amphi-a', 8);
    await waitFor(() => sim.stats.presses >= people, 20_000, 'the burst');
    await new Promise((r) => setTimeout(r, 3500)); // longer than a burst: box 2 would have pressed
    await waitFor(() => sim.outboxDepth === 0, 20_000, 'drain');

    // Assess: the crowd leaving Amphi A voted for its talk, past the boot guard; nobody left Amphi B.
    expect(sim.stats.presses).toBe(people);
    expect(sim.stats.ignored.boot).toBeUndefined();
    expect(standIn.all('sim-1').length).toBe(sim.stats.counted);
    expect(standIn.all('sim-1').every((v) => v.room === 'amphi-a')).toBe(true);
    expect(standIn.all('sim-2')).toEqual([]);
  });
});
