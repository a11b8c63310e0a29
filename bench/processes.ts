/** Child processes of the benchmarks: started with the shipped settings, watched through /proc. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { PRODUCTION_ENV } from './processSettings.js';

/**
 * Spawns `node ...args` with the shipped process settings and `env`; resolves with the child and
 * the first stdout line matching `ready`.
 */
export async function spawnLine(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<[ChildProcess, string]> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...PRODUCTION_ENV, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    lines.on('line', (l) => {
      if (ready.test(l)) resolve(l);
    });
  });
  return [child, line];
}

/** The node flags in environment variable `name` (`BENCH_UP_FLAGS=--cpu-prof ...`), split. */
export function nodeFlags(name: string): string[] {
  return (process.env[name] ?? '').split(' ').filter((flag) => flag !== '');
}

/** SIGTERM, then waits for the exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Peak resident memory of a process so far, MB (`VmHWM`). */
export async function peakRss(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) a process has used so far, ms (`/proc/PID/stat`, 100 ticks/s). */
export async function cpuMs(pid: number | undefined): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
