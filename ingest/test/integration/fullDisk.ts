import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { canMountTmpfs, diskDir, mountTmpfs } from '@likebox/runtime/testing';
import { onTestFinished } from 'vitest';
import { Journal } from '../../src/journal.js';

/** A folder for a journal whose storage a test can fill up and give back. */
export interface FullDisk {
  /** `tmpfs` (a real full filesystem, as root: CI) or `page-cap` (a capped journal otherwise). */
  kind: 'tmpfs' | 'page-cap';
  /** Where the journal goes. */
  dir: string;
  /** The journal to hand to `startIngest` (page-cap), or undefined to let it open its own. */
  journal: Journal | undefined;
  /** Takes every free byte: the journal's next write that needs new space fails (SQLITE_FULL). */
  fill(): void;
  /** Gives the space back. */
  free(): void;
}

/** Size of the tmpfs: the journal's tables and WAL, a log file, and a few thousand votes. */
const SIZE_BYTES = 2 * 1024 * 1024;

/** The real full filesystem of `@likebox/runtime/testing`: the ingest opens its own journal there. */
function tmpfs(dir: string): FullDisk {
  const disk = mountTmpfs(dir, SIZE_BYTES);
  return {
    kind: 'tmpfs',
    dir,
    journal: undefined,
    fill: () => disk.fill(),
    free: () => disk.free(),
  };
}

/**
 * Without root: the journal is capped at the pages it holds (`PRAGMA max_page_count`, the
 * journal's `setMaxBytes`), so its next new page fails with SQLITE_FULL as on a full disk; the
 * cap is lifted to give the space back.
 */
function pageCap(dir: string, file: string): FullDisk {
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const journal = new Journal(join(dir, file), 'normal');
  return {
    kind: 'page-cap',
    dir,
    journal,
    fill: () => journal.setMaxBytes(journal.sizeBytes()),
    free: () => journal.setMaxBytes(undefined),
  };
}

/**
 * A {@link FullDisk} for a journal named `file`: a real tmpfs when root (as CI runs), a page cap
 * otherwise. `LIKEBOX_TEST_FULL_DISK=page-cap` takes the unprivileged way as root too, to check it.
 */
export function fullDisk(file: string): FullDisk {
  const dir = diskDir('likebox-journal-full-');
  return canMountTmpfs() ? tmpfs(dir) : pageCap(dir, file);
}
