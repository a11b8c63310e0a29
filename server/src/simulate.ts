import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Schedule } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { NeededUser } from './credentials.js';
import { ServerError } from './errors.js';

/** Device ids of the simulated boxes are `sim-box-1` … `sim-box-N`. */
export const SIM_PREFIX = 'sim-box';

/** The `likebox` command of this installation. */
const LIKEBOX = fileURLToPath(new URL('../bin/likebox.js', import.meta.url));

/** How long the boxes get to stop after SIGTERM before they are killed. */
const STOP_GRACE_MS = 10_000;

/** The device accounts of `count` simulated boxes; they share the first one's password. */
export function simulatedBoxUsers(count: number): NeededUser[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${SIM_PREFIX}-${i + 1}`,
    role: 'device' as const,
    ...(i === 0 ? {} : { sameAs: `${SIM_PREFIX}-1` }),
  }));
}

/** Options of {@link startSimulatedBoxes}. */
export interface SimulatedBoxesOptions {
  /** Number of boxes. */
  count: number;
  /** Event slug. */
  event: string;
  /** The broker of this process, as the boxes reach it. */
  mqttUrl: string;
  /** The password the device accounts share. */
  password: string;
  /** Data folder: the boxes keep their outboxes in `sim/`, their programme in `sim-schedule.json`. */
  dataDir: string;
  /** The programme: the boxes stand in its rooms with talks, rooms with a vote open first. */
  schedule: Schedule;
  /** `likebox sim` variables passed on (scenarios, seed, timings). */
  simEnv: Record<string, string>;
  /** pino level of the boxes. */
  logLevel: string;
  /** `LIKEBOX_LOG_FORMAT` of the boxes (they share this process's output). */
  logFormat: string;
  /** Logger. */
  logger: Logger;
}

/** Running simulated boxes. */
export interface SimulatedBoxes {
  /** Stops the boxes (SIGTERM, then SIGKILL after a grace period) and waits for them. */
  stop(): Promise<void>;
}

/**
 * Throws a {@link ServerError} saying so when this installation has no box code: the server image
 * leaves out `@likebox/device` (Johnny-Five, serialport), which `likebox sim` runs.
 */
function assertBoxCodeInstalled(): void {
  try {
    import.meta.resolve('@likebox/device/cli');
  } catch (err) {
    throw new ServerError(
      'simulated boxes need the box code (@likebox/device), which this installation does not have ' +
        '(the server image leaves it out): run them with `likebox sim` where it is installed',
      { cause: err },
    );
  }
}

/**
 * Runs `likebox sim` as a child process: real boxes (Johnny-Five on a virtual IO, VoteGate,
 * durable outbox, MQTT) with exit-crowd bursts when talks end, and one burst at once so the live
 * page moves from the first second. A process of its own, so the server never loads the box code
 * and does not depend on it; its JSON logs go to this process's output. The child gets only the
 * variables it needs, so none of the server's own settings leak into the boxes; it stops when this
 * process closes its IPC channel (a crashed server leaves no boxes behind).
 */
export async function startSimulatedBoxes(options: SimulatedBoxesOptions): Promise<SimulatedBoxes> {
  assertBoxCodeInstalled();
  const scheduleFile = join(options.dataDir, 'sim-schedule.json');
  await writeFile(scheduleFile, JSON.stringify(options.schedule));
  const args = [LIKEBOX, 'sim', '--boxes', String(options.count), '--sim-prefix', SIM_PREFIX];
  const child = spawn(process.execPath, [...args, '--schedule', scheduleFile, '--burst-now'], {
    env: {
      PATH: process.env.PATH,
      LIKEBOX_EVENT: options.event,
      LIKEBOX_DATA_DIR: options.dataDir,
      LIKEBOX_MQTT_URL: options.mqttUrl,
      LIKEBOX_MQTT_PASSWORD: options.password,
      LIKEBOX_LOG_LEVEL: options.logLevel,
      LIKEBOX_LOG_FORMAT: options.logFormat,
      ...options.simEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  await Promise.race([
    once(child, 'spawn'),
    exited.then(([code]) => {
      throw new ServerError(`likebox sim exited at once (code ${code})`);
    }),
  ]);
  options.logger.info({ pid: child.pid, boxes: options.count }, 'simulated boxes started');
  return { stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown[]>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
