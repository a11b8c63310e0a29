import { type Schedule, ScheduleIndex } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { lateNotice, RoomLateness } from '../../src/roomLate.js';

/** The end of talk `t1` (hall), epoch ms: a whole hour. */
const END = Date.parse('2026-12-05T10:00:00Z');

/** Talk t1 in the hall, an hour to {@link END}; t2 after it, from `nextStart` for an hour. */
function scheduleOf(nextStart: number): ScheduleIndex {
  const talk = (id: string, start: number) => ({
    ...{ id, room: 'hall', title: id, speakers: [], format: '', votable: true },
    start: new Date(start).toISOString(),
    end: new Date(start + 3_600_000).toISOString(),
  });
  const schedule: Schedule = {
    ...{ version: 1, event: 'test', name: 'Test', timeZone: 'UTC' },
    rooms: [{ slug: 'hall', name: 'Hall' }],
    talks: [talk('t1', END - 3_600_000), talk('t2', nextStart)],
  };
  return new ScheduleIndex(schedule);
}

/** A watch of minutes `minuteMs` long with `votes` votes in the hall from `at`, 100 ms apart. */
function watchWith(minuteMs: number, at: number, votes = 20): RoomLateness {
  const lateness = new RoomLateness(minuteMs);
  for (let i = 0; i < votes; i++) lateness.add('hall', at + i * 100);
  return lateness;
}

describe('RoomLateness', () => {
  it('finds an exit 15 min after the end, in real minutes, and suggests 15 min', () => {
    // Prepare
    const index = scheduleOf(END + 3_600_000);
    const lateness = watchWith(60_000, END + 15 * 60_000);

    // Act
    const late = lateness.check(index, END + 20 * 60_000);

    // Assess
    expect(late).toEqual([{ room: 'hall', talk: 't1', minutes: 15, end: END }]);
    expect(lateNotice(late[0] as (typeof late)[0]).suggestion).toBe(
      'likebox schedule delay hall 15 --at 2026-12-05T10:00:00.000Z',
    );
  });

  it('counts in a rehearsal minute: an exit 15 minutes of 4 s after the end (60 s) is 15 min late', () => {
    // Prepare: the next talk starts 10 real minutes after t1's end.
    const index = scheduleOf(END + 600_000);
    const lateness = watchWith(4000, END + 15 * 4000);

    // Act
    const before = lateness.check(index, END + 15 * 4000 + 3000);
    const late = lateness.check(index, END + 17 * 4000);

    // Assess: the burst is seen once its minute has passed (it counts whole minutes).
    expect(before).toEqual([]);
    expect(late).toEqual([{ room: 'hall', talk: 't1', minutes: 15, end: END }]);
  });

  it('sees no lateness in an exit on time, or one 5 minutes late, or once the watch is over', () => {
    // Prepare
    const index = scheduleOf(END + 3_600_000);
    const onTime = watchWith(4000, END);
    const fiveLate = watchWith(4000, END + 5 * 4000);
    const old = watchWith(4000, END + 15 * 4000);

    // Act
    const found = [
      onTime.check(index, END + 20 * 4000),
      fiveLate.check(index, END + 20 * 4000),
      old.check(index, END + 46 * 4000),
    ];

    // Assess
    expect(found).toEqual([[], [], []]);
  });

  it('wants a burst of 8 votes at least', () => {
    // Prepare
    const index = scheduleOf(END + 3_600_000);
    const few = watchWith(60_000, END + 15 * 60_000, 7);

    // Act
    const late = few.check(index, END + 20 * 60_000);

    // Assess
    expect(late).toEqual([]);
  });
});
