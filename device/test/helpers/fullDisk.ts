import { rmSync } from 'node:fs';
import { canMountTmpfs, diskDir, mountTmpfs } from '@likebox/runtime/testing';
import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import type { OutboxOptions } from '../../src/outbox.js';

/** A folder whose storage a test can fill up and give back. */
export interface FullDisk {
  /** `tmpfs` (a real full filesystem, as root: CI) or `page-cap` (a capped database otherwise). */
  kind: 'tmpfs' | 'page-cap';
  /** Where the outbox goes. */
  dir: string;
  /** Options the outbox must be opened with. */
  outboxOptions: OutboxOptions;
  /** Takes every free byte (again): a write that needs new space then fails with SQLITE_FULL. */
  fill(outboxFile: string): void;
  /** Gives the space back. */
  free(): void;
}

/** Size of the tmpfs, and the database cap when not root: room for a few thousand votes. */
const SIZE_BYTES = 512 * 1024;

/** The real full filesystem of `@likebox/runtime/testing`: the outbox needs no options there. */
function tmpfs(dir: string): FullDisk {
  const disk = mountTmpfs(dir, SIZE_BYTES);
  return {
    kind: 'tmpfs',
    dir,
    outboxOptions: {},
    fill: () => disk.fill(),
    free: () => disk.free(),
  };
}

/**
 * Without root: the outbox is capped (`PRAGMA max_page_count` through `maxBytes`) and a second
 * connection, capped alike, fills the database with a table of blobs until SQLite answers
 * SQLITE_FULL; dropping the table puts its pages on the free list for the outbox to reuse.
 */
function pageCap(dir: string): FullDisk {
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  let filler: Database.Database | null = null;
  return {
    kind: 'page-cap',
    dir,
    outboxOptions: { maxBytes: SIZE_BYTES },
    fill(outboxFile) {
      const db = new Database(outboxFile);
      filler = db;
      onTestFinished(() => {
        db.close();
      });
      const pages = Math.floor(SIZE_BYTES / (db.pragma('page_size', { simple: true }) as number));
      db.pragma(`max_page_count = ${pages}`);
      db.exec('CREATE TABLE IF NOT EXISTS filler (b BLOB NOT NULL)');
      const insert = db.prepare('INSERT INTO filler (b) VALUES (zeroblob(?))');
      for (const size of [1000, 100, 10]) {
        try {
          for (;;) insert.run(size);
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
        }
      }
    },
    free() {
      filler?.exec('DROP TABLE filler');
    },
  };
}

/**
 * A {@link FullDisk}: a real tmpfs when root (as CI runs), a page cap otherwise.
 * `LIKEBOX_TEST_FULL_DISK=page-cap` takes the unprivileged way as root too, to check it.
 */
export function fullDisk(): FullDisk {
  const dir = diskDir('likebox-full-');
  return canMountTmpfs() ? tmpfs(dir) : pageCap(dir);
}
