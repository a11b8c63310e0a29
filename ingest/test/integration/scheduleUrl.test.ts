import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePayload, type Schedule } from '@likebox/protocol';
import { ConfigError } from '@likebox/runtime';
import { eventually, tempDir } from '@likebox/runtime/testing';
import { applyDelay } from '@likebox/schedule';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Journal } from '../../src/journal.js';
import { Outputs } from '../../src/outputs.js';
import { loadSchedule, ScheduleState } from '../../src/scheduleState.js';

const START = Date.parse('2030-06-11T09:00:00Z');

function schedule(title: string): Schedule {
  return {
    version: 1,
    event: 'test',
    name: 'Test',
    timeZone: 'UTC',
    rooms: [{ slug: 'amphi', name: 'Amphi' }],
    talks: [
      {
        id: 't1',
        room: 'amphi',
        start: new Date(START).toISOString(),
        end: new Date(START + 3_600_000).toISOString(),
        title,
        speakers: ['Ada'],
        format: 'Conférence',
        votable: true,
      },
    ],
  };
}

/** A real HTTP server on port 0 serving `served.body` (status `served.status`) with an ETag. */
async function programmeServer(served: { status: number; body: string }) {
  const server = createServer((_req, res) => {
    res.writeHead(served.status, { etag: `"${served.body.length}"` }).end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/schedule.json`;
}

/** A frab schedule.json naming no time zone, its times local (no UTC offset). */
function zonelessFrab(): string {
  const event = {
    ...{ id: 7, date: '2030-06-11T10:00:00', start: '10:00', duration: '00:30', room: 'Main' },
    ...{ title: 'Local time', type: 'lecture', persons: [{ public_name: 'Ann' }] },
  };
  const day = { index: 1, date: '2030-06-11', rooms: { Main: [event] } };
  return JSON.stringify({ schedule: { conference: { acronym: 'x', days: [day] } } });
}

async function scheduleState(url: string, tz?: string) {
  const journal = new Journal(':memory:');
  onTestFinished(() => journal.close());
  const published: Schedule[] = [];
  const outputs = new Outputs(
    {
      publish: (topic, payload) => {
        if (!topic.endsWith('/schedule')) return;
        const decoded = decodePayload('schedule', payload);
        if (decoded.success) published.push(decoded.data);
      },
    },
    'test',
  );
  const state = new ScheduleState({
    event: 'test',
    file: undefined,
    tz,
    remote: { url, dataDir: await tempDir('likebox-schedule-url-'), everyMs: 50 },
    journal,
    outputs,
    log: pino({ level: 'silent' }),
    loader: loadSchedule,
    fold: applyDelay,
    onChange: () => undefined,
  });
  onTestFinished(() => state.stop());
  return { state, published };
}

describe('ScheduleState with a programme URL', () => {
  it('publishes the fetched programme, then a changed one with the stored delays folded in', async () => {
    // Prepare
    const served = { status: 200, body: JSON.stringify(schedule('Talk one')) };
    const { state, published } = await scheduleState(await programmeServer(served));

    // Act
    await state.start();
    state.applyDelay('amphi', 10, START - 60_000);
    served.body = JSON.stringify(schedule('Talk one, renamed'));
    await eventually(() => (published.length >= 3 ? true : undefined), 5000);

    // Assess
    expect(published.map((s) => s.talks[0]?.title)).toEqual([
      'Talk one',
      'Talk one',
      'Talk one, renamed',
    ]);
    expect(published[2]).toEqual(
      applyDelay(schedule('Talk one, renamed'), 'amphi', 10, START - 60_000),
    );
    expect(state.remote).toMatchObject({ lastError: null, lastGood: { etag: expect.any(String) } });
  });

  it('reads a programme naming no zone in LIKEBOX_SCHEDULE_TZ, and asks for it when unset', async () => {
    // Prepare
    const url = await programmeServer({ status: 200, body: zonelessFrab() });
    const withTz = await scheduleState(url, 'Europe/Paris');
    const without = await scheduleState(url);

    // Act
    await withTz.state.start();
    const refused = without.state.start();

    // Assess
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow('set LIKEBOX_SCHEDULE_TZ=ZONE');
    expect(withTz.published[0]?.timeZone).toBe('Europe/Paris');
    const start = Date.parse(withTz.published[0]?.talks[0]?.start ?? '');
    expect(new Date(start).toISOString()).toBe('2030-06-11T08:00:00.000Z');
  });

  it('refuses to start when the URL fails and no copy is kept', async () => {
    // Prepare
    const url = await programmeServer({ status: 502, body: 'Bad Gateway' });
    const { state } = await scheduleState(url);

    // Act
    const act = state.start();

    // Assess
    await expect(act).rejects.toThrow(ConfigError);
    await expect(act).rejects.toThrow(url);
  });
});
