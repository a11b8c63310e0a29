import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { UpSummary } from './up.js';

/*
 * Helpers for tests that run `likebox up` as a process (`@likebox/server/testing`): imported only by
 * tests, never by a command (it needs vitest).
 */

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `likebox` command. */
export const LIKEBOX = join(ROOT, 'server', 'bin', 'likebox.js');

/** Free ports everywhere, a private data folder, nothing from the caller's LIKEBOX_* variables. */
export function upEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('LIKEBOX_')),
  );
  return {
    ...env,
    LIKEBOX_DATA_DIR: dataDir,
    LIKEBOX_MQTT_PORT: '0',
    LIKEBOX_WS_PORT: '0',
    LIKEBOX_HTTP_PORT: '0',
    ...extra,
  };
}

/** A `likebox up` process started by {@link startUpProcess}. */
export interface RunningUpProcess {
  /** The process. */
  child: ChildProcess;
  /** The `likebox up ready` log entry. */
  summary: UpSummary;
  /** The human summary line `up` prints on stderr. */
  summaryLine: string;
  /** Resolves with the exit code and every JSON log message. */
  exited: Promise<{ code: number | null; messages: string[] }>;
}

/** Spawns `likebox up` and resolves once it logged `likebox up ready`. */
export async function startUpProcess(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<RunningUpProcess> {
  const child = spawn(process.execPath, [LIKEBOX, 'up', ...args], { env, cwd: ROOT });
  // A failed test still stops it with SIGTERM, so its managed influxd is stopped too.
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(timer);
  });
  const messages: string[] = [];
  let stderr = '';
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, messages }));
  const failed = exited.then(({ code }) => {
    throw new Error(`likebox up exited ${code}: ${stderr}`);
  });
  // The summary line goes to stderr after the ready log goes to stdout: two pipes, no order
  // between them, so each is awaited on its own.
  const summaryLine = new Promise<string>((resolve) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('\n')) resolve(stderr.split('\n')[0] ?? '');
    });
  });
  const ready = new Promise<UpSummary>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return; // only pino's JSON lines matter here
      const entry = JSON.parse(line) as { msg: string } & UpSummary;
      messages.push(entry.msg);
      if (entry.msg === 'likebox up ready') resolve(entry);
    });
  });
  const [summary, line] = await Promise.race([Promise.all([ready, summaryLine]), failed]);
  return { child, summary, summaryLine: line, exited };
}
