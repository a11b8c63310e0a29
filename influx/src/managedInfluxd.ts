import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfluxError } from './errors.js';

/** Options of {@link startManagedInfluxd}. */
export interface ManagedInfluxdOptions {
  /** Folder for meta, data, WAL and the generated config; created when missing. */
  dataDir: string;
  /** Address the HTTP API binds to. Default `127.0.0.1`: a managed influxd is never reachable from outside. */
  host?: string;
  /** HTTP API port; 0 or absent = a free port. */
  port?: number;
  /** The influxd executable. Default `influxd` from PATH (Debian's `influxdb` package). */
  executable?: string;
  /** How long to wait for `/ping` to answer, in ms. Default 15,000. */
  startTimeoutMs?: number;
}

/** A running influxd started by {@link startManagedInfluxd}. */
export interface ManagedInfluxd {
  /** Base URL of the v1 HTTP API, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The HTTP API port. */
  port: number;
  /** The child process. */
  process: ChildProcess;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Thrown when influxd is missing, exits early or never answers `/ping`. */
export class InfluxdStartError extends InfluxError {}

/** A TCP port that was free a moment ago on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new InfluxdStartError('no free port');
  return address.port;
}

// influxd 1.x config: every listener on loopback (the RPC port defaults to 0.0.0.0-less 8088 and
// would clash between instances), no phone-home, no self-monitoring database, quiet logs.
function influxdConfig(dataDir: string, host: string, httpPort: number, rpcPort: number): string {
  return [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]',
    `  dir = "${join(dataDir, 'meta')}"`,
    '[data]',
    `  dir = "${join(dataDir, 'data')}"`,
    `  wal-dir = "${join(dataDir, 'wal')}"`,
    '  query-log-enabled = false',
    '[monitor]',
    '  store-enabled = false',
    '[http]',
    `  bind-address = "${host}:${httpPort}"`,
    '  log-enabled = false',
    '[logging]',
    '  level = "warn"',
    '',
  ].join('\n');
}

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops an influxd left running on `dataDir` by a parent that was killed (SIGKILL, power loss of
 * the terminal): it would hold the data folder's lock and the new one would never answer. Only a
 * process whose command line names this folder's config is touched, so a recycled pid is safe.
 */
async function stopOrphan(pidFile: string, configPath: string): Promise<void> {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('influxd') || !cmdline.includes(configPath)) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; alive(pid) && waited < 5000; waited += 50) await sleep(50);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new InfluxdStartError(
        `influxd exited early (code ${child.exitCode ?? child.signalCode})`,
      );
    }
    try {
      const response = await fetch(`${url}/ping`);
      if (response.status === 204) return;
    } catch {
      // Not listening yet: keep polling.
    }
    await sleep(25);
  }
  throw new InfluxdStartError(`influxd did not answer ${url}/ping within ${timeoutMs} ms`);
}

/**
 * Starts a private influxd 1.x (Debian's `influxdb` package) with its data in `dataDir`, bound to
 * loopback on a free port, and resolves once its HTTP API answers. Used by `likebox up` when no
 * `LIKEBOX_INFLUX_URL` is given, and by the integration tests.
 */
export async function startManagedInfluxd(options: ManagedInfluxdOptions): Promise<ManagedInfluxd> {
  const host = options.host ?? '127.0.0.1';
  const port =
    options.port !== undefined && options.port !== 0 ? options.port : await freePort(host);
  const rpcPort = await freePort();
  await mkdir(options.dataDir, { recursive: true });
  const configPath = join(options.dataDir, 'influxdb.conf');
  const pidFile = join(options.dataDir, 'influxd.pid');
  await stopOrphan(pidFile, configPath);
  await writeFile(configPath, influxdConfig(options.dataDir, host, port, rpcPort));
  const child = spawn(options.executable ?? 'influxd', ['run', '-config', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    // events.once rejects with the 'error' event's error (ENOENT, EACCES) before 'spawn' fires.
    await once(child, 'spawn');
  } catch (err) {
    throw new InfluxdStartError(`cannot run influxd: ${(err as Error).message}`, { cause: err });
  }
  await writeFile(pidFile, `${child.pid}\n`);
  const url = `http://${host}:${port}`;
  try {
    await waitForPing(url, child, options.startTimeoutMs ?? 15_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new InfluxdStartError(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  const stop = async () => {
    await stopChild(child);
    await rm(pidFile, { force: true });
  };
  return { url, port, process: child, stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
