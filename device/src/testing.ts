import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Status, Vote } from '@likebox/protocol';
import { type LoggedProcess, startLoggedProcess } from '@likebox/runtime/testing';

/*
 * Real box processes for tests (`@likebox/device/testing`): the device's own tests and the
 * end-to-end suites start a box, press its buttons through its HTTP control and read its status.
 * Imported only by tests, never by a command: it needs vitest (through `@likebox/runtime/testing`).
 */

/**
 * The box's built entry point: `node <BOX_MAIN>` runs what `likebox device` runs. Named from the
 * package's folder, so it is the same from `dist/testing.js` and from this source (the device's
 * own tests import it).
 */
export const BOX_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** The log message a virtual box writes once its HTTP control listens (with its `port`). */
export const CONTROL_LISTENING = 'virtual box control listening';

/**
 * Gate timings that let a test press quickly: the contact still goes through the gate. Leave
 * {@link PRESS_GAP_MS} between clicks: Johnny-Five reports a release 7 ms late, and a press of
 * the other button before that is a chord.
 */
export const FAST_GATE = {
  LIKEBOX_PRESS_MS: '2',
  LIKEBOX_RELEASE_MS: '2',
  LIKEBOX_MIN_INTERVAL_MS: '0',
} as const;

/** Pause between two clicks with {@link FAST_GATE}: Johnny-Five's 7 ms filter, then re-arming. */
export const PRESS_GAP_MS = 15;

/** The boot guard of a test box (`LIKEBOX_BOOT_MS`): presses before its end are not counted. */
const TEST_BOOT_MS = 100;

/** A box's button. */
export type BoxButton = 'like' | 'dislike';

/** Options of {@link startBoxProcess}. */
export interface BoxProcessOptions {
  /** Its data folder (the outbox, as on its SD card), also its working folder. */
  dir: string;
  /** The broker it talks to. */
  url: string;
  /** Its MQTT password. */
  password: string;
  /** Its device id, also its MQTT user (default `box-1`). */
  id?: string;
  /** Its room (default `amphi`). */
  room?: string;
  /** More variables, over the defaults (event, timings…). */
  env?: Record<string, string>;
  /** The command to run with node (default `[BOX_MAIN]`; the e2e suites run `likebox device`). */
  argv?: readonly string[];
}

/** A real box process (virtual IO, HTTP control on a free port), killed after the test. */
export interface BoxProcess extends LoggedProcess {
  /** Port of its HTTP control. */
  port: number;
  /** Clicks a button through the HTTP control: the vote when it counted, else null. */
  click(button: BoxButton): Promise<Vote | null>;
  /** Its status document (`GET /status`). */
  status(): Promise<Status & { lastSeq: number }>;
}

function boxEnv(options: BoxProcessOptions): Record<string, string> {
  return {
    ...{ LIKEBOX_DEVICE_ID: options.id ?? 'box-1', LIKEBOX_ROOM: options.room ?? 'amphi' },
    ...{ LIKEBOX_MQTT_URL: options.url, LIKEBOX_MQTT_PASSWORD: options.password },
    ...{ LIKEBOX_DATA_DIR: options.dir, LIKEBOX_CONTROL_PORT: '0' },
    ...{ LIKEBOX_BOOT_MS: String(TEST_BOOT_MS), LIKEBOX_ACK_TIMEOUT_S: '2' },
    LIKEBOX_LOG_LEVEL: 'info',
    ...options.env,
  };
}

/**
 * Starts a real box process in `dir` with exactly the variables of `options` (plus PATH) and
 * resolves once its HTTP control listens and its boot guard is over. Killed after the test.
 */
export async function startBoxProcess(options: BoxProcessOptions): Promise<BoxProcess> {
  const box = await startLoggedProcess(options.argv ?? [BOX_MAIN], {
    ...{ env: boxEnv(options), cwd: options.dir },
    ready: (entry) => entry.msg === CONTROL_LISTENING && typeof entry.port === 'number',
  });
  const port = Number(box.ready.port);
  await sleep(TEST_BOOT_MS + 100); // past the boot guard
  const control = (path: string, init?: RequestInit) =>
    fetch(`http://127.0.0.1:${port}${path}`, init);
  return {
    ...box,
    port,
    async click(button) {
      const res = await control(`/buttons/${button}/click`, { method: 'POST' });
      const body = (await res.json()) as { counted?: Vote };
      return res.status === 200 && body.counted !== undefined ? body.counted : null;
    },
    status: async () => (await (await control('/status')).json()) as Status & { lastSeq: number },
  };
}
