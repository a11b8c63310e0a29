import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importSchedule, ScheduleImportError } from '../../src/index.js';

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

function breizhcamp2015(
  edit: (doc: { programme: { jours: { proposals: Record<string, unknown>[] }[] } }) => void,
) {
  const doc = JSON.parse(fixture('breizhcamp-2015.json'));
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

describe('importSchedule errors', () => {
  it('names the JSON path of the entry when a start time is not a time', () => {
    // Prepare
    const text = breizhcamp2015((doc) => {
      doc.programme.jours[1]!.proposals[7]!.start = '25:99';
    });

    // Act
    const error = errorOf(() => importSchedule(text, { tz: 'Europe/Paris' }));

    // Assess
    expect(error.problems).toEqual([
      {
        where: 'programme.jours[1].proposals[7].start',
        message: expect.stringContaining('"25:99"'),
      },
    ]);
    expect(error.message).toContain('programme.jours[1].proposals[7].start');
  });

  it('lists every broken entry at once when several are wrong', () => {
    // Prepare
    const text = breizhcamp2015((doc) => {
      doc.programme.jours[0]!.proposals[2]!.end = 'noon';
      delete doc.programme.jours[2]!.proposals[5]!.room;
    });

    // Act
    const error = errorOf(() => importSchedule(text, { tz: 'Europe/Paris' }));

    // Assess
    expect(error.problems.map((p) => p.where)).toEqual([
      'programme.jours[0].proposals[2].end',
      'programme.jours[2].proposals[5].room',
    ]);
  });

  it('gives the line and column when the JSON does not parse', () => {
    // Prepare
    const text = '{\n  "programme": {\n    "jours": [1, 2,]\n  }\n}';

    // Act
    const error = errorOf(() => importSchedule(text));

    // Assess
    expect(error.message).toMatch(/^line 3, column \d+: not valid JSON/);
  });

  it('gives the line when the JSON ends too early', () => {
    // Prepare
    const text = fixture('frab-camp2019.json').slice(0, 5000);

    // Act
    const error = errorOf(() => importSchedule(text));

    // Assess
    expect(error.message).toMatch(/^line \d+(, column \d+)?: not valid JSON/);
  });

  it('gives the line of a broken XML tag', () => {
    // Prepare
    const lines = fixture('fosdem2024.xml').split('\n');
    lines[88] = lines[88]!.replace('</room>', '</rom>');

    // Act
    const error = errorOf(() => importSchedule(lines.join('\n'), { tz: 'Europe/Brussels' }));

    // Assess
    expect(lines[88]).toContain('</rom>');
    expect(error.message).toMatch(/^line 89, column \d+: not valid XML/);
  });

  it('names the line of an XML event whose duration is wrong', () => {
    // Prepare
    const text = fixture('fosdem2024.xml').replace(
      '<duration>01:00</duration>',
      '<duration>soon</duration>',
    );

    // Act
    const error = errorOf(() => importSchedule(text, { tz: 'Europe/Brussels' }));

    // Assess
    expect(error.problems).toEqual([
      {
        where: 'line 86: schedule.day[0].room[1].event[0].duration',
        message: expect.stringContaining('"soon"'),
      },
    ]);
  });

  it('refuses an unknown document and says what it found', () => {
    // Act
    const error = errorOf(() => importSchedule('{"talks": []}', { fileName: 'mystery.json' }));

    // Assess
    expect(error.message).toMatch(
      /^mystery\.json: unknown programme format: a JSON object with keys talks/,
    );
  });

  it('refuses a file of another format than the one asked for', () => {
    // Act
    const error = errorOf(() =>
      importSchedule(fixture('pretalx-democon.json'), { format: 'sessionize' }),
    );

    // Assess
    expect(error.message).toContain('not a sessionize programme: found pretalx');
  });

  it('refuses an unknown time zone', () => {
    // Act
    const error = errorOf(() =>
      importSchedule(fixture('breizhcamp-2013.json'), { tz: 'Europe/Rennes' }),
    );

    // Assess
    expect(error.message).toContain('unknown time zone "Europe/Rennes"');
  });

  it('refuses an empty file', () => {
    // Act
    const error = errorOf(() => importSchedule('  \n'));

    // Assess
    expect(error.message).toBe('file: the file is empty');
  });
});

describe('importSchedule repairs', () => {
  it('keeps rooms apart and warns when their names collide as slugs', () => {
    // Prepare
    const text = breizhcamp2015((doc) => {
      doc.programme.jours[1]!.proposals[10]!.room = 'Brehat';
    });

    // Act
    const { schedule, warnings } = importSchedule(text, { tz: 'Europe/Paris' });

    // Assess
    expect(schedule.rooms.map((r) => r.slug)).toEqual(
      expect.arrayContaining(['brehat', 'brehat-2']),
    );
    expect(warnings.filter((w) => w.code === 'slug-collision')).toHaveLength(1);
  });

  it('drops a slot that ends when it starts and says so', () => {
    // Prepare
    const text = breizhcamp2015((doc) => {
      doc.programme.jours[0]!.proposals[2]!.end = '14:00';
    });

    // Act
    const { schedule, warnings } = importSchedule(text, { tz: 'Europe/Paris' });

    // Assess
    expect(schedule.talks).toHaveLength(98);
    expect(warnings).toContainEqual({
      code: 'dropped',
      where: 'programme.jours[0].proposals[2]',
      message: expect.stringContaining('ends when it starts'),
    });
  });

  it('gives an id to an entry that has none', () => {
    // Prepare
    const text = breizhcamp2015((doc) => {
      delete doc.programme.jours[0]!.proposals[2]!.id;
    });

    // Act
    const { schedule, warnings } = importSchedule(text, { tz: 'Europe/Paris' });

    // Assess
    expect(schedule.talks.map((t) => t.id)).toContain('talk-2015-06-10-1400-groix');
    expect(warnings.filter((w) => w.code === 'missing-id')).toHaveLength(1);
  });

  it('uses the tz option over the zone the file declares', () => {
    // Act
    const { schedule } = importSchedule(fixture('frab-camp2019.json'), {
      tz: 'UTC',
      event: 'camp',
    });

    // Assess
    expect(schedule).toMatchObject({ timeZone: 'UTC', event: 'camp' });
    expect(schedule.talks[0]?.start).toBe('2019-08-21T09:00:00+00:00');
  });
});
