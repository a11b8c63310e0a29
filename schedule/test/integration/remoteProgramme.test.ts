import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schedule } from '@likebox/protocol';
import { eventually, tempDir } from '@likebox/runtime/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type ImportOptions, ProgrammeUnavailableError, RemoteProgramme } from '../../src/index.js';
import { fixture, recordingLogger, startProgrammeServer } from './programmeServer.js';

const CAMP = fixture('frab-camp2019.json');
const DEMOCON = fixture('pretalx-democon.json');
const OFFSETS_31C3 = fixture('31c3-offsets.xml');

async function remote(
  url: string,
  options: { dataDir?: string; everyMs?: number; timeoutMs?: number; maxBytes?: number } = {},
  importOptions: ImportOptions = {},
) {
  const { log, records } = recordingLogger();
  const changes: Schedule[] = [];
  const programme = new RemoteProgramme({
    url,
    dataDir: options.dataDir ?? (await tempDir('likebox-remote-')),
    everyMs: options.everyMs ?? 0,
    importOptions,
    log,
    onChange: (schedule) => changes.push(schedule),
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
  });
  onTestFinished(() => programme.stop());
  const warnings = () => records.filter((r) => r.level === 40);
  return { programme, changes, records, warnings };
}

describe('RemoteProgramme', () => {
  it('loads the 31C3-style XML at start, then a 304 on its ETag changes nothing', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: OFFSETS_31C3, etag: '"v1"' });
    const dataDir = await tempDir('likebox-remote-');
    const { programme, changes } = await remote(server.url, { dataDir });

    // Act
    const loaded = await programme.start();
    const changed = await programme.refresh();

    // Assess
    expect(loaded.schedule).toMatchObject({ event: '31c3', timeZone: 'Etc/GMT-1' });
    expect(changed).toBe(false);
    expect(changes).toEqual([]);
    expect(server.requests.map((h) => h['if-none-match'])).toEqual([undefined, '"v1"']);
    expect(await readFile(join(dataDir, 'schedule-source.xml'), 'utf8')).toBe(OFFSETS_31C3);
    const meta = JSON.parse(await readFile(join(dataDir, 'schedule-source.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ url: server.url, file: 'schedule-source.xml', etag: '"v1"' });
    expect(programme.state).toMatchObject({
      url: server.url,
      lastGood: { etag: '"v1"', lastModified: null },
      lastError: null,
      lastCheck: expect.any(String),
    });
  });

  it('sends If-Modified-Since with the Last-Modified it was given', async () => {
    // Prepare
    const lastModified = 'Wed, 21 Aug 2019 07:00:00 GMT';
    const server = await startProgrammeServer({ status: 200, body: CAMP, lastModified });
    const { programme, changes } = await remote(server.url);

    // Act
    await programme.start();
    const changed = await programme.refresh();

    // Assess
    expect(changed).toBe(false);
    expect(changes).toEqual([]);
    expect(server.requests.map((h) => h['if-modified-since'])).toEqual([undefined, lastModified]);
  });

  it('calls onChange once for a changed body, not for the same body served again', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP });
    const { programme, changes } = await remote(server.url);
    await programme.start();

    // Act
    const same = await programme.refresh();
    server.answer = { status: 200, body: DEMOCON };
    const changed = await programme.refresh();
    const again = await programme.refresh();

    // Assess
    expect([same, changed, again]).toEqual([false, true, false]);
    expect(changes.map((s) => s.event)).toEqual(['democon']);
    expect(programme.state.lastGood?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the last good copy on a 500 and shows the error', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP, etag: '"a"' });
    const { programme, changes, warnings } = await remote(server.url);
    await programme.start();
    const good = programme.state.lastGood;

    // Act
    server.answer = { status: 500, body: 'oops' };
    const changed = await programme.refresh();

    // Assess
    expect(changed).toBe(false);
    expect(changes).toEqual([]);
    expect(programme.state.lastGood).toEqual(good);
    expect(programme.state.lastError).toEqual({
      at: expect.any(String),
      reason: 'HTTP 500 Internal Server Error',
    });
    expect(warnings()).toEqual([
      expect.objectContaining({ url: server.url, reason: 'HTTP 500 Internal Server Error' }),
    ]);
  });

  it('keeps the last good copy when the body does not import, and recovers after', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP, etag: '"a"' });
    const { programme, changes, warnings } = await remote(server.url);
    await programme.start();

    // Act
    server.answer = { status: 200, body: '<html><body>Maintenance</body></html>', etag: '"b"' };
    const garbage = await programme.refresh();
    const errorShown = programme.state.lastError;
    server.answer = { status: 200, body: DEMOCON, etag: '"c"' };
    const recovered = await programme.refresh();

    // Assess
    expect(garbage).toBe(false);
    expect(errorShown?.reason).toMatch(/^does not import: .*unknown programme format/);
    expect(warnings()).toHaveLength(1);
    expect(recovered).toBe(true);
    expect(changes.map((s) => s.event)).toEqual(['democon']);
    expect(programme.state).toMatchObject({ lastError: null, lastGood: { etag: '"c"' } });
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP });
    const { programme } = await remote(server.url, { timeoutMs: 300 });
    await programme.start();

    // Act
    server.answer = { ...server.answer, hang: true };
    const started = Date.now();
    const changed = await programme.refresh();

    // Assess
    expect(changed).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(programme.state.lastError?.reason).toBe('timed out after 300 ms');
  });

  it('refuses a body over the size limit and follows a redirect', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP, redirectTo: '/v2' });
    const small = await remote(server.url, { maxBytes: 1000 });
    const large = await remote(server.url);

    // Act
    const refused = await small.programme.start().catch((err: unknown) => err);
    const loaded = await large.programme.start();

    // Assess
    expect(refused).toBeInstanceOf(ProgrammeUnavailableError);
    expect(small.programme.state.lastError?.reason).toBe('body larger than 1000 bytes');
    expect(loaded.schedule.event).toBe('camp2019');
  });

  it('starts on the last good copy when the URL is down', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP, etag: '"a"' });
    const dataDir = await tempDir('likebox-remote-');
    const first = await remote(server.url, { dataDir });
    await first.programme.start();
    await first.programme.stop();
    await server.close();
    const second = await remote(server.url, { dataDir });

    // Act
    const loaded = await second.programme.start();

    // Assess
    expect(loaded.schedule.event).toBe('camp2019');
    expect(second.programme.state.lastGood?.etag).toBe('"a"');
    expect(second.programme.state.lastError?.reason).toMatch(/^fetch failed: ECONNREFUSED/);
    expect(second.warnings().map((r) => r.msg)).toEqual([
      'programme URL failed',
      'programme URL failed at start; running on the last good copy',
    ]);
  });

  it('refuses to start when the URL is down and no copy is kept', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 503, body: 'down' });
    const { programme } = await remote(server.url);

    // Act
    const act = programme.start();

    // Assess
    await expect(act).rejects.toThrow(ProgrammeUnavailableError);
    await expect(act).rejects.toThrow(
      `no programme from ${server.url} (HTTP 503 Service Unavailable) and no last good copy in`,
    );
  });

  it('does not use a copy kept for another URL', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP });
    const dataDir = await tempDir('likebox-remote-');
    const first = await remote(server.url, { dataDir });
    await first.programme.start();
    await first.programme.stop();
    server.answer = { status: 404, body: '' };
    const other = await remote(`${server.url}?other`, { dataDir });

    // Act
    const act = other.programme.start();

    // Assess
    await expect(act).rejects.toThrow(/HTTP 404 Not Found\) and the copy in .* is of another URL/);
  });

  it('does not use a copy whose body is not the one its meta describes', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP });
    const dataDir = await tempDir('likebox-remote-');
    const first = await remote(server.url, { dataDir });
    await first.programme.start();
    await first.programme.stop();
    await writeFile(join(dataDir, 'schedule-source.json'), DEMOCON);
    await server.close();
    const second = await remote(server.url, { dataDir });

    // Act
    const act = second.programme.start();

    // Assess
    await expect(act).rejects.toThrow(/does not match its schedule-source\.meta\.json$/);
  });

  it('checks again every everyMs and hands a changed programme to onChange', async () => {
    // Prepare
    const server = await startProgrammeServer({ status: 200, body: CAMP, etag: '"a"' });
    const { programme, changes } = await remote(server.url, { everyMs: 50 });
    await programme.start();

    // Act
    await eventually(() => (server.requests.length >= 3 ? true : undefined), 5000);
    server.answer = { status: 200, body: DEMOCON, etag: '"b"' };
    await eventually(() => (changes.length > 0 ? true : undefined), 5000);
    await programme.stop();
    const afterStop = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess
    expect(changes.map((s) => s.event)).toEqual(['democon']);
    expect(server.requests.length).toBe(afterStop);
  });
});
