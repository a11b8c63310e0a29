import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { LIKEBOX } from '@likebox/server/testing';
import { onTestFinished } from 'vitest';

/** A `likebox` command running as a process of its own. */
export interface CommandProcess {
  /** The process. */
  child: ChildProcess;
  /** Its JSON log lines so far, parsed. */
  logs: Array<{ msg?: string; [key: string]: unknown }>;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Resolves with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, and waits for the exit (SIGKILL after 30 s). */
  stop(): Promise<void>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Spawns `likebox <command>` with exactly `env` (plus PATH) in `cwd`, and resolves once it logged
 * `ready` (the log entry is returned with it), or rejects when it exits first. Killed after the
 * test.
 */
export async function spawnLikebox(
  command: string,
  env: Record<string, string>,
  cwd: string,
  ready: (entry: { msg?: string; [key: string]: unknown }) => boolean,
): Promise<CommandProcess & { ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [LIKEBOX, command], {
    env: { PATH: process.env.PATH ?? '', LIKEBOX_LOG_LEVEL: 'info', ...env },
    cwd,
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (signal: NodeJS.Signals) => {
    if (gone()) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  onTestFinished(() => stop('SIGKILL'));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const logs: CommandProcess['logs'] = [];
  const entry = await new Promise<Record<string, unknown>>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`likebox ${command} exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return; // pino's JSON lines only
      const parsed = JSON.parse(line) as { msg?: string };
      logs.push(parsed);
      if (ready(parsed)) resolve(parsed);
    });
  });
  return {
    ...{ child, logs, exited, ready: entry },
    stderr: () => stderr,
    stop: () => stop('SIGTERM'),
    kill: () => stop('SIGKILL'),
  };
}
