import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import { fullDisk } from './fullDisk.js';
import { eventually, startTestBroker, startTestInfluxd, tempDir, testConfig } from './harness.js';
import { influxSeqs, journalSeqs, lossAndDoubles, range, testBox } from './scenario.js';

const NONE = { lost: 0, doubled: 0, missing: 0, extra: 0 };

describe('a full disk under the journal', () => {
  it('confirms nothing and answers 503 while the journal cannot store, then takes every vote by itself once space returns', async () => {
    // Prepare
    const disk = fullDisk('journal.sqlite');
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const influxd = await startTestInfluxd(dir);
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_JOURNAL_FILE: join(disk.dir, 'journal.sqlite'),
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'full',
    });
    const ingest = await startIngest(config, { journal: disk.journal });
    onTestFinished(() => ingest.stop());
    const box = await testBox(broker.mqttUrl, 'box-1', 'k3v9x0a1b2c4');
    await box.publish(1, 10);
    await eventually(async () => (box.confirmed() === 10 ? true : undefined));

    // Act: the disk fills up; the box goes on voting.
    disk.fill();
    const sent = box.publish(11, 300);
    await eventually(async () => (ingest.health().journal.storage.ok ? undefined : true));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const whileFull = ingest.health();
    const confirmedWhileFull = box.confirmed();
    const healthz = await fetch(`${ingest.httpUrl}/healthz`);
    const metrics = await (await fetch(`${ingest.httpUrl}/metrics`)).text();
    disk.free();
    await sent; // The broker's PUBACKs to the box: the broker has the votes, not the journal.
    await eventually(async () => (box.confirmed() === 310 ? true : undefined));
    await eventually(async () => (ingest.health().journal.pending === 0 ? true : undefined));
    const recovered = await fetch(`${ingest.httpUrl}/healthz`);
    await ingest.stop();

    // Assess
    expect(confirmedWhileFull).toBe(10);
    expect(whileFull.journal.waiting).toBe(300);
    expect(healthz.status).toBe(503);
    const document = (await healthz.json()) as { checks: { journal: Record<string, unknown> } };
    expect(document.checks.journal).toMatchObject({ status: 'failing' });
    expect(document.checks.journal.reason).toMatch(/cannot store votes .*SQLITE_FULL/);
    expect(metrics).toMatch(/likebox_ingest_journal_storage_failing 1/);
    expect(metrics).toMatch(/likebox_ingest_pubacks_held 300/);
    expect(metrics).toMatch(/likebox_ingest_journal_commit_failures_total\{code="SQLITE_FULL"\}/);
    expect(recovered.status).toBe(200);
    const stored = journalSeqs(config.journalFile, 'box-1', box.epoch);
    const written = await influxSeqs(influxd.url, 'full', 'box-1', box.epoch);
    expect(lossAndDoubles(range(310), box.confirmed(), stored)).toEqual(NONE);
    expect(lossAndDoubles(range(310), box.confirmed(), written)).toEqual(NONE);
  });
});
