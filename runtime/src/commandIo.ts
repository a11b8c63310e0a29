import { writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { isatty } from 'node:tty';
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
  /** Whether that output is a terminal (`LIKEBOX_LOG_FORMAT=auto` then logs readable lines). */
  isTerminal?(to: 'stdout' | 'stderr'): boolean;
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

/**
 * Most log bytes held while the log's destination cannot take them (a full disk, a reader that
 * went away); beyond, lines are dropped rather than kept in memory.
 */
export const LOG_BUFFER_BYTES = 1024 * 1024;

/**
 * pino's own destination on `fd` (sonic-boom, synchronous: the last lines before an exit are
 * written, and faster than the process.stdout stream), made so that a log that cannot be written
 * never ends the process. sonic-boom emits `error` when a write fails (ENOSPC: the log file's disk
 * is full; EPIPE: the reader of a pipe went away), and an `error` event nobody listens to kills
 * the process: handled here, said once on the other standard stream (which may still work), and
 * the lines waiting are kept up to {@link LOG_BUFFER_BYTES} and written once it works again
 * (sonic-boom retries the failed chunk at the next line).
 */
export function logDestination(fd: 1 | 2): DestinationStream {
  const destination = pino.destination({ fd, sync: true, maxLength: LOG_BUFFER_BYTES });
  let failing = false;
  destination.on('error', (err: NodeJS.ErrnoException) => {
    if (failing) return;
    failing = true;
    const line = `likebox: log output failed (${err.code ?? err.message}); lines are held, then dropped, until it works\n`;
    try {
      writeSync(fd === 1 ? 2 : 1, line);
    } catch {
      // Both outputs fail: nothing left to tell; the process goes on.
    }
  });
  destination.on('write', () => {
    failing = false;
  });
  return destination;
}

/**
 * Writes to process.stdout/stderr (a command's results, `--help`) that fail (EPIPE: `likebox
 * users list | head -1`) are dropped: an unhandled `error` on them would end the process.
 */
function ignoreOutputErrors(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) stream.on('error', () => undefined);
  }
}

/** The {@link CommandIo} of this process: its environment, streams, signals and exit. */
export function processIo(): CommandIo {
  ignoreOutputErrors();
  let signalled: Promise<void> | undefined;
  return {
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => Date.now(),
    logStream: (to) => logDestination(to === 'stderr' ? 2 : 1),
    isTerminal: (to) => isatty(to === 'stderr' ? 2 : 1),
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
