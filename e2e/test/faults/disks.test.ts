import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { canMountTmpfs, diskDir, eventually, mountTmpfs, tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { startBox } from './boxes.js';
import { report } from './counts.js';
import { writeRow } from './results.js';
import { fileInfluxd, settle } from './rig.js';
import { upServer } from './server.js';

const influx = fileInfluxd();

/** Why a full-disk row did not run: a tmpfs needs root (CI runs as root). */
function skippedRow(scenario: 'full disk on a box' | 'full disk on the server'): void {
  const note = 'not run: mounting a tmpfs needs root (LIKEBOX_TEST_FULL_DISK=page-cap or not root)';
  writeRow({ scenario, confirmed: 0, journal: 0, influx: 0, lost: 0, doubled: 0, note });
}

describe('fault suite: full disks (a small tmpfs, as root)', () => {
  it('full disk on a box', async () => {
    if (!canMountTmpfs()) return skippedRow('full disk on a box');
    // Prepare: the box's data folder is an 8 MiB tmpfs: room for SQLite's WAL, which grows to
    // about 4 MB (1,000 pages) before its automatic checkpoint, as it may on a real SD card
    const dir = await tempDir('likebox-fault-');
    const server = await upServer({
      dir,
      influxUrl: influx.url,
      database: 'box_disk',
      boxes: ['box-1'],
    });
    const disk = mountTmpfs(diskDir('likebox-fault-box-disk-'), 8 * 1024 * 1024);
    const box = await startBox({ id: 'box-1', dir: disk.dir, url: server.url });
    await box.press(20);

    // Act: the SD card fills up; presses are refused (never a "Merci !"); the space comes back
    disk.fill();
    const whileFull = await box.press(20);
    const storage = (await box.status()).storage;
    disk.free();
    await eventually(async () => ((await box.status()).storage === 'ok' ? true : undefined));
    await box.press(20);

    // Assess
    expect(storage).toBe('full');
    expect(box.process.child.exitCode).toBeNull();
    const counts = await settle(server, [box]);
    const refused = 20 - whileFull;
    report(
      'full disk on a box',
      counts,
      `${refused} presses refused while full (LCD: disk full), box kept running`,
    );
  });

  it('full disk on the server', async () => {
    if (!canMountTmpfs()) return skippedRow('full disk on the server');
    // Prepare: `up`'s data folder (journal, users) is an 8 MiB tmpfs (room for the journal's WAL)
    const dir = await tempDir('likebox-fault-');
    const disk = mountTmpfs(diskDir('likebox-fault-server-disk-'), 8 * 1024 * 1024);
    const server = await upServer({
      ...{ dir, dataDir: disk.dir, influxUrl: influx.url, database: 'server_disk' },
      boxes: ['box-1'],
    });
    const box = await startBox({ id: 'box-1', dir: join(dir, 'box-1'), url: server.url });
    await box.press(20);
    await box.drained();

    // Act: the journal's disk fills up while the box keeps pressing; then the space comes back
    disk.fill();
    await box.press(60);
    await sleep(2000);
    const health = await fetch(server.healthUrl());
    const waiting = (await box.status()).outbox;
    disk.free();

    // Assess: the votes waited in the box's outbox, not acknowledged, until the journal could commit
    expect(health.status).toBe(503);
    expect(waiting).toBeGreaterThan(0);
    const counts = await settle(server, [box]);
    report(
      'full disk on the server',
      counts,
      `/healthz 503 while full; ${waiting} votes waited on the box`,
    );
  });
});
