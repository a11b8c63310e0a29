import { readFileSync } from 'node:fs';
import { canonicalZone, zoneOffset } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { importSchedule, ScheduleImportError, scheduleCounts } from '../../src/index.js';
import { fixedZone, writtenOffset, zoneFromOffsets } from '../../src/offsetZone.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/schedules/${name}`, import.meta.url), 'utf8');

function errorOf(act: () => unknown): ScheduleImportError {
  try {
    act();
  } catch (err) {
    if (err instanceof ScheduleImportError) return err;
    throw err;
  }
  throw new Error('expected a ScheduleImportError');
}

/** A frab schedule.json without `time_zone_name`, one event per given `date`. */
function frabJson(dates: string[]): string {
  const events = dates.map((date, i) => ({
    id: 100 + i,
    date,
    start: date.slice(11, 16),
    duration: '00:30',
    room: 'Main',
    title: `Talk ${i}`,
    type: 'lecture',
    persons: [{ public_name: 'Ann' }],
  }));
  const day = { index: 1, date: '2020-10-24', rooms: { Main: events } };
  return JSON.stringify({ schedule: { conference: { acronym: 'x', days: [day] } } });
}

describe('fixedZone', () => {
  it('gives the Etc/GMT zone of inverted sign for whole hours, UTC for zero, none otherwise', () => {
    // Prepare
    const offsets = [60, -300, 0, 14 * 60, -12 * 60, 330, 15 * 60, -13 * 60];

    // Act
    const zones = offsets.map(fixedZone);

    // Assess
    expect(zones).toEqual([
      'Etc/GMT-1',
      'Etc/GMT+5',
      'UTC',
      'Etc/GMT-14',
      'Etc/GMT+12',
      null,
      null,
      null,
    ]);
    for (const [i, zone] of zones.entries()) {
      if (zone === null) continue;
      expect(canonicalZone(zone)).toBe(zone);
      expect(zoneOffset(zone, Date.parse('2014-12-27T10:00:00Z'))).toBe((offsets[i] ?? 0) * 60_000);
    }
  });
});

describe('writtenOffset', () => {
  it('reads the offset an ISO date-time is written with, and null without one', () => {
    // Act
    const read = [
      '2014-12-27T11:30:00+01:00',
      '2014-12-27T11:30:00Z',
      '2014-12-27T11:30-0330',
      '2014-12-27T11:30:00',
      '11:30',
    ].map(writtenOffset);

    // Assess
    expect(read).toEqual([60, 0, -210, null, null]);
  });
});

describe('importSchedule of programmes whose times carry their UTC offset', () => {
  it('reads the 31C3-style frab XML without a tz, in the fixed zone of its offset', () => {
    // Prepare
    const text = fixture('31c3-offsets.xml');

    // Act
    const { schedule, warnings, format } = importSchedule(text, { fileName: '31c3-offsets.xml' });

    // Assess
    expect(format).toBe('frab-xml');
    expect(schedule).toMatchObject({ event: '31c3', timeZone: 'Etc/GMT-1' });
    // python3 ElementTree: 4 <day>, 4 rooms with events, 20 <event>, one of them 00:00 long.
    expect(scheduleCounts(schedule)).toMatchObject({ rooms: 4, talks: 19 });
    expect(scheduleCounts(schedule).days).toHaveLength(4);
    expect(schedule.talks.find((t) => t.title === 'Late-night hacking & coffee')).toMatchObject({
      start: '2014-12-28T00:30:00+01:00',
      end: '2014-12-28T01:30:00+01:00',
    });
    expect(warnings[0]).toMatchObject({
      code: 'time-zone',
      message: expect.stringMatching(
        /offset \+01:00: read in the fixed zone Etc\/GMT-1; pass --tz/,
      ),
    });
    expect(warnings.map((w) => w.code).sort()).toEqual([
      'dropped',
      'duplicate-id',
      'duplicate-id',
      'past-midnight',
      'time-zone',
    ]);
  });

  it('reads the rC3-style frab JSON without a tz, in the fixed zone of its offset', () => {
    // Prepare
    const text = fixture('rc3-offsets.json');

    // Act
    const { schedule, format } = importSchedule(text);

    // Assess
    expect(format).toBe('frab-json');
    expect(schedule.timeZone).toBe('Etc/GMT-1');
    // jq '[.schedule.conference.days[].rooms[][]] | length' → 14, one of them 00:00 long; 6 room
    // keys, 4 of them with a talk that is kept.
    expect(scheduleCounts(schedule)).toMatchObject({ rooms: 4, talks: 13 });
    expect(scheduleCounts(schedule).days).toHaveLength(4);
    expect(schedule.talks.at(-1)).toMatchObject({
      title: 'rC3 Closing',
      start: '2020-12-30T17:20:00+01:00',
    });
  });

  it('uses the tz option over the offsets, with the same instants', () => {
    // Prepare
    const text = fixture('31c3-offsets.xml');

    // Act
    const fixed = importSchedule(text);
    const named = importSchedule(text, { tz: 'Europe/Berlin' });

    // Assess
    expect(named.schedule.timeZone).toBe('Europe/Berlin');
    expect(named.warnings.map((w) => w.code)).not.toContain('time-zone');
    expect(named.schedule.talks.map((t) => Date.parse(t.start))).toEqual(
      fixed.schedule.talks.map((t) => Date.parse(t.start)),
    );
  });

  it('reads a Sessionize export whose times carry an offset', () => {
    // Prepare
    const sessions = [9, 10].map((hour) => ({
      id: String(hour),
      title: `Session ${hour}`,
      startsAt: `2025-05-10T${String(hour).padStart(2, '0')}:00:00-05:00`,
      endsAt: `2025-05-10T${String(hour).padStart(2, '0')}:45:00-05:00`,
      speakers: [{ name: 'Jane Doe' }],
      room: 'Hall B',
      roomId: 7,
    }));

    // Act
    const { schedule } = importSchedule(JSON.stringify([{ groupName: 'All', sessions }]));

    // Assess
    expect(schedule.timeZone).toBe('Etc/GMT+5');
    expect(schedule.talks[0]?.start).toBe('2025-05-10T09:00:00-05:00');
  });

  it('refuses an offset off the hour, naming the zones that fit it', () => {
    // Prepare
    const text = frabJson(['2020-10-24T10:00:00+05:30', '2020-10-24T11:00:00+05:30']);

    // Act
    const error = errorOf(() => importSchedule(text, { fileName: 'x.json' }));

    // Assess
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(
      /^x\.json: the file names no time zone and its times carry the offset \+05:30, which no IANA fixed zone has/,
    );
    expect(error.message).toMatch(/pass --tz ZONE \(zones that fit: .*Asia\/(Kolkata|Calcutta)/);
  });

  it('refuses offsets that change within the programme (a daylight-saving change)', () => {
    // Prepare
    const text = frabJson(['2020-10-24T10:00:00+02:00', '2020-10-25T10:00:00+01:00']);

    // Act
    const error = errorOf(() => importSchedule(text));

    // Assess
    expect(error.message).toMatch(/several UTC offsets \(\+02:00, \+01:00, a daylight-saving/);
    expect(error.message).toMatch(/zones that fit: .*Europe\//);
    expect(zoneFromOffsets(['2020-10-24T10:00:00+02:00'])).toEqual({
      kind: 'fixed',
      zone: 'Etc/GMT-2',
      offset: 120,
    });
  });

  it('refuses a file where some times carry no offset, saying how many', () => {
    // Prepare
    const text = frabJson(['2020-10-24T10:00:00+02:00', '2020-10-24T11:00:00', '']);

    // Act
    const error = errorOf(() => importSchedule(text));

    // Assess
    expect(error.message).toContain(
      'the file gives no time zone for its local times (2 of 3 event times carry no UTC offset): pass --tz ZONE',
    );
  });
});

describe('importSchedule messages name the time zone setting of the command', () => {
  const hint = { tzHint: 'LIKEBOX_SCHEDULE_TZ' } as const;

  it('asks for LIKEBOX_SCHEDULE_TZ when the file has no zone', () => {
    // Act
    const error = errorOf(() => importSchedule(fixture('breizhcamp-2015.json'), hint));

    // Assess
    expect(error.message).toContain('set LIKEBOX_SCHEDULE_TZ=ZONE (an IANA name such as');
    expect(error.message).not.toContain('--tz');
  });

  it('names LIKEBOX_SCHEDULE_TZ as where an unknown zone came from', () => {
    // Act
    const error = errorOf(() =>
      importSchedule(fixture('breizhcamp-2015.json'), { ...hint, tz: 'Mars/Olympus' }),
    );

    // Assess
    expect(error.problems).toEqual([
      { where: 'LIKEBOX_SCHEDULE_TZ', message: expect.stringContaining('"Mars/Olympus"') },
    ]);
  });

  it('suggests LIKEBOX_SCHEDULE_TZ in warnings and for an unknown zone named by the file', () => {
    // Prepare
    const wrongZone = fixture('frab-camp2019.json').replace('"Europe/Berlin"', '"Europe/Hamborg"');

    // Act
    const { warnings } = importSchedule(fixture('31c3-offsets.xml'), hint);
    const mismatch = importSchedule(fixture('pretalx-democon.json'), hint).warnings;
    const error = errorOf(() => importSchedule(wrongZone, hint));

    // Assess
    expect(warnings[0]?.message).toContain('set LIKEBOX_SCHEDULE_TZ=ZONE to name');
    expect(mismatch[0]?.message).toContain('set LIKEBOX_SCHEDULE_TZ=ZONE, the zone the programme');
    expect(error.problems).toEqual([
      {
        where: 'schedule.conference.time_zone_name of the file',
        message: expect.stringContaining('"Europe/Hamborg"'),
      },
    ]);
    expect(error.message).toContain('set LIKEBOX_SCHEDULE_TZ=ZONE to give the right one');
  });
});
