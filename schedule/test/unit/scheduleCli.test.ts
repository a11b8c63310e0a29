import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchedulePayload } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runSchedule } from '../../src/cli.js';
import type { CliIo } from '../../src/cliIo.js';

const fixturePath = (name: string) =>
  fileURLToPath(new URL(`../fixtures/schedules/${name}`, import.meta.url));

function testIo(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => Date.parse('2015-06-11T15:00:00+02:00'),
    stopped: new Promise<void>(() => undefined),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-schedule-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('likebox schedule import', () => {
  it('writes the normalised schedule to stdout and a summary to stderr', async () => {
    // Prepare
    const { io, out, err } = testIo();

    // Act
    const code = await runSchedule(
      ['import', fixturePath('breizhcamp-2015-box-copy.json'), '--tz', 'Europe/Paris'],
      io,
    );

    // Assess
    expect(code).toBe(0);
    const schedule = SchedulePayload.parse(JSON.parse(out()));
    expect(schedule.event).toBe('breizhcamp-2015');
    expect(err()).toContain('days   3: 2015-06-10, 2015-06-11, 2015-06-12');
    expect(err()).toContain('talks  99 (88 votable)');
    expect(err()).toContain('programme.jours[1].proposals[44].start: time "18:0" read as 18:00');
    expect(err().split('\n').length).toBeLessThan(40);
  });

  it('writes to --out with the event from the environment and --window rules', async () => {
    // Prepare
    const dir = await tempDir();
    const file = join(dir, 'schedule.json');
    const { io, out } = testIo({ LIKEBOX_EVENT: 'fosdem' });
    const args = ['--tz', 'Europe/Brussels', '--out', file, '--window', 'devroom=5,10', '--quiet'];

    // Act
    const code = await runSchedule(['import', fixturePath('fosdem2024.xml'), ...args], io);

    // Assess
    expect(code).toBe(0);
    expect(out()).toBe('');
    const schedule = SchedulePayload.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(schedule.event).toBe('fosdem');
    expect(schedule.windows?.byFormat.devroom).toEqual({ openAfterStart: 5, closeAfterEnd: 10 });
  });

  it('prints the located error and exits 1 when the file has no time zone', async () => {
    // Prepare
    const { io, out, err } = testIo();

    // Act
    const code = await runSchedule(
      ['import', fixturePath('sessionize-global-azure-austria.json')],
      io,
    );

    // Assess
    expect(code).toBe(1);
    expect(out()).toBe('');
    expect(err()).toMatch(
      /^likebox schedule import: sessionize-global-azure-austria\.json: the file gives no time zone/,
    );
  });

  it('imports a programme whose times carry their offset without --tz', async () => {
    // Prepare
    const { io, out, err } = testIo();

    // Act
    const code = await runSchedule(['import', fixturePath('31c3-offsets.xml')], io);

    // Assess
    expect(code).toBe(0);
    expect(SchedulePayload.parse(JSON.parse(out())).timeZone).toBe('Etc/GMT-1');
    expect(err()).toContain('Etc/GMT-1');
  });

  it('exits 2 on bad usage and 0 on --help', async () => {
    // Act
    const noFile = await runSchedule(['import'], testIo().io);
    const badFormat = await runSchedule(['import', 'x.json', '--format', 'ical'], testIo().io);
    const badFlag = await runSchedule(['import', 'x.json', '--colour'], testIo().io);
    const unknown = await runSchedule(['reschedule'], testIo().io);
    const help = testIo();
    const helpCode = await runSchedule(['import', '--help'], help.io);

    // Assess
    expect([noFile, badFormat, badFlag, unknown, helpCode]).toEqual([2, 2, 2, 2, 0]);
    expect(help.out()).toContain('--tz ZONE');
  });
});

describe('likebox schedule windows', () => {
  it('lists the rooms when no room is given', async () => {
    // Prepare
    const { io, out } = testIo();

    // Act
    const code = await runSchedule(['windows', fixturePath('pretalx-democon.json')], io);

    // Assess
    expect(code).toBe(0);
    expect(out()).toMatch(/^gray-room\s+27 votable \/ 27 slots {2}Gray Room$/m);
    expect(out()).toMatch(/^tan-room\s+9 votable \/ 9 slots {2}Tan Room$/m);
  });

  it('prints the vote windows of a room in local time, per-format rules applied', async () => {
    // Prepare
    const { io, out } = testIo();

    // Act
    const code = await runSchedule(
      ['windows', fixturePath('breizhcamp-2015.json'), '--tz', 'Europe/Paris', '--room', 'Molène'],
      io,
    );

    // Assess
    expect(code).toBe(0);
    const lines = out().trim().split('\n');
    expect(lines[0]).toBe(
      '2015-06-10 14:00–15:55  votes 14:10–16:10  [Conférence] Masterclass Expertise Java',
    );
    expect(lines).toContain('2015-06-10 16:30–18:25  votes 17:00–18:40  [Lab] Hands on Kibana 4');
  });
});
