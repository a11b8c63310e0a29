import { ConfigError } from '@likebox/runtime';
import { runDelay } from './cliDelay.js';
import { runImport } from './cliImport.js';
import type { CliIo, ExitCode } from './cliIo.js';
import { runWindows } from './cliWindows.js';
import { ScheduleError, ScheduleImportError } from './errors.js';

/** Help of `likebox schedule`. */
export const SCHEDULE_HELP = `Usage: likebox schedule <subcommand> [options]     (--help on each)

  import FILE [--format F] [--tz ZONE] [--out FILE]
        programme (BreizhCamp, frab XML/JSON, pretalx, Sessionize) → normalised schedule JSON
  delay ROOM MINUTES
        declare that a room runs late (published as an organiser over MQTT)
  windows FILE [--room ROOM]
        print a room's vote windows`;

const SUBCOMMANDS: Readonly<Record<string, (argv: string[], io: CliIo) => Promise<ExitCode>>> = {
  import: runImport,
  delay: runDelay,
  windows: runWindows,
};

function isExpected(err: unknown): err is Error {
  return (
    err instanceof ScheduleImportError ||
    err instanceof ScheduleError ||
    err instanceof ConfigError ||
    (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) ||
    err instanceof RangeError
  );
}

/**
 * Runs `likebox schedule …` against injected I/O and returns the exit code: expected failures
 * (bad file, bad flags, broker refusal) are printed on `err`, never thrown.
 */
export async function runSchedule(argv: string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(`${SCHEDULE_HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  const run = SUBCOMMANDS[name];
  if (run === undefined) {
    io.err(`likebox schedule: unknown subcommand "${name}"\n\n${SCHEDULE_HELP}\n`);
    return 2;
  }
  try {
    return await Promise.race([run(rest, io), io.stopped.then((): ExitCode => 1)]);
  } catch (err) {
    if (!isExpected(err)) throw err;
    io.err(`likebox schedule ${name}: ${err.message}\n`);
    return err instanceof TypeError || err instanceof RangeError ? 2 : 1;
  }
}

/** `likebox schedule`: the command function registered in `src/cli.ts`. */
export async function schedule(argv: string[]): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const stopped = new Promise<void>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve()),
  );
  try {
    process.exitCode = await runSchedule(argv, {
      env: process.env,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      now: () => Date.now(),
      stopped,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: Record<string, (argv: string[]) => Promise<void>> = { schedule };
