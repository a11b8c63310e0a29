import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Status, Vote } from '@likebox/protocol';
import { eventually } from '@likebox/runtime/testing';
import { type Identity, identity } from './counts.js';
import { type CommandProcess, spawnLikebox } from './processes.js';

/** Password of every account of the suite. */
export const PASSWORD = 'fault-suite-password-1';

/** Preload that moves a process's wall clock by `FAULT_CLOCK_SKEW_MS` (the box's clock only). */
const SKEWED_CLOCK = fileURLToPath(new URL('./skewedClock.mjs', import.meta.url));

/** Options of a box process. */
export interface BoxOptions {
  /** Its device id (also its MQTT user). */
  id: string;
  /** Its data folder (the outbox, as on its SD card). */
  dir: string;
  /** The broker it talks to (the server, or a proxy in front of it). */
  url: string;
  /** How far its wall clock is off, in ms (default 0). */
  clockSkewMs?: number;
}

/** A real box process (`likebox device`, virtual IO, HTTP control) and what it confirmed. */
export interface FaultBox {
  /** Its options. */
  readonly options: BoxOptions;
  /** Identities of every press it confirmed to the attendee, over all its lives. */
  readonly confirmed: Set<Identity>;
  /** The running process. */
  readonly process: CommandProcess;
  /** Presses `n` times (like and dislike in turn); returns how many it confirmed. */
  press(n: number): Promise<number>;
  /** Its status document (`GET /status`). */
  status(): Promise<Status & { lastSeq: number }>;
  /** Waits until its outbox is empty: every vote acknowledged by the ingest. */
  drained(timeoutMs?: number): Promise<void>;
  /** Starts the process again (after a kill or a stop), same data folder. */
  restart(): Promise<void>;
}

/** Gate timings that let the suite press quickly: the contact still goes through the gate. */
const FAST_GATE = { LIKEBOX_PRESS_MS: '2', LIKEBOX_RELEASE_MS: '2', LIKEBOX_MIN_INTERVAL_MS: '0' };

async function spawnBox(options: BoxOptions): Promise<{ process: CommandProcess; port: number }> {
  const env = {
    ...{ LIKEBOX_EVENT: 'demo', LIKEBOX_DEVICE_ID: options.id, LIKEBOX_ROOM: 'amphi' },
    ...{ LIKEBOX_MQTT_URL: options.url, LIKEBOX_MQTT_PASSWORD: PASSWORD },
    ...{ LIKEBOX_DATA_DIR: options.dir, LIKEBOX_CONTROL_PORT: '0', LIKEBOX_BOOT_MS: '100' },
    ...{ LIKEBOX_ACK_TIMEOUT_S: '2', LIKEBOX_KEEPALIVE_S: '3', ...FAST_GATE },
    ...(options.clockSkewMs
      ? {
          FAULT_CLOCK_SKEW_MS: String(options.clockSkewMs),
          NODE_OPTIONS: `--import=${SKEWED_CLOCK}`,
        }
      : {}),
  };
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const ready = (e: { msg?: string }) => e.msg === 'virtual box control listening';
  const process = await spawnLikebox('device', env, options.dir, ready);
  await sleep(200); // past the boot guard
  return { process, port: Number(process.ready.port) };
}

/** Starts a box process; killed when the test finishes. */
export async function startBox(options: BoxOptions): Promise<FaultBox> {
  const confirmed = new Set<Identity>();
  let running = await spawnBox(options);
  const control = (path: string, init?: RequestInit) =>
    fetch(`http://127.0.0.1:${running.port}${path}`, init);
  const box: FaultBox = {
    options,
    confirmed,
    get process() {
      return running.process;
    },
    async press(n) {
      let counted = 0;
      for (let i = 0; i < n; i += 1) {
        const res = await control(`/buttons/${i % 3 === 0 ? 'dislike' : 'like'}/click`, {
          method: 'POST',
        });
        const body = (await res.json()) as { counted?: Vote };
        if (res.status === 200 && body.counted !== undefined) {
          confirmed.add(identity(options.id, body.counted.epoch, body.counted.seq));
          counted += 1;
        }
        await sleep(15); // Johnny-Five reports a release 7 ms late: no chord with the next press
      }
      return counted;
    },
    status: async () => (await (await control('/status')).json()) as Status & { lastSeq: number },
    async drained(timeoutMs = 90_000) {
      try {
        await eventually(
          async () => ((await box.status()).outbox === 0 ? true : undefined),
          timeoutMs,
        );
      } catch (err) {
        // What the box said last, so that a failed scenario tells why its outbox did not empty.
        const last = running.process.logs.slice(-8).map((e) => JSON.stringify(e));
        const status = JSON.stringify(await box.status());
        throw new Error(`${options.id}: ${String(err)}\nstatus ${status}\n${last.join('\n')}`);
      }
    },
    async restart() {
      running = await spawnBox(options);
    },
  };
  return box;
}
