import { SchedulePayload } from '@likebox/protocol';
import { testIo as commandIo } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { scheduleCommand } from '../../src/cli.js';
import { fixture, startProgrammeServer } from './programmeServer.js';

function testIo() {
  const test = commandIo({ env: {} });
  return { io: test.io, out: test.stdout, err: test.stderr };
}

/** `likebox schedule …argv`, in process; resolves with the exit code. */
function runSchedule(argv: string[], io: ReturnType<typeof testIo>['io']): Promise<number> {
  return scheduleCommand.main(argv, { io });
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
