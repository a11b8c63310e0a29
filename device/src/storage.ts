import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { DeviceError } from './errors.js';
import type { Outbox } from './outbox.js';

/**
 * Whether the box can write its outbox: `ok`; `full` (SQLite answered SQLITE_FULL: no space left
 * on the SD card, or the outbox reached its size cap); `error` (any other SQLite I/O failure: a
 * read-only remount, a failing card). The box refuses presses while it is not `ok`.
 */
export type StorageState = 'ok' | 'full' | 'error';

/** A write to the outbox failed; {@link state} says how. The write had no effect. */
export class StorageError extends DeviceError {
  /** `full` or `error`. */
  readonly state: Exclude<StorageState, 'ok'>;

  constructor(state: Exclude<StorageState, 'ok'>, options?: ErrorOptions) {
    super(state === 'full' ? 'outbox storage is full' : 'outbox storage failed', options);
    this.state = state;
  }
}

/**
 * The storage state a failed SQLite call stands for, or null when `err` is not a SQLite error (a
 * bug: it must not be taken for a disk problem). better-sqlite3 sets `code` to SQLite's extended
 * result code name, e.g. `SQLITE_FULL`, `SQLITE_IOERR_WRITE`, `SQLITE_READONLY`.
 */
export function storageStateOf(err: unknown): Exclude<StorageState, 'ok'> | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  return code === 'SQLITE_FULL' ? 'full' : 'error';
}

/**
 * Caches a retained document in the outbox file; on a full or failing storage the box keeps it
 * in memory only, and says so.
 */
export function cacheRetained(outbox: Outbox, log: Logger, key: string, value: unknown): void {
  try {
    outbox.cacheSet(key, value);
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
    log.warn({ key, storage: err.state }, 'not cached: outbox storage failed');
  }
}

/** Creates the file (and its folder) private to the box's user: 0600 in 0700. */
export function createPrivate(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // SQLite creates a database 0644 and gives its -wal and -shm files the database's mode: make
  // the file first, 0600, so all three are private. An existing file is narrowed the same way.
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}
