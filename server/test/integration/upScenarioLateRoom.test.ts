import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schedule } from '@likebox/protocol';
import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { asOrganiser, journalAfterStop, raisedIds, rehearse } from './noticeRehearsal.js';

/*
 * Issue 17's acceptance for `late-room`, on the real chain (`likebox up --simulate 6 --replay-now
 * --scenario late-room`: broker, ingest, simulated boxes in their own process). The programme runs
 * in real time; scenario minutes of 3 s shorten the lateness (15 minutes: 45 s) and, in `up
 * --simulate`, the ingest's late-room watch alike (an exit 8 of its minutes late or more, looked for
 * from 10 minutes before the talk's end). A programme written for the test puts the talks' end 75 s
 * after it starts: the boxes' first burst (at once, before the end) falls before the watch's 10
 * minutes (30 s), and the test lasts under 3 minutes.
 */

/** A scenario minute, ms. */
const MINUTE_MS = 3000;

/**
 * Two rooms, each with one talk from 20 minutes before now (its vote window open) to `end`.
 * `--replay-now` keeps it where it is (its first talk started 20 minutes before now).
 */
async function programme(dir: string, end: number): Promise<string> {
  const talk = (id: string, room: string) => ({
    ...{ id, room, title: `Talk ${id}`, speakers: ['Ada'], format: 'Conférence', votable: true },
    ...{ start: new Date(end - 75_000 - 20 * 60_000).toISOString() },
    end: new Date(end).toISOString(),
  });
  const schedule: Schedule = {
    ...{ version: 1, event: 'demo', name: 'Late room', timeZone: 'UTC' },
    rooms: [
      { slug: 'hall', name: 'Hall' },
      { slug: 'lab', name: 'Lab' },
    ],
    talks: [talk('t1', 'hall'), talk('t2', 'lab')],
  };
  const file = join(dir, 'late-room.json');
  await writeFile(file, JSON.stringify(schedule));
  return file;
}

describe('likebox up --simulate --scenario late-room', { timeout: 240_000 }, () => {
  it('raises room-late for the late room only, 15 min late with the delay command, and running that command clears it', async () => {
    // Prepare: the talks end in 75 s, on a whole scenario minute (the watch counts whole ones).
    // Box 5 stands in the hall (boxes alternate hall, lab): the hall's crowd leaves 15 scenario
    // minutes (45 s) after the end, the lab's at the end.
    const end = Math.ceil((Date.now() + 75_000) / MINUTE_MS) * MINUTE_MS;
    const file = await programme(await tempDir('likebox-late-room-'), end);
    const r = await rehearse(
      {
        ...{ LIKEBOX_SCHEDULE_FILE: file, LIKEBOX_SIM_MINUTE_MS: String(MINUTE_MS) },
        ...{ LIKEBOX_BURST_S: '4', LIKEBOX_ATTENDEES: '60' },
      },
      ['--scenario', 'late-room'],
    );

    // Act
    const { notice } = await r.raised('room-late-hall', 180_000);
    const raisedAt = r.log.find((e) => e.id === 'room-late-hall')?.at ?? 0;
    const asked = Date.now();
    const said = await asOrganiser(r, (notice.suggestion ?? '').split(' ').slice(1));
    await r.cleared('room-late-hall', 30_000);
    const clearedMs = Date.now() - asked;
    // The lab is on time (its talk may sink: the seed draws each talk's like rate).
    const late = raisedIds(r.log).filter((id) => id.startsWith('room-late'));
    const hall = await journalAfterStop<{ n: number }>(
      r,
      `SELECT COUNT(*) AS n FROM votes WHERE room = 'hall' AND at >= ${end + 15 * MINUTE_MS}`,
    );

    // Assess: raised once the late exit is in (due 45 s after the end), within 30 s of it; cleared
    // within 30 s of the command.
    expect(notice).toMatchObject({ kind: 'room-late', subject: 'hall', severity: 'info' });
    expect(notice.suggestion).toBe(
      `likebox schedule delay hall 15 --at ${new Date(end).toISOString()}`,
    );
    expect(raisedAt).toBeGreaterThanOrEqual(end + 15 * MINUTE_MS);
    expect(raisedAt).toBeLessThan(end + 15 * MINUTE_MS + 30_000);
    expect(said).toMatch(/room hall runs 15 min late/);
    expect(clearedMs).toBeLessThan(30_000);
    expect(late).toEqual(['room-late-hall']);
    expect(hall[0]?.n).toBeGreaterThanOrEqual(8);
  });
});
