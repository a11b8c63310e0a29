import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type BoxProcess, FAST_GATE, PRESS_GAP_MS, startBoxProcess } from '@likebox/device/testing';
import type { Status } from '@likebox/protocol';
import { eventually } from '@likebox/runtime/testing';
import { LIKEBOX } from '@likebox/server/testing';
import { type Identity, identity } from './counts.js';

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
  readonly process: BoxProcess;
  /** Presses `n` times (like and dislike in turn); returns how many it confirmed. */
  press(n: number): Promise<number>;
  /** Its status document (`GET /status`). */
  status(): Promise<Status & { lastSeq: number }>;
  /** Waits until its outbox is empty: every vote acknowledged by the ingest. */
  drained(timeoutMs?: number): Promise<void>;
  /** Starts the process again (after a kill or a stop), same data folder. */
  restart(): Promise<void>;
}

/** `likebox device` as the suite runs it: the CLI, event `demo`, fast gate, 3 s keepalive. */
function spawnBox(options: BoxOptions): Promise<BoxProcess> {
  const env = {
    ...{ LIKEBOX_EVENT: 'demo', LIKEBOX_KEEPALIVE_S: '3', ...FAST_GATE },
    ...(options.clockSkewMs
      ? {
          FAULT_CLOCK_SKEW_MS: String(options.clockSkewMs),
          NODE_OPTIONS: `--import=${SKEWED_CLOCK}`,
        }
      : {}),
  };
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const { id, dir, url } = options;
  return startBoxProcess({ id, dir, url, password: PASSWORD, env, argv: [LIKEBOX, 'device'] });
}

/** Starts a box process; killed when the test finishes. */
export async function startBox(options: BoxOptions): Promise<FaultBox> {
  const confirmed = new Set<Identity>();
  let running = await spawnBox(options);
  const box: FaultBox = {
    options,
    confirmed,
    get process() {
      return running;
    },
    async press(n) {
      let counted = 0;
      for (let i = 0; i < n; i += 1) {
        const vote = await running.click(i % 3 === 0 ? 'dislike' : 'like');
        if (vote !== null) {
          confirmed.add(identity(options.id, vote.epoch, vote.seq));
          counted += 1;
        }
        await sleep(PRESS_GAP_MS); // no chord with the next press
      }
      return counted;
    },
    status: () => running.status(),
    async drained(timeoutMs = 90_000) {
      try {
        await eventually(
          async () => ((await box.status()).outbox === 0 ? true : undefined),
          timeoutMs,
        );
      } catch (err) {
        // What the box said last, so that a failed scenario tells why its outbox did not empty.
        const last = running.logs.slice(-8).map((e) => JSON.stringify(e));
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
