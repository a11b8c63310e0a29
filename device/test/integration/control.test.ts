import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ControlServer } from '../../src/control.js';
import { tempDir, virtualBox } from '../helpers/rig.js';

const CLI = fileURLToPath(new URL('../../../server/bin/likebox.js', import.meta.url));

async function control(env: Record<string, string> = {}) {
  const dir = tempDir();
  const rig = await virtualBox(dir, 'mqtt://127.0.0.1:1', env);
  const server = new ControlServer(rig.buttons, rig.box, rig.io, 13, pino({ level: 'silent' }));
  const port = await server.listen(0, '127.0.0.1');
  onTestFinished(() => server.close());
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  return { ...rig, url };
}

describe('ControlServer', () => {
  it('answers 200 with the vote, lights the LED and shows the thanks when a button is clicked', async () => {
    // Prepare
    const { url } = await control();
    // Act
    const res = await fetch(url('/buttons/like/click'), { method: 'POST' });
    const body = await res.json();
    const led = await (await fetch(url('/led'))).json();
    const lcd = await (await fetch(url('/lcd'))).text();
    // Assess
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ counted: { seq: 1, value: 1 } });
    expect(led).toEqual({ on: true });
    expect(lcd.split('\n')[0]).toBe('Merci ! +1      ');
  });

  it('answers 409 with the reason when a held button is pressed again without a stable release', async () => {
    // Prepare: a long re-arm time, so the machine's load cannot make the release look stable
    const { url } = await control({ LIKEBOX_RELEASE_MS: '5000' });
    await fetch(url('/buttons/dislike/press'), { method: 'POST' });
    await fetch(url('/buttons/dislike/release'), { method: 'POST' });
    await new Promise((r) => setTimeout(r, 15)); // Johnny-Five reports the release after 7 ms
    // Act
    const res = await fetch(url('/buttons/dislike/click'), { method: 'POST' });
    // Assess
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ ignored: 'not-armed' });
  });

  it('answers /healthz with 503 and the reason when the broker is away', async () => {
    // Prepare: the rig's broker URL points at a closed port
    const { url } = await control();
    // Act
    const res = await fetch(url('/healthz'));
    // Assess
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'degraded',
      checks: {
        mqtt: { status: 'degraded', connected: false, reason: expect.stringContaining('outbox') },
        outbox: { status: 'ok', depth: 0 },
      },
    });
  });

  it('refuses a GET on a button and answers 404 on an unknown path', async () => {
    // Prepare
    const { url } = await control();
    // Act
    const statuses = [
      (await fetch(url('/buttons/like/click'))).status,
      (await fetch(url('/nope'))).status,
    ];
    // Assess
    expect(statuses).toEqual([405, 404]);
  });
});

describe('likebox device', () => {
  it('lists every configuration problem and exits 1 when the configuration is invalid', () => {
    // Act
    const run = spawnSync(process.execPath, [CLI, 'device', '--io', 'gpio', '--lcd', '8x1'], {
      env: { PATH: process.env.PATH },
      cwd: tempDir(),
      encoding: 'utf8',
    });
    // Assess
    expect(run.status).toBe(1);
    for (const key of ['LIKEBOX_DEVICE_ID', 'LIKEBOX_IO', 'LIKEBOX_LCD'])
      expect(run.stderr).toContain(key);
  });
});
