import { filters, parseTopic, type Schedule, type Status, type Vote } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CROWD } from '../../src/crowd.js';
import { BURST_VOTES, CLOCK_SKEW_MS, OFFLINE_MINUTES, SCENARIOS } from '../../src/scenarios.js';
import { waitFor } from '../helpers/ackStandIn.js';
import { prng } from '../helpers/bounce.js';
import { organiser } from '../helpers/rig.js';
import { simRig, simulator } from '../helpers/simRig.js';

/** A scenario minute of the test: one second. */
const MINUTE_MS = 1000;
const BOXES = ['sim-1', 'sim-2', 'sim-3', 'sim-4', 'sim-5', 'sim-6'];

/** Three rooms whose talks started 20 minutes ago and end at `end`. */
function programme(end: number): Schedule {
  const rooms = ['r1', 'r2', 'r3'];
  return {
    ...{ version: 1, event: 'demo', name: 'Rehearsal', timeZone: 'UTC' },
    rooms: rooms.map((slug) => ({ slug, name: slug.toUpperCase() })),
    talks: rooms.map((room) => ({
      ...{ id: `${room}-talk`, room, title: `Talk in ${room}`, speakers: [], format: 'talk' },
      ...{ start: new Date(end - 1_200_000).toISOString(), end: new Date(end).toISOString() },
      votable: true,
    })),
  };
}

/** Every status each box published, as an organiser sees them. */
async function statuses(url: string) {
  const org = await organiser(url);
  const seen = new Map<string, Status[]>();
  org.on('message', (topic, payload) => {
    const device = parseTopic(topic);
    if (device?.kind !== 'status') return;
    seen.set(device.device, [...(seen.get(device.device) ?? []), JSON.parse(payload.toString())]);
  });
  await org.subscribeAsync(filters.device('demo', '+', 'status'), { qos: 1 });
  return (device: string) => seen.get(device) ?? [];
}

/** A broker, an ingest's ack stand-in, the boxes' statuses and their configuration. */
async function rehearsalRig(devices: string[]) {
  const { url, standIn, box } = await simRig(devices, { LIKEBOX_HEARTBEAT_S: '1' });
  return { standIn, statusOf: await statuses(url), box };
}

const ats = (votes: Vote[]) => votes.map((v) => v.at).sort((a, b) => a - b);

describe('rehearsal scenarios', () => {
  it('gives each scenario its pattern in the votes and statuses when they run together', {
    timeout: 120_000,
  }, async () => {
    // Prepare
    const { standIn, statusOf, box } = await rehearsalRig(BOXES);
    const end = Date.now() + 8000;
    const crowd = { ...DEFAULT_CROWD, attendees: 20, pressRate: 1, repeatRate: 0, burstMs: 1000 };
    // The stuck button needs longer minutes (its test below): a box says stuck after 10 s.
    const scenarios = SCENARIOS.filter((s) => s !== 'stuck-button');
    const options = { boxes: 6, schedule: programme(end), crowd, minuteMs: MINUTE_MS, scenarios };
    const sim = simulator(box, options, prng(9));
    // Act: boxes 1-6 stand in r1, r2, r3, r1, r2, r3; scenario i acts on box i (late-room: r2).
    // Box 2's would be the stuck button: here it is an ordinary box of the late room.
    await sim.start();
    await new Promise((r) => setTimeout(r, end - Date.now() + 8 * MINUTE_MS));
    const offlineWhileOut = standIn.all('sim-3').length;
    await waitFor(() => standIn.all('sim-6').length >= BURST_VOTES, 60_000, 'the backlog');
    await waitFor(() => Date.now() > end + 25 * MINUTE_MS, 30_000, 'the late exit');
    await waitFor(() => sim.outboxDepth === 0, 30_000, 'every outbox drained');
    // Assess
    const troll = ats(standIn.all('sim-1').filter((v) => v.at < end));
    expect(troll.length).toBeGreaterThanOrEqual(3);
    expect(standIn.all('sim-1').filter((v) => v.at < end && v.value !== 1)).toEqual([]);
    const gaps = troll.slice(1).map((at, i) => at - (troll[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MINUTE_MS * 0.9);
    expect(offlineWhileOut).toBe(0); // its exit votes wait in its outbox
    const beats = statusOf('sim-3').map((s) => s.uptime); // a heartbeat a second, but not while out
    const silences = beats.slice(1).map((uptime, i) => uptime - (beats[i] ?? 0));
    expect(Math.max(...silences)).toBeGreaterThanOrEqual(OFFLINE_MINUTES - 3);
    expect(standIn.all('sim-3').length).toBeGreaterThan(0);
    const skewed = ats(standIn.all('sim-4'));
    expect(skewed.length).toBeGreaterThan(0);
    expect(Math.abs((skewed[0] ?? 0) - CLOCK_SKEW_MS - end)).toBeLessThan(5000);
    const late = ats(standIn.all('sim-5'));
    expect(late.length).toBeGreaterThan(0);
    expect((late[0] ?? 0) - end).toBeGreaterThanOrEqual(15 * MINUTE_MS - 200);
    const onTime = ats(standIn.all('sim-3'));
    expect((onTime[0] ?? 0) - end).toBeLessThan(3000);
    expect(standIn.all('sim-6').length).toBeGreaterThanOrEqual(BURST_VOTES);
    expect(standIn.conflicts).toEqual([]);
  });

  it('holds a button for 5 minutes: one vote, the box says stuck, then counts it held once', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    const { standIn, statusOf, box } = await rehearsalRig(['sim-1', 'sim-2']);
    const minuteMs = 2500; // held 5 minutes = 12.5 s: past the box's 10 s
    const schedule = programme(Date.now() + 3_600_000);
    const options = { boxes: 2, schedule, crowd: DEFAULT_CROWD, minuteMs };
    const sim = simulator(box, { ...options, scenarios: ['stuck-button'] }, prng(9));
    // Act
    await sim.start();
    await waitFor(() => statusOf('sim-2').some((s) => s.stuck?.includes('like')), 30_000, 'stuck');
    await waitFor(() => statusOf('sim-2').at(-1)?.stuck?.length === 0, 30_000, 'released');
    // Assess
    expect(standIn.all('sim-2').map((v) => v.value)).toEqual([1]);
    expect(statusOf('sim-2').at(-1)?.refused).toMatchObject({ held: 1 });
    expect(statusOf('sim-1').every((s) => s.stuck?.length === 0)).toBe(true);
  });
});
