import { readFileSync } from 'node:fs';
import { SchedulePayload } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { importSchedule, scheduleCounts } from '../../src/index.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/schedules/${name}`, import.meta.url), 'utf8');

/**
 * Expected counts, established from the files themselves with jq / python, not with the importer
 * (run in ingest/test/fixtures/schedules):
 * - BreizhCamp 2015 (and its box copy): `jq -c '[(.programme.jours|length),
 *   ([.programme.jours[].proposals[].room]|unique|length),
 *   ([.programme.jours[].proposals[]|select(.format!="break")]|length)]'` → [3,7,88]
 *   (7 rooms include "hall", where only the 11 breaks are; 99 slots).
 * - BreizhCamp 2013: same with `.tracks[].proposals[]` → [2,5,67]; it has no break.
 * - frab Camp 2019 and pretalx DemoCon: `jq -c '[(.schedule.conference.days|length),
 *   ([.schedule.conference.days[].rooms|to_entries[]|select(.value|length>0)|.key]|unique|length),
 *   ([.schedule.conference.days[].rooms[][]]|length)]'` → [5,2,79] and [3,2,36].
 * - Sessionize: `jq -c '[([.sessions[].startsAt[0:10]]|unique|length), ([.sessions[].roomId]|unique|length),
 *   ([.sessions[]|select(.isServiceSession|not)]|length)]'` → [1,3,13].
 * - FOSDEM 2024: python3 ElementTree: 2 `<day>`, 674 `<event>`, 26 distinct `<room>` texts of
 *   events, 32 distinct `<room name>` (6 declared rooms have no event).
 */
const EXPECTED = [
  {
    file: 'breizhcamp-2013.json',
    tz: 'Europe/Paris',
    format: 'breizhcamp-2013',
    days: 2,
    rooms: 5,
    talks: 67,
    votable: 67,
  },
  {
    file: 'breizhcamp-2015.json',
    tz: 'Europe/Paris',
    format: 'breizhcamp-2015',
    days: 3,
    rooms: 7,
    talks: 99,
    votable: 88,
  },
  {
    file: 'breizhcamp-2015-box-copy.json',
    tz: 'Europe/Paris',
    format: 'breizhcamp-2015',
    days: 3,
    rooms: 7,
    talks: 99,
    votable: 88,
  },
  {
    file: 'fosdem2024.xml',
    tz: 'Europe/Brussels',
    format: 'frab-xml',
    days: 2,
    rooms: 26,
    talks: 674,
    votable: 674,
  },
  {
    file: 'frab-camp2019.json',
    tz: undefined,
    format: 'frab-json',
    days: 5,
    rooms: 2,
    talks: 79,
    votable: 79,
  },
  {
    file: 'pretalx-democon.json',
    tz: undefined,
    format: 'pretalx',
    days: 3,
    rooms: 2,
    talks: 36,
    votable: 36,
  },
  {
    file: 'sessionize-global-azure-austria.json',
    tz: 'Europe/Vienna',
    format: 'sessionize',
    days: 1,
    rooms: 3,
    talks: 13,
    votable: 13,
  },
] as const;

describe('importSchedule', () => {
  for (const expected of EXPECTED) {
    it(`imports ${expected.file} with its days, rooms and votable talks when read with auto-detection`, () => {
      // Prepare
      const text = fixture(expected.file);

      // Act
      const { schedule, format } = importSchedule(text, {
        tz: expected.tz,
        fileName: expected.file,
      });

      // Assess
      expect(SchedulePayload.safeParse(schedule).success).toBe(true);
      expect(format).toBe(expected.format);
      const counts = scheduleCounts(schedule);
      expect(counts.days).toHaveLength(expected.days);
      expect(counts.rooms).toBe(expected.rooms);
      expect(counts.talks).toBe(expected.talks);
      expect(counts.votable).toBe(expected.votable);
    });
  }

  it('repairs "18:0" and reports it with the JSON path when importing the box copy', () => {
    // Prepare
    const text = fixture('breizhcamp-2015-box-copy.json');

    // Act
    const { schedule, warnings } = importSchedule(text, { tz: 'Europe/Paris' });

    // Assess
    const warning = warnings.find((w) => w.message.includes('"18:0"'));
    expect(warning).toMatchObject({
      code: 'time-format',
      where: 'programme.jours[1].proposals[44].start',
    });
    expect(schedule.talks.find((t) => t.id === 'AXE-2491')).toMatchObject({
      room: 'molene',
      start: '2015-06-11T18:00:00+02:00',
      end: '2015-06-11T18:25:00+02:00',
    });
  });

  it('gives each "TBD" its own id and keeps the keynotes votable when ids are duplicated', () => {
    // Prepare
    const text = fixture('breizhcamp-2015.json');

    // Act
    const { schedule, warnings } = importSchedule(text, { tz: 'Europe/Paris' });

    // Assess
    expect(warnings.filter((w) => w.code === 'duplicate-id')).toHaveLength(13);
    expect(schedule.talks.filter((t) => t.id.startsWith('TBD-'))).toHaveLength(13);
    const keynote = schedule.talks.find((t) => t.id === 'TBD-2015-06-11-0900-ouessant');
    expect(keynote).toMatchObject({ title: 'KeyNote jeudi', votable: true });
    expect(schedule.talks.filter((t) => t.room === 'hall').every((t) => !t.votable)).toBe(true);
    expect(warnings.filter((w) => w.code === 'not-votable')).toHaveLength(11);
  });

  it('derives ends from the format durations when the 2013 shape gives start times only', () => {
    // Prepare
    const text = fixture('breizhcamp-2013.json');

    // Act
    const { schedule } = importSchedule(text, { tz: 'Europe/Paris' });

    // Assess: a quickie lasts 15 min; a hands-on is cut at the next talk of its room.
    expect(schedule.talks.find((t) => t.id === '99')).toMatchObject({
      start: '2013-06-13T12:30:00+02:00',
      end: '2013-06-13T12:45:00+02:00',
    });
    expect(schedule.talks.find((t) => t.id === '4')?.end).toBe('2013-06-13T12:30:00+02:00');
    expect(schedule.windows?.byFormat.quickie).toEqual({ openAfterStart: 2, closeAfterEnd: 5 });
  });

  it('reports a talk past midnight and ends it on the next day when it crosses midnight', () => {
    // Prepare
    const text = fixture('frab-camp2019.json');

    // Act
    const { schedule, warnings } = importSchedule(text);

    // Assess
    expect(schedule.timeZone).toBe('Europe/Berlin');
    expect(warnings.filter((w) => w.code === 'past-midnight')).toHaveLength(1);
    expect(schedule.talks.find((t) => t.id === '10344')).toMatchObject({
      start: '2019-08-22T23:00:00+02:00',
      end: '2019-08-23T00:30:00+02:00',
    });
  });

  it('reads the older FOSDEM variant and leaves out declared rooms without talks', () => {
    // Prepare
    const text = fixture('fosdem2024.xml');

    // Act
    const { schedule, warnings } = importSchedule(text, { tz: 'Europe/Brussels' });

    // Assess
    const unused = warnings.filter((w) => w.code === 'unused-room').map((w) => w.message);
    expect(unused).toHaveLength(6);
    expect(unused[0]).toContain('"Janson"');
    expect(schedule.talks.find((t) => t.id === '10528')).toMatchObject({
      room: 'j-1-106',
      start: '2024-02-03T10:30:00+01:00',
      end: '2024-02-03T11:30:00+01:00',
      speakers: ['Pauline Maas'],
    });
  });

  it('keeps the instants of pretalx dates and warns when they disagree with the declared zone', () => {
    // Prepare
    const text = fixture('pretalx-democon.json');

    // Act
    const declared = importSchedule(text);
    const explicit = importSchedule(text, { tz: 'Europe/Berlin' });

    // Assess
    expect(declared.warnings.map((w) => w.code)).toEqual(['time-zone']);
    expect(declared.schedule.talks[0]?.start).toBe('2020-12-14T08:00:00+00:00');
    expect(explicit.warnings).toEqual([]);
    expect(explicit.schedule.talks[0]?.start).toBe('2020-12-14T09:00:00+01:00');
  });

  it('refuses a file without time zone when no tz is given', () => {
    // Prepare
    const text = fixture('breizhcamp-2015.json');

    // Act
    const act = () => importSchedule(text, { fileName: 'breizhcamp-2015.json' });

    // Assess
    expect(act).toThrow(/breizhcamp-2015\.json: the file gives no time zone.*--tz/);
  });
});
