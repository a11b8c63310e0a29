import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePayload, filters, type Schedule } from '@likebox/protocol';
import { eventually, tempDir } from '@likebox/runtime/testing';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startUpProcess, upEnv } from '../../src/testing.js';
import type { UpSummary } from '../../src/up.js';

/** Real processes on a shared, busy machine: generous. */
const TIMEOUT_MS = 180_000;
const EVENT = '31c3';
/** 31C3's frab XML (abridged): no time zone named, every time carries its offset (+01:00). */
const C3_XML = await readFile(new URL('../fixtures/31c3-offsets.xml', import.meta.url), 'utf8');

/** What the programme server answers; its ETag follows the body. */
interface Served {
  status: number;
  body: string;
  etag: string;
}

/**
 * A real HTTP server on port 0 serving `served`: 304 when the request's If-None-Match is the
 * current ETag, as pretalx and frab exports behind nginx do. Each answer's status is recorded.
 */
async function programmeServer(served: Served) {
  const answers: { status: number; ifNoneMatch: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const status = served.status === 200 && ifNoneMatch === served.etag ? 304 : served.status;
    answers.push({ status, ifNoneMatch });
    res.writeHead(status, { etag: served.etag, 'content-type': 'application/xml' });
    res.end(status === 304 ? undefined : served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/31c3/schedule.xml`;
  return { url, answers };
}

/** Every retained `schedule` the event's topic carries, as a public client sees them. */
async function scheduleWatch(summary: UpSummary) {
  const client = await mqtt.connectAsync(summary.mqttUrl, { protocolVersion: 4 });
  onTestFinished(() => client.endAsync());
  const seen: Schedule[] = [];
  client.on('message', (_topic, payload) => {
    const decoded = decodePayload('schedule', payload);
    if (decoded.success) seen.push(decoded.data);
  });
  await client.subscribeAsync(filters.schedule(EVENT), { qos: 1 });
  return seen;
}

/** The `schedule` check of `/healthz`. */
async function scheduleCheck(summary: UpSummary) {
  const response = await fetch(`${summary.httpUrl}healthz`);
  const health = (await response.json()) as { checks: Record<string, Record<string, unknown>> };
  return health.checks.schedule as Record<string, unknown> & { error: { reason: string } | null };
}

const titleOf = (schedule: Schedule | undefined, id: string) =>
  schedule?.talks.find((talk) => talk.id === id)?.title;

function env(dataDir: string, url: string) {
  return upEnv(dataDir, {
    LIKEBOX_EVENT: EVENT,
    LIKEBOX_INFLUXD: 'off',
    LIKEBOX_ALLOW_ANONYMOUS: 'true',
    LIKEBOX_SCHEDULE_URL: url,
    // 0.005 min = 300 ms between checks.
    LIKEBOX_SCHEDULE_REFRESH_MINUTES: '0.005',
  });
}

describe('likebox up with LIKEBOX_SCHEDULE_URL', () => {
  it(
    'runs on the programme at a URL, on its last good copy through a 500 and garbage, and republishes a change',
    async () => {
      // Prepare
      const served: Served = { status: 200, body: C3_XML, etag: '"v1"' };
      const { url, answers } = await programmeServer(served);
      const dataDir = await tempDir('likebox-up-url-');

      // Act
      const up = await startUpProcess(env(dataDir, url));
      const seen = await scheduleWatch(up.summary);
      await eventually(() => (seen.length > 0 ? true : undefined));
      const first = await scheduleCheck(up.summary);
      served.status = 500;
      const failing = await eventually(async () => {
        const check = await scheduleCheck(up.summary);
        return check.error?.reason.includes('500') ? check : undefined;
      });
      served.status = 200;
      served.body = '<html><body>Maintenance</body></html>';
      served.etag = '"maintenance"';
      const garbage = await eventually(async () => {
        const check = await scheduleCheck(up.summary);
        return check.error?.reason.includes('does not import') ? check : undefined;
      });
      served.body = C3_XML;
      served.etag = '"v1"';
      const unchanged = await eventually(async () => {
        const check = await scheduleCheck(up.summary);
        return check.status === 'ok' ? check : undefined;
      });
      const republishedBefore = seen.length;
      served.body = C3_XML.replace(
        '<title>31C3 Opening Event</title>',
        '<title>Opening, moved</title>',
      );
      served.etag = '"v2"';
      await eventually(() =>
        titleOf(seen.at(-1), '6573') === 'Opening, moved' ? true : undefined,
      );

      // Assess
      expect(up.summary.scheduleUrl).toBe(url);
      expect(up.summaryLine).toContain(`schedule ${url}`);
      expect(seen[0]?.event).toBe(EVENT);
      expect(seen[0]?.timeZone).toBe('Etc/GMT-1');
      expect(titleOf(seen[0], '6573')).toBe('31C3 Opening Event');
      expect(first).toMatchObject({ status: 'ok', source: 'url', url, error: null });
      expect(first.lastGood).toMatchObject({ etag: '"v1"' });
      expect(failing).toMatchObject({ status: 'degraded', lastGood: { etag: '"v1"' } });
      expect(garbage).toMatchObject({ status: 'degraded', lastGood: { etag: '"v1"' } });
      expect(unchanged.lastFetch).toEqual(expect.any(String));
      expect(answers).toContainEqual({ status: 304, ifNoneMatch: '"v1"' });
      // Neither the failures nor the 304 republished the schedule; the change did, once.
      expect(republishedBefore).toBe(1);
      expect(seen).toHaveLength(2);
    },
    TIMEOUT_MS,
  );

  it(
    'restarts on the last good copy while the URL is down, and refuses to start without one',
    async () => {
      // Prepare
      const served: Served = { status: 200, body: C3_XML, etag: '"v1"' };
      const { url } = await programmeServer(served);
      const dataDir = await tempDir('likebox-up-url-');
      const firstRun = await startUpProcess(env(dataDir, url));
      firstRun.child.kill('SIGTERM');
      await firstRun.exited;
      served.status = 503;

      // Act
      const again = await startUpProcess(env(dataDir, url));
      const seen = await scheduleWatch(again.summary);
      await eventually(() => (seen.length > 0 ? true : undefined));
      const check = await scheduleCheck(again.summary);
      const fresh = startUpProcess(env(await tempDir('likebox-up-url-'), url));

      // Assess
      expect(titleOf(seen[0], '6573')).toBe('31C3 Opening Event');
      expect(check).toMatchObject({
        status: 'degraded',
        source: 'url',
        lastGood: { etag: '"v1"' },
      });
      expect(check.error?.reason).toContain('503');
      await expect(fresh).rejects.toThrow(`LIKEBOX_SCHEDULE_URL: no programme from ${url}`);
      await expect(fresh).rejects.toThrow('HTTP 503');
    },
    TIMEOUT_MS,
  );
});
