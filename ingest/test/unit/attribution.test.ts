import { type Schedule, ScheduleIndex } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { attribute } from '../../src/attribution.js';

const START = Date.parse('2026-06-11T14:00:00Z');
const schedule: Schedule = {
  version: 1,
  event: 'e',
  name: 'E',
  timeZone: 'UTC',
  rooms: [
    { slug: 'amphi', name: 'Amphi' },
    { slug: 'lab', name: 'Lab' },
  ],
  talks: [
    {
      id: 't1',
      room: 'amphi',
      start: '2026-06-11T14:00:00Z',
      end: '2026-06-11T14:45:00Z',
      title: 'T1',
      speakers: [],
      format: 'talk',
      votable: true,
    },
  ],
};
const index = new ScheduleIndex(schedule);

describe('attribute', () => {
  it('gives the talk whose window holds the press time', () => {
    // Act
    const inWindow = attribute('amphi', START + 20 * 60_000, 'amphi', index);
    const before = attribute('amphi', START + 5 * 60_000, 'amphi', index);

    // Assess
    expect(inWindow).toEqual({ room: 'amphi', talk: 't1', check: 'ok' });
    expect(before).toEqual({ room: 'amphi', talk: 'none', check: 'ok' });
  });

  it('keeps the vote room but reports it when the box config says another room', () => {
    // Act
    const result = attribute('lab', START + 20 * 60_000, 'amphi', index);

    // Assess
    expect(result).toEqual({ room: 'lab', talk: 'none', check: 'config-mismatch' });
  });

  it('falls back to the configured room when the schedule does not know the vote room', () => {
    // Act
    const fromConfig = attribute('hall', START + 20 * 60_000, 'amphi', index);
    const unknown = attribute('hall', START + 20 * 60_000, undefined, index);

    // Assess
    expect(fromConfig).toEqual({ room: 'amphi', talk: 't1', check: 'from-config' });
    expect(unknown).toEqual({ room: 'hall', talk: 'none', check: 'unknown-room' });
  });

  it('gives talk none when there is no schedule', () => {
    // Act
    const result = attribute('amphi', START, undefined, undefined);

    // Assess
    expect(result).toEqual({ room: 'amphi', talk: 'none', check: 'ok' });
  });
});
