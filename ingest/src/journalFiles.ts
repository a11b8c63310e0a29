import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { IngestError } from './errors.js';

/** Thrown when another process has the journal open. */
export class JournalInUseError extends IngestError {}

/** Who holds a journal, as its lock file says. */
export interface JournalHolder {
  /** Process id. */
  pid: number;
  /** Host name. */
  host: string;
  /** When it opened the journal, epoch ms. */
  since: number;
}

/** The files SQLite keeps beside a database in WAL mode (the `-shm` one only outside exclusive mode). */
const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Owner read and write only: the journal holds every box's votes and the raw dead letters. */
const FILE_MODE = 0o600;

/**
 * Creates the journal's folder (0700, when it has to create it: an existing folder keeps its mode)
 * and the journal file, 0600, before SQLite opens it: SQLite creates its `-wal` file with the mode
 * of the database file, so that one is 0600 too. An existing journal (and its side files) is set
 * to 0600 as well: journals from before this rule were 0644.
 */
export function prepareJournalFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', FILE_MODE));
  for (const path of [file, ...SIDE_FILES.map((suffix) => file + suffix)]) {
    try {
      chmodSync(path, FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** The lock file naming the journal's holder: `<journal>.lock`. */
export function lockFileOf(file: string): string {
  return `${file}.lock`;
}

function readHolder(file: string): JournalHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockFileOf(file), 'utf8')) as JournalHolder;
  } catch {
    return undefined;
  }
}

function inUse(file: string, cause: unknown): JournalInUseError {
  const holder = readHolder(file);
  const who =
    holder === undefined
      ? 'another process'
      : `process ${holder.pid} on ${holder.host} (since ${new Date(holder.since).toISOString()})`;
  return new JournalInUseError(
    `journal ${file} is in use by ${who}: one ingest per journal. Stop it first, or give this ` +
      'one its own LIKEBOX_JOURNAL_FILE (and its own event)',
    { cause },
  );
}

/**
 * Locks the journal for this connection until it closes: SQLite's exclusive locking mode, entered
 * before WAL mode, takes the database file's lock at the first transaction and never releases it
 * (sqlite.org/pragma.html#pragma_locking_mode), and keeps the WAL index in the process's memory
 * (no `-shm` file). The operating system releases the lock when the process dies, so a crash
 * leaves no stale lock behind. A second opener, in this process or another, gets SQLITE_BUSY:
 * {@link JournalInUseError}, naming the holder from `<journal>.lock` (written here; the lock file
 * only names the holder, the lock itself is SQLite's).
 */
export function lockJournal(db: Database.Database, file: string, memory: boolean): void {
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw inUse(file, err);
    throw err;
  }
  if (memory) return;
  const holder: JournalHolder = { pid: process.pid, host: hostname(), since: Date.now() };
  try {
    writeFileSync(lockFileOf(file), `${JSON.stringify(holder)}\n`, { mode: FILE_MODE });
  } catch {
    // Only a name for a refusal message (a full disk must not stop the start): the lock is SQLite's.
  }
}

/** Removes the lock file (the lock itself goes with the connection). */
export function unlockJournal(file: string): void {
  rmSync(lockFileOf(file), { force: true });
}
