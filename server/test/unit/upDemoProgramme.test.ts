import type { Schedule } from '@likebox/protocol';
import { ScheduleIndex, shiftSchedule } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { replayOffset } from '../../src/demoProgramme.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Two talks in Groix on 11 June 2015, Paris time (UTC+2). */
const schedule: Schedule = {
  version: 1,
  event: 'demo',
  name: 'BreizhCamp 2015',
  timeZone: 'Europe/Paris',
  rooms: [{ slug: 'groix', name: 'Groix' }],
  talks: [
    {
      id: 'morning',
      room: 'groix',
      start: '2015-06-11T10:00:00+02:00',
      end: '2015-06-11T10:50:00+02:00',
      title: 'Morning talk',
      speakers: [],
      format: 'Conférence',
      votable: true,
    },
    {
      id: 'break',
      room: 'groix',
      start: '2015-06-11T08:00:00+02:00',
      end: '2015-06-11T09:00:00+02:00',
      title: 'Accueil',
      speakers: [],
      format: 'break',
      votable: false,
    },
  ],
};

function liveTalk(shifted: Schedule, at: number): string | undefined {
  return new ScheduleIndex(shifted).talkAt('groix', at)?.talk.id;
}

describe('replayOffset', () => {
  it('moves the programme to today at the same wall-clock times when its talk runs at that time', () => {
    // Prepare
    const now = Date.parse('2026-11-25T10:30:00+01:00'); // 10:30 in Paris, winter time

    // Act
    const offset = replayOffset(schedule, now);

    const shifted = shiftSchedule(schedule, offset);

    // Assess: 10:00 in June (UTC+2) is still 10:00 in November (UTC+1).
    expect(shifted.talks[0]!.start).toBe('2026-11-25T10:00:00+01:00');
    expect(liveTalk(shifted, now)).toBe('morning');
  });

  it('starts the first votable talk 20 minutes ago when nothing runs at that time of day', () => {
    // Prepare
    const now = Date.parse('2026-11-25T01:30:00Z');

    // Act
    const offset = replayOffset(schedule, now);
    const shifted = shiftSchedule(schedule, offset);

    // Assess
    expect(Date.parse(shifted.talks[0]!.start)).toBe(now - 20 * MINUTE);
    expect(liveTalk(shifted, now)).toBe('morning');
  });
});

describe('shiftSchedule', () => {
  it('keeps the programme valid, in its own time zone, when moved', () => {
    // Prepare
    const offset = 3 * DAY + 7 * MINUTE;

    // Act
    const shifted = shiftSchedule(schedule, offset);

    // Assess
    expect(shifted.talks[0]!.start).toBe('2015-06-14T10:07:00+02:00');
    expect(Date.parse(shifted.talks[0]!.end) - Date.parse(schedule.talks[0]!.end)).toBe(offset);
    expect(shifted.rooms).toEqual(schedule.rooms);
  });
});
