import { SchedulePayload } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { runSchedule } from '../../src/cli.js';
import type { CliIo } from '../../src/cliIo.js';
import { fixture, startProgrammeServer } from './programmeServer.js';

function testIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: {},
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => Date.now(),
    stopped: new Promise<void>(() => undefined),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('likebox schedule import URL', () => {
  it('fetches the programme and writes the normalised schedule', async () => {
    // Prepare
    const server = await startProgrammeServer({
      status: 200,
      body: fixture('31c3-offsets.xml'),
    });
    const { io, out, err } = testIo();

    // Act
    const code = await runSchedule(['import', server.url, '--event', 'thirty-one'], io);

    // Assess
    expect(code).toBe(0);
    const schedule = SchedulePayload.parse(JSON.parse(out()));
    expect(schedule).toMatchObject({ event: 'thirty-one', timeZone: 'Etc/GMT-1' });
    expect(err()).toContain('frab-xml');
  });

  it('exits 1 naming the URL when it answers an error status', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 404, body: 'Not here' });
    const { io, out, err } = testIo();

    // Act
    const code = await runSchedule(['import', server.url], io);

    // Assess
    expect(code).toBe(1);
    expect(out()).toBe('');
    expect(err()).toBe(
      `likebox schedule import: ${server.url}: cannot fetch: HTTP 404 Not Found\n`,
    );
  });

  it('exits 1 naming the URL when its body is not a programme', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: '{"hello": "world"}' });
    const { io, err } = testIo();

    // Act
    const code = await runSchedule(['import', server.url], io);

    // Assess
    expect(code).toBe(1);
    expect(err()).toMatch(
      /^likebox schedule import: http:\/\/127\.0\.0\.1:\d+\/schedule: unknown programme format/,
    );
  });
});
