import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { onTestFinished } from 'vitest';
import type { CommandIo } from './commandIo.js';

/*
 * Helpers shared by the tests of every workspace (`@likebox/runtime/testing`). Imported only by
 * tests, never by a command: it needs vitest.
 */

/** A temp folder removed when the test finishes. */
export async function tempDir(prefix = 'likebox-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Polls `check` every 100 ms until it returns something other than undefined, and returns that;
 * throws after `timeoutMs` with the last error `check` threw, if any.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/**
 * The `authorization` header of HTTP Basic for `user` and `password` (RFC 7617), UTF-8 encoded as
 * the API announces (`charset="UTF-8"`): what an organiser's client or an InfluxDB v1 client sends.
 */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** A {@link CommandIo} for running a command in a test, and what the command wrote. */
export interface TestIo {
  /** Pass it as `main(argv, { io })`. */
  io: CommandIo;
  /** Everything written on stdout so far (JSON logs included). */
  stdout(): string;
  /** Everything written on stderr so far. */
  stderr(): string;
  /** The JSON log lines so far, parsed. */
  logs(): Record<string, unknown>[];
  /** Sends the command its SIGINT. */
  signal(): void;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Streams, environment and signals for running a command in process: `env` is the whole
 * environment (nothing of the test's own), `cwd` where `.env` is looked for (default: a folder
 * that has none), `stdin` what the command reads.
 */
export function testIo(
  options: { env?: Record<string, string>; cwd?: string; stdin?: string; now?: number } = {},
): TestIo {
  const out = collector();
  const err = collector();
  let fire: () => void = () => undefined;
  const signalled = new Promise<void>((resolve) => {
    fire = resolve;
  });
  const io: CommandIo = {
    env: { ...options.env },
    // Default: this module's folder, which never holds a .env.
    cwd: options.cwd ?? import.meta.dirname,
    stdin: Readable.from([options.stdin ?? '']),
    stdout: out.stream,
    stderr: err.stream,
    now: () => options.now ?? Date.now(),
    untilSignal: () => signalled,
  };
  return {
    io,
    stdout: out.text,
    stderr: err.text,
    logs: () =>
      out
        .text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    signal: () => fire(),
  };
}

export {
  canMountTmpfs,
  diskDir,
  mountTmpfs,
  startTcpProxy,
  type TcpProxy,
  type TmpfsDisk,
} from './testingFaults.js';
export { connectPacket, type RawConnack, rawConnect } from './testingMqtt.js';
export {
  type LogEntry,
  type LoggedProcess,
  type LoggedProcessOptions,
  startLoggedProcess,
} from './testingProcess.js';
