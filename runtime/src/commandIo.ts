import type { Readable, Writable } from 'node:stream';
import { type DestinationStream, type Logger, pino } from 'pino';
import { untilSignal } from './signals.js';

/**
 * What a command talks to. A process passes its own ({@link processIo}); a test passes streams
 * and an environment of its own and runs the command in process.
 */
export interface CommandIo {
  /** The environment: `.env` is read into it (a variable already set wins). */
  env: Record<string, string | undefined>;
  /** The working directory, where `.env` is looked for. */
  cwd: string;
  /** Standard input (`likebox users` reads a password there; a TTY gets a prompt). */
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Standard output: results, `--help`, and the JSON logs of a command that logs. */
  stdout: Writable;
  /** Standard error: messages for a person. */
  stderr: Writable;
  /** The current time, epoch ms. */
  now(): number;
  /** Where the JSON logs go; default `stdout` or `stderr` itself. */
  logStream?(to: 'stdout' | 'stderr'): DestinationStream;
  /** Resolves on the first SIGINT/SIGTERM, listening from the first call on. */
  untilSignal(log: Logger): Promise<void>;
  /**
   * Called once the command has finished and stopped its parts, with its exit code: a process
   * exits at once when `exitNow`, else after {@link EXIT_GRACE_MS} if something stays open.
   */
  afterStop?(log: Logger, code: number, exitNow: boolean): void;
}

/** How long a stopped process may take to exit on its own, ms. */
export const EXIT_GRACE_MS = 5000;

/**
 * Every part is stopped, so the process should end as the event loop drains. A handle some
 * library leaves open (seen once in a while in CI right after `likebox up`'s simulated boxes
 * started: the process logged `stopped` and never exited) would keep it running until SIGKILL,
 * or a systemd or Docker stop timeout: after {@link EXIT_GRACE_MS} it exits anyway, naming what
 * was still open. The timer is unref'd: it never delays a normal exit.
 */
export function exitAfterGrace(log: Logger, graceMs = EXIT_GRACE_MS): void {
  setTimeout(() => {
    log.warn({ open: process.getActiveResourcesInfo() }, 'still running after stop: exiting');
    process.exit();
  }, graceMs).unref();
}

/** The {@link CommandIo} of this process: its environment, streams, signals and exit. */
export function processIo(): CommandIo {
  let signalled: Promise<void> | undefined;
  return {
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => Date.now(),
    // pino's own destination (sonic-boom on the file descriptor): synchronous, so the last lines
    // before an exit are written, and faster than the process.stdout stream.
    logStream: (to) => pino.destination({ fd: to === 'stderr' ? 2 : 1, sync: true }),
    untilSignal: (log) => {
      signalled ??= untilSignal(log);
      return signalled;
    },
    afterStop: (log, code, exitNow) => {
      process.exitCode = code;
      if (exitNow) process.exit();
      else exitAfterGrace(log);
    },
  };
}
