import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  connectAs,
  eventually,
  PASSWORD,
  startTestBroker,
  startTestInfluxd,
  tempDir,
  waitForMessage,
} from './harness.js';
import { influxSeqs, journalSeqs, lossAndDoubles, range, testBox } from './scenario.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const NONE = { lost: 0, doubled: 0, missing: 0, extra: 0 };

/** Spawns `node ingest/dist/main.js` with its stdout on `stdout` (a file descriptor or a pipe). */
function spawnIngest(env: Record<string, string>, stdout: number | 'pipe'): ChildProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  return child;
}

/** Runs the ingest process with its log on `stdout`; a box votes; returns what it saw. */
async function votesWithLogOn(stdout: number | 'pipe', closeStdout: boolean) {
  const dir = await tempDir();
  const broker = await startTestBroker(dir, ['box-1']);
  const influxd = await startTestInfluxd(dir);
  const watcher = await connectAs(broker.mqttUrl, 'organiser');
  // The ingest publishes its lease once connected: the sign it runs (its log cannot say so).
  const started = waitForMessage(watcher, topics.lease('test'), () => true);
  const child = spawnIngest(
    {
      ...{ LIKEBOX_EVENT: 'test', LIKEBOX_DATA_DIR: dir, LIKEBOX_MQTT_URL: broker.mqttUrl },
      ...{ LIKEBOX_MQTT_USERNAME: 'ingest', LIKEBOX_MQTT_PASSWORD: PASSWORD },
      ...{ LIKEBOX_HTTP_PORT: 'off', LIKEBOX_LOG_LEVEL: 'debug' },
      ...{ LIKEBOX_INFLUX_URL: influxd.url, LIKEBOX_INFLUX_DATABASE: 'logs' },
    },
    stdout,
  );
  if (closeStdout) child.stdout?.destroy();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await started;
  const box = await testBox(broker.mqttUrl, 'box-1', 'k3v9x0a1b2c4');
  await box.publish(1, 200);
  await eventually(async () => (box.confirmed() === 200 ? true : undefined));
  const written = await eventually(async () => {
    const seqs = await influxSeqs(influxd.url, 'logs', 'box-1', box.epoch);
    return seqs.length >= 200 ? seqs : undefined;
  });
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  const stored = journalSeqs(`${dir}/ingest-journal.sqlite`, 'box-1', box.epoch);
  const confirmed = box.confirmed();
  return {
    ...{ code, stderr },
    journal: lossAndDoubles(range(200), confirmed, stored),
    influx: lossAndDoubles(range(200), confirmed, written),
  };
}

describe('likebox ingest whose log cannot be written', () => {
  it('goes on storing and acking votes when its log file is on a full disk (ENOSPC)', async () => {
    // Prepare: /dev/full answers every write with ENOSPC, as a log file on a full disk does.
    const full = openSync('/dev/full', 'w');
    onTestFinished(() => closeSync(full));

    // Act
    const run = await votesWithLogOn(full, false);

    // Assess
    expect(run.journal).toEqual(NONE);
    expect(run.influx).toEqual(NONE);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('log output failed (ENOSPC)');
    expect(run.stderr).not.toContain("Unhandled 'error' event");
  });

  it('goes on storing and acking votes when the reader of its log went away (EPIPE)', async () => {
    // Act
    const run = await votesWithLogOn('pipe', true);

    // Assess
    expect(run.journal).toEqual(NONE);
    expect(run.influx).toEqual(NONE);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('log output failed (EPIPE)');
  });
});
