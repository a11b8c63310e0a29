import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { commands as brokerCommands } from '@likebox/broker/cli';
import { commands as dashboardsCommands } from '@likebox/dashboards/cli';
import { commands as deviceCommands } from '@likebox/device/cli';
import { commands as ingestCommands } from '@likebox/ingest/cli';
import type { Command, LeafCommand } from '@likebox/runtime';
import { commands as scheduleCommands } from '@likebox/schedule/cli';
import { commands as upCommands } from '../../src/cli.js';

/** The `likebox` command. */
export const LIKEBOX = fileURLToPath(new URL('../../bin/likebox.js', import.meta.url));

/** Every top-level command `likebox` dispatches to, as the workspaces define them. */
export const TOP_LEVEL: readonly Command[] = [
  ...upCommands,
  ...brokerCommands,
  ...ingestCommands,
  ...deviceCommands,
  ...scheduleCommands,
  ...dashboardsCommands,
];

/** A command that runs (not a group), and the arguments that take it past its own checks. */
export interface Leaf {
  command: LeafCommand<unknown, unknown>;
  /** Its words after `likebox`: `['schedule', 'import']`. */
  path: string[];
  /** Positional arguments it needs. */
  args: string[];
}

const ARGS: Record<string, string[]> = {
  users: ['list'],
  'schedule import': ['programme.json'],
  'schedule delay': ['groix', '5', '--no-publish'],
  'schedule windows': ['programme.json'],
  'results headcount': ['talk-1', '12'],
};

/** Every command that runs: each top-level command, and each subcommand of a group. */
export const LEAVES: readonly Leaf[] = TOP_LEVEL.flatMap((command) =>
  (command.subcommands ?? [command]).map((leaf) => ({
    command: leaf as LeafCommand<unknown, unknown>,
    path: leaf.name.split(' '),
    args: ARGS[leaf.name] ?? [],
  })),
);

/** Output of a finished `likebox` process, whatever its exit code. */
export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `likebox …argv` in `cwd` with `env` and nothing of the test's own `LIKEBOX_*` variables.
 */
export async function likebox(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Finished> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('LIKEBOX_')),
  );
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [LIKEBOX, ...argv], {
      cwd,
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
