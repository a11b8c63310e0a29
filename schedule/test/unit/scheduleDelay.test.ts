import { readFileSync } from 'node:fs';
import { ScheduleIndex, SchedulePayload } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { applyDelay, importSchedule, ScheduleError } from '../../src/index.js';

const { schedule } = importSchedule(
  readFileSync(new URL('../fixtures/schedules/breizhcamp-2015.json', import.meta.url), 'utf8'),
  { tz: 'Europe/Paris' },
);
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

describe('applyDelay', () => {
  it('shifts the windows of the talks of that room that had not ended when declared', () => {
    // Prepare: on 11 June, Molène has talks that end before 15:00 and talks that end after.
    const declared = at('2015-06-11T15:00:00+02:00');

    // Act
    const late = applyDelay(schedule, 'Molène', 20, declared);

    // Assess
    expect(SchedulePayload.safeParse(late).success).toBe(true);
    expect(late.delays).toEqual({ molene: { minutes: 20, since: declared } });
    const before = new ScheduleIndex(schedule).windows('molene');
    const after = new ScheduleIndex(late).windows('molene');
    for (const [i, { talk, window }] of after.entries()) {
      const shift = Date.parse(talk.end) >= declared ? 20 * MINUTE : 0;
      expect(window.opens - before[i]!.window.opens).toBe(shift);
      expect(window.closes - before[i]!.window.closes).toBe(shift);
    }
    expect(after.some(({ talk }) => Date.parse(talk.end) < declared)).toBe(true);
    expect(new ScheduleIndex(late).windows('groix')).toEqual(
      new ScheduleIndex(schedule).windows('groix'),
    );
  });

  it('replaces an earlier delay of the room and leaves the input untouched', () => {
    // Prepare
    const first = applyDelay(schedule, 'groix', 15, at('2015-06-11T10:00:00+02:00'));

    // Act
    const second = applyDelay(first, 'groix', 0, at('2015-06-11T12:00:00+02:00'));

    // Assess
    expect(second.delays?.groix).toEqual({ minutes: 0, since: at('2015-06-11T12:00:00+02:00') });
    expect(first.delays?.groix?.minutes).toBe(15);
    expect(schedule.delays).toBeUndefined();
  });

  it('refuses a room that is not in the schedule and a delay out of range', () => {
    // Act
    const unknownRoom = () => applyDelay(schedule, 'Janson', 5, Date.now());
    const tooLate = () => applyDelay(schedule, 'groix', 300, Date.now());

    // Assess
    expect(unknownRoom).toThrow(ScheduleError);
    expect(unknownRoom).toThrow(/no room "Janson".*rooms: /);
    expect(tooLate).toThrow(/between -240 and 240/);
  });
});
