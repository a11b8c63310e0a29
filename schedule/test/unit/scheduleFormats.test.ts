import { describe, expect, it } from 'vitest';
import { importSchedule } from '../../src/index.js';

const session = (
  id: string,
  startsAt: string,
  endsAt: string,
  extra: Record<string, unknown> = {},
) => ({
  id,
  title: `Session ${id}`,
  startsAt,
  endsAt,
  isServiceSession: false,
  isPlenumSession: false,
  speakers: [{ id: 'a1', name: 'Jane Doe' }],
  categories: [
    { id: 1, name: 'Session format', categoryItems: [{ id: 5, name: 'Lightning talk' }] },
  ],
  roomId: 7,
  room: 'Saal 9',
  ...extra,
});

describe('importSchedule, other shapes of the supported formats', () => {
  it('reads the Sessionize "Sessions" export, formats from its categories', () => {
    // Prepare
    const groups = [
      {
        groupId: null,
        groupName: 'All Sessions',
        sessions: [
          session('1', '2025-05-10T09:00:00', '2025-05-10T09:10:00'),
          session('2', '2025-05-10T10:30:00', '2025-05-10T11:00:00', {
            title: 'Coffee',
            isServiceSession: true,
            speakers: [],
          }),
          session('3', null as unknown as string, null as unknown as string),
        ],
      },
    ];

    // Act
    const { schedule, warnings } = importSchedule(JSON.stringify(groups), {
      tz: 'Europe/Vienna',
      event: 'gab',
    });

    // Assess
    expect(schedule.talks.map((t) => [t.id, t.format, t.votable, t.start])).toEqual([
      ['1', 'Lightning talk', true, '2025-05-10T09:00:00+02:00'],
      ['2', 'service', false, '2025-05-10T10:30:00+02:00'],
    ]);
    expect(schedule.talks[0]?.speakers).toEqual(['Jane Doe']);
    expect(schedule.windows?.byFormat['Lightning talk']).toEqual({
      openAfterStart: 2,
      closeAfterEnd: 5,
    });
    expect(warnings.map((w) => w.code).sort()).toEqual(['dropped', 'not-votable']);
  });

  it('reads the Sessionize "Schedule grid" export', () => {
    // Prepare
    const grid = [
      {
        date: '2025-05-10T00:00:00',
        rooms: [
          {
            id: 7,
            name: 'Saal 9',
            sessions: [session('1', '2025-05-10T09:00:00', '2025-05-10T09:45:00')],
          },
        ],
        timeSlots: [],
      },
    ];

    // Act
    const { schedule } = importSchedule(JSON.stringify(grid), {
      tz: 'Europe/Vienna',
      event: 'gab',
    });

    // Assess
    expect(schedule.rooms).toEqual([{ slug: 'saal-9', name: 'Saal 9' }]);
    expect(schedule.talks).toHaveLength(1);
  });

  it('reads a newer frab schedule.xml with dates, guids and its own time zone', () => {
    // Prepare
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1.0</version>
  <conference>
    <acronym>36c3</acronym>
    <title>36th Chaos Communication Congress</title>
    <time_zone_name>Europe/Berlin</time_zone_name>
    <day_change>06:00</day_change>
  </conference>
  <day index="1" date="2019-12-27" start="2019-12-27T06:00:00+01:00" end="2019-12-28T05:59:00+01:00">
    <room name="Ada">
      <event guid="c0ffee00-0000-4000-8000-000000000001" id="10001">
        <date>2019-12-27T23:30:00+01:00</date>
        <start>23:30</start>
        <duration>01:00</duration>
        <room>Ada</room>
        <title>Late &amp; loud</title>
        <type>lecture</type>
        <persons><person id="1">Alice</person><person id="2">Bob</person></persons>
      </event>
      <event id="10002">
        <start>01:00</start>
        <duration>00:30</duration>
        <room>Ada</room>
        <title>After midnight, no date</title>
        <type>lecture</type>
        <persons><person id="3">Carol</person></persons>
      </event>
    </room>
  </day>
</schedule>`;

    // Act
    const { schedule, warnings, format } = importSchedule(xml);

    // Assess
    expect(format).toBe('frab-xml');
    expect(schedule).toMatchObject({ event: '36c3', timeZone: 'Europe/Berlin' });
    expect(schedule.talks).toEqual([
      expect.objectContaining({
        id: '10001',
        title: 'Late & loud',
        speakers: ['Alice', 'Bob'],
        start: '2019-12-27T23:30:00+01:00',
        end: '2019-12-28T00:30:00+01:00',
      }),
      expect.objectContaining({ id: '10002', start: '2019-12-28T01:00:00+01:00' }),
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['past-midnight']);
  });
});
