import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodePayload, SchedulePayload, topics } from '@likebox/protocol';
import { eventually, tempDir } from '@likebox/runtime/testing';
import mqtt from 'mqtt';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LIKEBOX, startUpProcess, upEnv } from '../../src/testing.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LAUNCHER = join(ROOT, 'infra', 'pi', 'likebox-kiosk.sh');
/** Screenshots of the room display: `test-artifacts/kiosk/` at the repository root (gitignored). */
const ARTIFACTS = join(ROOT, 'test-artifacts', 'kiosk');
const run = promisify(execFile);
const BOX = { device: 'box-kiosk', password: 'Kiosk-box-pw-5e1f09c2' };
const ORGANISER = { user: 'orga', password: 'Orga-pw-8d27b4e6a1' };

/** The launcher with Debian's Chromium headless instead of cage, its DevTools on a free port. */
function startKiosk(env: NodeJS.ProcessEnv, profile: string) {
  const browser = [
    '/usr/bin/chromium',
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--window-size=1920,1080',
    '--remote-debugging-port=0',
    `--user-data-dir=${profile}`,
  ].join(' ');
  const child = spawn(LAUNCHER, [], { env: { ...env, LIKEBOX_KIOSK_BROWSER: browser } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  });
  return { child, exited, log: () => stderr };
}

/** The page the launcher's browser shows at `path`, over the DevTools port it wrote in its profile. */
function shownPage(profile: string, path: string): Promise<{ browser: Browser; page: Page }> {
  return eventually(async () => {
    const port = (await readFile(join(profile, 'DevToolsActivePort'), 'utf8')).split('\n')[0];
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    const page = browser
      .contexts()[0]
      ?.pages()
      .find((p) => new URL(p.url()).pathname === path);
    if (page) return { browser, page };
    await browser.close();
    return undefined;
  }, 60_000);
}

async function assign(mqttUrl: string, room: string): Promise<void> {
  const client = await mqtt.connectAsync(mqttUrl, {
    protocolVersion: 4,
    username: ORGANISER.user,
    password: ORGANISER.password,
  });
  await client.publishAsync(topics.config('demo', BOX.device), encodePayload('config', { room }), {
    qos: 1,
    retain: true,
  });
  await client.endAsync();
}

async function addUser(env: NodeJS.ProcessEnv, name: string, role: string, password: string) {
  await run(
    process.execPath,
    [LIKEBOX, 'users', 'add', name, '--role', role, '--password', password],
    {
      env,
      cwd: env.LIKEBOX_DATA_DIR,
    },
  );
}

describe('infra/pi/likebox-kiosk.sh', { timeout: 180_000 }, () => {
  it("shows the box's assigned room, follows a new assignment, and exits when the browser dies", async () => {
    // Prepare
    const dataDir = await tempDir('likebox-kiosk-');
    const profile = await tempDir('likebox-kiosk-profile-');
    const env = upEnv(dataDir, { LIKEBOX_INFLUXD: 'off' });
    const up = await startUpProcess(env);
    await addUser(env, BOX.device, 'device', BOX.password);
    await addUser(env, ORGANISER.user, 'organiser', ORGANISER.password);
    const schedule = SchedulePayload.parse(
      JSON.parse(await readFile(up.summary.scheduleFile!, 'utf8')),
    );
    const [first, second] = schedule.rooms;
    await assign(up.summary.mqttUrl, first!.slug);
    await mkdir(ARTIFACTS, { recursive: true });
    const kioskEnv = {
      PATH: process.env.PATH,
      LIKEBOX_KIOSK_URL: up.summary.httpUrl,
      LIKEBOX_EVENT: 'demo',
      LIKEBOX_DEVICE_ID: BOX.device,
      LIKEBOX_MQTT_URL: up.summary.mqttUrl,
      LIKEBOX_MQTT_PASSWORD: BOX.password,
    };

    // Act
    const kiosk = startKiosk(kioskEnv, profile);
    const shown = await shownPage(profile, `/rooms/${first!.slug}`);
    await shown.page.waitForSelector('[data-role="room-name"]:not(:empty)');
    await shown.page.screenshot({ path: join(ARTIFACTS, 'kiosk-room.png') });
    const firstName = await shown.page.locator('[data-role="room-name"]').textContent();
    await shown.browser.close();
    await assign(up.summary.mqttUrl, second!.slug);
    const moved = await shownPage(profile, `/rooms/${second!.slug}`);
    await moved.page.waitForSelector('[data-role="room-name"]:not(:empty)');
    await moved.page.screenshot({ path: join(ARTIFACTS, 'kiosk-room-moved.png') });
    const secondName = await moved.page.locator('[data-role="room-name"]').textContent();
    const session = await moved.browser.newBrowserCDPSession();
    await session.send('Browser.close').catch(() => undefined);
    const code = await kiosk.exited;

    // Assess
    expect(firstName).toBe(first!.name);
    expect(secondName).toBe(second!.name);
    expect(kiosk.log()).toContain(`showing ${up.summary.httpUrl}rooms/${first!.slug}`);
    expect(kiosk.log()).toContain(`room ${second!.slug} assigned (was ${first!.slug})`);
    expect(kiosk.log()).toContain('the browser exited');
    expect(code).toBe(1);
  });

  it('shows every room without a box account', async () => {
    // Prepare
    const dataDir = await tempDir('likebox-kiosk-');
    const profile = await tempDir('likebox-kiosk-profile-');
    const up = await startUpProcess(upEnv(dataDir, { LIKEBOX_INFLUXD: 'off' }));
    const env = { PATH: process.env.PATH, LIKEBOX_KIOSK_URL: up.summary.httpUrl };

    // Act
    const kiosk = startKiosk(env, profile);
    const shown = await shownPage(profile, '/');

    // Assess
    await shown.page.waitForSelector('body');
    await shown.browser.close();
    expect(kiosk.log()).toContain('no box account');
    expect(kiosk.log()).toContain(`showing ${up.summary.httpUrl}`);
  });
});
