import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';

/** A JSON log line of a process, parsed. */
export type LogEntry = { msg?: string; [key: string]: unknown };

/** A command running as a process of its own, logging JSON lines (pino) on stdout. */
export interface LoggedProcess {
  /** The process. */
  child: ChildProcessWithoutNullStreams;
  /** Its JSON log lines so far, parsed. */
  logs: LogEntry[];
  /** The log entry it was ready with. */
  ready: LogEntry;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Resolves with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, and waits for the exit (SIGKILL after 30 s). */
  stop(): Promise<void>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
}

/** Options of {@link startLoggedProcess}. */
export interface LoggedProcessOptions {
  /** Its environment, exactly (PATH is added). */
  env: Record<string, string>;
  /** Its working folder. */
  cwd: string;
  /** True for the log entry that says it is ready. */
  ready: (entry: LogEntry) => boolean;
}

/**
 * Runs `node ...argv` and resolves once it logged an entry `ready` accepts, or rejects (with its
 * stderr) when it exits first. Killed after the test.
 */
export async function startLoggedProcess(
  argv: readonly string[],
  options: LoggedProcessOptions,
): Promise<LoggedProcess> {
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    cwd: options.cwd,
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    if (gone()) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  onTestFinished(() => end('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const logs: LogEntry[] = [];
  const ready = await new Promise<LogEntry>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return; // pino's JSON lines only
      const entry = JSON.parse(line) as LogEntry;
      logs.push(entry);
      if (options.ready(entry)) resolve(entry);
    });
  });
  return {
    ...{ child, logs, ready, exited },
    stderr: () => stderr,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
