import type Database from 'better-sqlite3';
import { IngestError } from './errors.js';

/**
 * The journal's schema version (`PRAGMA user_version`): 2 = votes and acks keyed by epoch; 3 = a
 * vote's misuse `flag` and the organisers' `headcounts`.
 */
export const SCHEMA_VERSION = 3;

/** The votes: one row per (event, device, epoch, seq), row ids contiguous (nothing is deleted). */
const VOTES = `
CREATE TABLE votes (
  id INTEGER PRIMARY KEY,
  event TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL,
  value INTEGER NOT NULL, at INTEGER NOT NULL, box_at INTEGER NOT NULL, received INTEGER NOT NULL,
  room TEXT NOT NULL, talk TEXT NOT NULL,
  epoch TEXT NOT NULL DEFAULT '',
  flag TEXT
);
CREATE UNIQUE INDEX votes_identity ON votes (event, device, epoch, seq);
`;

/** The ack watermark of each (event, device, epoch). */
const ACKS = `
CREATE TABLE acks (
  event TEXT NOT NULL, device TEXT NOT NULL, epoch TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL,
  PRIMARY KEY (event, device, epoch)
) WITHOUT ROWID;
`;

/** The other tables, the same in every version. */
const OTHERS = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY, received INTEGER NOT NULL, topic TEXT NOT NULL, reason TEXT NOT NULL,
  payload BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS delays (
  event TEXT NOT NULL, room TEXT NOT NULL, minutes INTEGER NOT NULL, since INTEGER NOT NULL,
  PRIMARY KEY (event, room)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS headcounts (
  event TEXT NOT NULL, talk TEXT NOT NULL, count INTEGER NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (event, talk)
) WITHOUT ROWID;
`;

/** Thrown when a journal file was written by a newer LikeBox than this one. */
export class JournalVersionError extends IngestError {}

function hasTable(db: Database.Database, name: string): boolean {
  const row = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  return row !== undefined;
}

/**
 * Version 1 → 2: votes and acks gain `epoch` (`''`, the legacy epoch, for every row there), and a
 * vote's identity becomes (event, device, epoch, seq). SQLite cannot drop the old
 * `UNIQUE (event, device, seq)` of version 1 (an index behind a constraint cannot be dropped), so
 * both tables are rebuilt as sqlite.org/lang_altertable.html#otheralter describes: new table, copy
 * (row ids kept: the InfluxDB high-water mark refers to them), drop, rename. Measured on this
 * machine (2 cores): 1,000,000 votes in 2.2–2.3 s, once (synchronous FULL).
 */
function migrateFromV1(db: Database.Database): void {
  db.exec(
    VOTES.replace('CREATE TABLE votes', 'CREATE TABLE votes_v2').replace(
      'votes_identity ON votes',
      'votes_identity ON votes_v2',
    ),
  );
  db.exec(`INSERT INTO votes_v2 (id, event, device, epoch, seq, value, at, box_at, received, room, talk)
           SELECT id, event, device, '', seq, value, at, box_at, received, room, talk FROM votes`);
  db.exec('DROP TABLE votes; ALTER TABLE votes_v2 RENAME TO votes');
  db.exec(ACKS.replace('CREATE TABLE acks', 'CREATE TABLE acks_v2'));
  db.exec(
    `INSERT INTO acks_v2 (event, device, epoch, seq) SELECT event, device, '', seq FROM acks`,
  );
  db.exec('DROP TABLE acks; ALTER TABLE acks_v2 RENAME TO acks');
}

/**
 * Version 2 → 3: a vote gains `flag`, the reason the ingest set it aside as likely misuse (NULL: a
 * counted vote; flagged votes stay in the journal and out of the public figures). A nullable column
 * with no default is added in place (no rebuild); `headcounts` comes with {@link OTHERS}.
 */
function migrateFromV2(db: Database.Database): void {
  db.exec('ALTER TABLE votes ADD COLUMN flag TEXT');
}

/**
 * Brings the journal to {@link SCHEMA_VERSION}, in one transaction: creates a new journal, migrates
 * one made by an earlier version in place, refuses one made by a later version. Returns the version
 * the file had (0 for a new file).
 */
export function migrateJournal(db: Database.Database, file: string): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > SCHEMA_VERSION) {
    throw new JournalVersionError(
      `journal ${file} has schema version ${found}, newer than this ingest's ${SCHEMA_VERSION}: ` +
        'run the LikeBox version that wrote it, or start on a new journal file',
    );
  }
  if (found === SCHEMA_VERSION) return found;
  // Version 1 files never set user_version: a votes table is what tells them from a new file.
  const before = found > 0 ? found : hasTable(db, 'votes') ? 1 : 0;
  db.transaction(() => {
    if (before === 0) db.exec(VOTES + ACKS);
    if (before === 1) migrateFromV1(db);
    if (before === 2) migrateFromV2(db);
    db.exec(OTHERS);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return before;
}
