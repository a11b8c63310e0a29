/// <reference lib="dom" />
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodePayload, topics } from '@likebox/protocol';
import { tempDir } from '@likebox/runtime/testing';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LIKEBOX, ROOT, type RunningUpProcess, startUpProcess, upEnv } from '../../src/testing.js';
import { useChromium } from '../support/chromium.js';

const run = promisify(execFile);
const EVENT = 'organised';
const MIN = 60_000;
/** The passwords of the accounts (the users command refuses weak ones). */
const ORGANISER_PASSWORD = 'amber-lighthouse-quay-57';
const BOX_PASSWORD = 'quiet-harbour-lantern-42';
/** Screenshots: gitignored, kept by CI as artifacts. */
const ARTIFACTS = join(ROOT, 'test-artifacts', 'organiser');

/** `t1` in amphi ended 30 min ago (its window closed 15 min after), `t2` starts in 30 min. */
function programme(end: number) {
  const iso = (at: number) => new Date(at).toISOString();
  const talk = (id: string, start: number, stop: number) => ({
    ...{ id, room: 'amphi', start: iso(start), end: iso(stop), title: `Talk ${id}` },
    ...{ speakers: [`Speaker of ${id}`], format: 'Conférence', votable: true },
  });
  return {
    ...{ version: 1, event: EVENT, name: 'Organiser view', timeZone: 'Europe/Paris' },
    rooms: [{ slug: 'amphi', name: 'Amphi' }],
    talks: [talk('t1', end - 60 * MIN, end), talk('t2', end + 60 * MIN, end + 105 * MIN)],
  };
}

/** A `likebox up` with an organiser account, and box-1 connected. */
async function organisedEvent(
  end: number,
): Promise<{ up: RunningUpProcess; box: mqtt.MqttClient }> {
  const dataDir = await tempDir('likebox-organiser-');
  const scheduleFile = join(dataDir, 'schedule.json');
  await writeFile(scheduleFile, JSON.stringify(programme(end)));
  const env = upEnv(dataDir, {
    ...{ LIKEBOX_EVENT: EVENT, LIKEBOX_SCHEDULE_FILE: scheduleFile, LIKEBOX_INFLUXD: 'off' },
  });
  for (const [name, role, password] of [
    ['organiser', 'organiser', ORGANISER_PASSWORD],
    ['box-1', 'device', BOX_PASSWORD],
  ] as const) {
    const add = [LIKEBOX, 'users', 'add', name, '--role', role, '--password', password];
    await run(process.execPath, add, { env, cwd: dataDir });
  }
  const up = await startUpProcess(env);
  const box = await mqtt.connectAsync(up.summary.mqttUrl, {
    ...{ protocolVersion: 4, username: 'box-1', password: BOX_PASSWORD, clientId: 'box-1-e1' },
  });
  onTestFinished(() => box.endAsync());
  return { up, box };
}

/**
 * The room's exit, 12 votes 5 s apart from 15 min after `end`: a burst late enough for the ingest's
 * `room-late` notice (ARCHITECTURE.md, "Notices"); values alternate 10 s apart, under the 20 s
 * pace of the `steady` misuse rule, so no misuse notice comes with it.
 */
async function lateExit(box: mqtt.MqttClient, end: number): Promise<void> {
  for (let seq = 1; seq <= 12; seq++) {
    const value = seq % 2 === 0 ? 1 : -1;
    const at = end + 15 * MIN + seq * 5000;
    const payload = encodePayload('vote', {
      seq,
      epoch: 'e1',
      value,
      at,
      room: 'amphi',
      synced: true,
    });
    await box.publishAsync(topics.vote(EVENT, 'box-1'), payload, { qos: 1 });
  }
}

describe('the organiser page on likebox up', { timeout: 180_000 }, () => {
  const browser = useChromium(ARTIFACTS);

  async function open(up: RunningUpProcess): Promise<Page> {
    const origin = new URL(up.summary.httpUrl).origin;
    const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    onTestFinished(() => {
      expect(errors, 'errors in the page').toEqual([]);
    });
    await page.goto(`${origin}/organiser`);
    await page.waitForSelector('[data-role="login"]:not([hidden])');
    return page;
  }

  async function login(page: Page, username: string, password: string): Promise<void> {
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', password);
    await page.click('button[type="submit"]');
  }

  it('lists a late room raised by real votes with its command to copy, keeps the login on reload, and drops the notice once the delay is declared', async () => {
    // Prepare
    const end = Date.now() - 30 * MIN;
    const { up, box } = await organisedEvent(end);
    const page = await open(up);

    // Act
    await login(page, 'organiser', ORGANISER_PASSWORD);
    await page.waitForFunction(() =>
      document.querySelector('[data-role="status"]')?.textContent?.startsWith('No active notice'),
    );
    await lateExit(box, end);
    const notice = page.locator('[data-notice="room-late-amphi"]');
    await notice.waitFor({ timeout: 60_000 });
    await notice.locator('[data-role="copy"]').click();
    await page.waitForFunction(
      () => document.querySelector('[data-role="copy"]')?.textContent === 'Copied',
    );
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    await page.screenshot({ path: join(ARTIFACTS, 'organiser-room-late.png') });
    await page.reload();
    await page.locator('[data-notice="room-late-amphi"]').waitFor();
    const loginShownAfterReload = await page.locator('[data-role="login"]').isVisible();
    const organiser = await mqtt.connectAsync(up.summary.mqttUrl, {
      ...{ protocolVersion: 4, username: 'organiser', password: ORGANISER_PASSWORD },
    });
    onTestFinished(() => organiser.endAsync());
    const delay = encodePayload('delay', { minutes: 15, at: end });
    await organiser.publishAsync(topics.delay(EVENT, 'amphi'), delay, { qos: 1 });
    await page.locator('[data-notice="room-late-amphi"]').waitFor({ state: 'detached' });

    // Assess
    const suggestion = `likebox schedule delay amphi 15 --at ${new Date(end).toISOString()}`;
    expect(copied).toBe(suggestion);
    expect(loginShownAfterReload).toBe(false);
    await expect(page.locator('[data-role="status"]').textContent()).resolves.toMatch(
      /^No active notice · as organiser/,
    );
  });

  it('says so when the password is wrong or the account is not an organiser, and shows no notice', async () => {
    // Prepare
    const { up } = await organisedEvent(Date.now() - 30 * MIN);
    const page = await open(up);

    // Act
    await login(page, 'organiser', 'not-the-password');
    await page.waitForSelector('[data-role="status"][data-refused="true"]');
    const wrongPassword = await page.locator('[data-role="status"]').textContent();
    await page.screenshot({ path: join(ARTIFACTS, 'organiser-refused.png') });
    await login(page, 'box-1', BOX_PASSWORD);
    await page.waitForFunction(() =>
      document.querySelector('[data-role="status"]')?.textContent?.includes('not an organiser'),
    );
    const stored = await page.evaluate(() => sessionStorage.length);

    // Assess
    expect(wrongPassword).toBe(
      'Login refused: no organiser account with this user name and password.',
    );
    await expect(page.locator('[data-role="login"]').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-notice]').count()).resolves.toBe(0);
    expect(stored).toBe(0);
  });
});
