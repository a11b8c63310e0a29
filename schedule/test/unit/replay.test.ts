import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScheduleIndex } from '@likebox/protocol';
import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import {
  loadScheduleFile,
  REPLAY_FILE,
  replayNowOffset,
  replayProgramme,
} from '../../src/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/schedules/', import.meta.url));
const MINUTE = 60_000;
const NOW = Date.parse('2026-12-05T10:31:17Z');

describe('replayNowOffset', () => {
  it('puts every room of the first slot in an open vote window when a workshop opens votes late', async () => {
    // Prepare: DemoCon's first slot is a 30-minute talk and a workshop whose votes open after 30 minutes.
    const { schedule } = await loadScheduleFile(join(FIXTURES, 'pretalx-democon.json'), {});
    // Act
    const offset = replayNowOffset(schedule, NOW);
    // Assess
    const shifted = new ScheduleIndex({
      ...schedule,
      talks: schedule.talks.map((t) => ({
        ...t,
        start: new Date(Date.parse(t.start) + offset).toISOString(),
        end: new Date(Date.parse(t.end) + offset).toISOString(),
      })),
    });
    expect(offset % MINUTE).toBe(0);
    expect(schedule.rooms.map((r) => shifted.talkAt(r.slug, NOW) !== null)).toEqual([true, true]);
  });

  it('starts the first talk 20 minutes before now when every window opens early', async () => {
    // Prepare
    const { schedule } = await loadScheduleFile(join(FIXTURES, 'frab-camp2019.json'), {});
    const first = Math.min(...schedule.talks.map((t) => Date.parse(t.start)));
    // Act
    const offset = replayNowOffset(schedule, NOW);
    // Assess
    expect(NOW - (first + offset)).toBeGreaterThanOrEqual(20 * MINUTE - MINUTE / 2);
    expect(NOW - (first + offset)).toBeLessThan(20 * MINUTE + MINUTE / 2);
  });
});

describe('replayProgramme', () => {
  it('keeps the shift across a restart with the same programme, and chooses a new one for another', async () => {
    // Prepare
    const dir = await tempDir('likebox-replay-');
    const file = join(FIXTURES, 'pretalx-democon.json');
    const { schedule } = await loadScheduleFile(file, {});
    const other = join(FIXTURES, 'frab-camp2019.json');
    const { schedule: otherSchedule } = await loadScheduleFile(other, {});
    // Act
    const first = await replayProgramme(schedule, file, dir, NOW);
    const restart = await replayProgramme(schedule, file, dir, NOW + 3_600_000);
    const changed = await replayProgramme(otherSchedule, other, dir, NOW + 3_600_000);
    // Assess
    expect(first.kept).toBe(false);
    expect(restart).toMatchObject({ kept: true, offsetMs: first.offsetMs });
    expect(restart.schedule).toEqual(first.schedule);
    expect(JSON.parse(await readFile(restart.path, 'utf8'))).toEqual(changed.schedule);
    expect(changed.kept).toBe(false);
  });

  it('chooses a new shift when the kept one is unreadable', async () => {
    // Prepare
    const dir = await tempDir('likebox-replay-');
    const file = join(FIXTURES, 'pretalx-democon.json');
    const { schedule } = await loadScheduleFile(file, {});
    await writeFile(join(dir, REPLAY_FILE), '{ not json');
    // Act
    const replay = await replayProgramme(schedule, file, dir, NOW);
    // Assess
    expect(replay).toMatchObject({ kept: false, offsetMs: replayNowOffset(schedule, NOW) });
  });
});
