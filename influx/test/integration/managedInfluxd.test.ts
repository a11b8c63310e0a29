import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { InfluxdStartError, startManagedInfluxd } from '../../src/managedInfluxd.js';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-influxd-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('startManagedInfluxd', () => {
  it('serves the v1 write and query API on a loopback port when influxd is installed', async () => {
    // Prepare
    const influxd = await startManagedInfluxd({ dataDir: await tempDir() });
    onTestFinished(() => influxd.stop());

    // Act
    await fetch(`${influxd.url}/query?q=${encodeURIComponent('CREATE DATABASE t')}`, {
      method: 'POST',
    });
    const write = await fetch(`${influxd.url}/write?db=t&precision=ms`, {
      method: 'POST',
      body: 'vote,room=a value=1i 1700000000000',
    });
    const query = await fetch(
      `${influxd.url}/query?db=t&q=${encodeURIComponent('SELECT sum(value) FROM vote')}`,
    );

    // Assess
    expect(influxd.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(write.status).toBe(204);
    const body = (await query.json()) as { results: { series: { values: unknown[][] }[] }[] };
    expect(body.results[0]?.series[0]?.values[0]?.[1]).toBe(1);
  });

  it('rejects with a clear error when the executable does not exist', async () => {
    // Prepare
    const dataDir = await tempDir();

    // Act
    const started = startManagedInfluxd({ dataDir, executable: '/nonexistent/influxd' });

    // Assess
    await expect(started).rejects.toThrow(InfluxdStartError);
    await expect(started).rejects.toThrow(/cannot run influxd/);
  });
});

describe('startManagedInfluxd after a crash of its parent', () => {
  it('stops the influxd left running on the same data folder before starting a new one', async () => {
    // Prepare: a first influxd whose owner "died" without stopping it.
    const dataDir = await tempDir();
    const orphan = await startManagedInfluxd({ dataDir });
    onTestFinished(() => orphan.stop());
    const orphanExited = new Promise((resolve) => orphan.process.once('exit', resolve));

    // Act
    const influxd = await startManagedInfluxd({ dataDir });
    onTestFinished(() => influxd.stop());

    // Assess
    await orphanExited;
    const ping = await fetch(`${influxd.url}/ping`);
    expect(ping.status).toBe(204);
    expect(influxd.process.pid).not.toBe(orphan.process.pid);
  });
});
