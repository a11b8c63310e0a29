import { type LogEntry, type LoggedProcess, startLoggedProcess } from '@likebox/runtime/testing';
import { LIKEBOX } from '@likebox/server/testing';

/** A `likebox` command running as a process of its own. */
export type CommandProcess = LoggedProcess;

/**
 * Spawns `likebox <command>` with exactly `env` (plus PATH) in `cwd`, and resolves once it logged
 * `ready` (the log entry is returned with it), or rejects when it exits first. Killed after the
 * test.
 */
export function spawnLikebox(
  command: string,
  env: Record<string, string>,
  cwd: string,
  ready: (entry: LogEntry) => boolean,
): Promise<CommandProcess> {
  return startLoggedProcess([LIKEBOX, command], {
    ...{ env: { LIKEBOX_LOG_LEVEL: 'info', ...env }, cwd },
    ready,
  });
}
