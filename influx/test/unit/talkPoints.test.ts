import type { Schedule } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { scheduleToTalkPoints } from '../../src/talkPoints.js';

function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    version: 1,
    event: 'bzh',
    name: 'BreizhCamp',
    timeZone: 'Europe/Paris',
    rooms: [{ slug: 'amphi-a', name: 'Amphi A' }],
    talks: [
      {
        id: 'talk 1',
        room: 'amphi-a',
        start: '2015-06-11T10:00:00+02:00',
        end: '2015-06-11T10:50:00+02:00',
        title: 'Say "hello", world\nagain',
        speakers: ['Ada', 'Alan'],
        format: 'Conférence',
        votable: true,
      },
      {
        id: 'lunch',
        room: 'amphi-a',
        start: '2015-06-11T12:00:00+02:00',
        end: '2015-06-11T13:00:00+02:00',
        title: 'Lunch',
        speakers: [],
        format: 'break',
        votable: false,
      },
    ],
    ...overrides,
  };
}

describe('scheduleToTalkPoints', () => {
  it('writes one point per votable talk with its window when the room runs on time', () => {
    // Act
    const points = scheduleToTalkPoints(schedule());

    // Assess
    const start = Date.parse('2015-06-11T08:00:00Z');
    expect(points).toEqual([
      {
        measurement: 'talk',
        tags: { event: 'bzh', room: 'amphi-a', talk: 'talk 1' },
        fields: {
          title: 'Say "hello", world again',
          speakers: 'Ada, Alan',
          format: 'Conférence',
          start,
          end: start + 50 * 60_000,
          opens: start + 10 * 60_000,
          closes: start + 65 * 60_000,
        },
        timestamp: `${start}000000`,
      },
    ]);
  });

  it('shifts start, end and window but keeps the timestamp when the room runs late', () => {
    // Prepare
    const late = schedule({
      delays: { 'amphi-a': { minutes: 15, since: Date.parse('2015-06-11T08:05:00Z') } },
    });

    // Act
    const [point] = scheduleToTalkPoints(late);

    // Assess
    const start = Date.parse('2015-06-11T08:00:00Z');
    expect(point?.timestamp).toBe(`${start}000000`);
    expect(point?.fields.start).toBe(start + 15 * 60_000);
    expect(point?.fields.closes).toBe(start + 80 * 60_000);
  });
});
