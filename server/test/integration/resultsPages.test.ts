/// <reference lib="dom" />
import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodePayload, encodePayload, topics } from '@likebox/protocol';
import { eventually, tempDir } from '@likebox/runtime/testing';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LIKEBOX, ROOT, type RunningUpProcess, startUpProcess, upEnv } from '../../src/testing.js';
import { likebox } from '../support/allCommands.js';
import { useChromium } from '../support/chromium.js';

const run = promisify(execFile);
const EVENT = 'pages';
const MIN = 60_000;
/** box-1's password (the users command refuses weak ones). */
const PASSWORD = 'quiet-harbour-lantern-42';
const TV = { width: 1920, height: 1080 };
/** Screenshots and the report's rendered pages: gitignored, kept by CI as artifacts. */
const ARTIFACTS = join(ROOT, 'test-artifacts', 'results');

/** Votes per talk, sent through MQTT as box-1 replaying its outbox: [likes, dislikes, first vote]. */
const SEEDED: Record<string, [number, number, number]> = {
  'live-1': [4, 2, -25],
  'done-a': [10, 1, -140],
  'done-b': [12, 6, -90],
  'done-c': [2, 0, -40],
};

/** A programme around `now`: `live-1` runs in amphi, lab's three talks are over, hall has a break. */
function programme(now: number) {
  const iso = (minutes: number) => new Date(now + minutes * MIN).toISOString();
  const talk = (id: string, room: string, start: number, end: number, votable = true) => ({
    ...{ id, room, start: iso(start), end: iso(end), title: `Talk ${id}` },
    ...{ speakers: [`Speaker of ${id}`], format: 'Conférence', votable },
  });
  return {
    ...{ version: 1, event: EVENT, name: 'Results pages', timeZone: 'Europe/Paris' },
    rooms: [
      { slug: 'amphi', name: 'Amphi' },
      { slug: 'lab', name: 'Lab' },
      { slug: 'hall', name: 'Hall' },
    ],
    talks: [
      talk('live-1', 'amphi', -30, 30),
      talk('done-a', 'lab', -150, -105),
      talk('done-b', 'lab', -100, -55),
      talk('done-c', 'lab', -50, -5),
      talk('break', 'hall', -60, 60, false),
    ],
    windows: { default: { openAfterStart: 0, closeAfterEnd: 0 }, byFormat: {} },
  };
}

/** Wilson lower bound (95 %), written here from its formula to check the ranking independently. */
function wilson(likes: number, votes: number): number {
  const z = 1.959963984540054;
  const p = likes / votes;
  const centre = p + (z * z) / (2 * votes);
  const spread = z * Math.sqrt((p * (1 - p) + (z * z) / (4 * votes)) / votes);
  return (centre - spread) / (1 + (z * z) / votes);
}

interface TalkAnswer {
  talk: { opens: number };
  figures: { likes: number; dislikes: number; votes: number };
  curve: { points: { t: number; likes: number; dislikes: number }[] };
}

/** A `likebox up` with the seeded programme and votes, and a box to vote more. */
interface SeededEvent {
  up: RunningUpProcess;
  dataDir: string;
  /** Sends one more vote as box-1. */
  vote(room: string, value: 1 | -1, at: number): Promise<void>;
}

/** The retained ack of box-1 reaches `seq`: every vote up to it is in the journal. */
async function acked(box: mqtt.MqttClient, seq: number): Promise<void> {
  let seen = 0;
  box.on('message', (_topic, payload) => {
    const decoded = decodePayload('ack', payload);
    if (decoded.success) seen = decoded.data.seq;
  });
  await box.subscribeAsync(topics.ack(EVENT, 'box-1'), { qos: 1 });
  await eventually(() => (seen >= seq ? true : undefined), 30_000);
}

/** Starts `likebox up` on the programme and sends {@link SEEDED} through MQTT, in the journal. */
async function seededEvent(extra: Record<string, string> = {}): Promise<SeededEvent> {
  const now = Date.now();
  const dataDir = await tempDir('likebox-pages-');
  const scheduleFile = join(dataDir, 'schedule.json');
  await writeFile(scheduleFile, JSON.stringify(programme(now)));
  const env = upEnv(dataDir, {
    ...{ LIKEBOX_EVENT: EVENT, LIKEBOX_SCHEDULE_FILE: scheduleFile, LIKEBOX_INFLUXD: 'off' },
    LIKEBOX_RESULTS_MIN_VOTES: '3',
    ...extra,
  });
  const add = [LIKEBOX, 'users', 'add', 'box-1', '--role', 'device', '--password', PASSWORD];
  await run(process.execPath, add, { env, cwd: dataDir });
  const up = await startUpProcess(env);
  const box = await mqtt.connectAsync(up.summary.mqttUrl, {
    ...{ protocolVersion: 4, username: 'box-1', password: PASSWORD, clientId: 'box-1-e1' },
  });
  onTestFinished(() => box.endAsync());
  let seq = 0;
  const vote = async (room: string, value: 1 | -1, at: number) => {
    seq += 1;
    const payload = encodePayload('vote', { seq, epoch: 'e1', value, at, room, synced: true });
    await box.publishAsync(topics.vote(EVENT, 'box-1'), payload, { qos: 1 });
  };
  for (const [talk, [likes, dislikes, from]] of Object.entries(SEEDED)) {
    const room = talk === 'live-1' ? 'amphi' : 'lab';
    for (let i = 0; i < likes + dislikes; i++) {
      // 5 s apart: same-value votes 20 s to 5 min apart at a steady pace (every other one counts
      // too) are set aside as misuse by the ingest, and these are meant to be counted.
      await vote(room, i < likes ? 1 : -1, now + from * MIN + i * 5000);
    }
  }
  await acked(box, seq);
  return { up, dataDir, vote };
}

describe('results pages and report on likebox up', { timeout: 180_000 }, () => {
  const browser = useChromium(ARTIFACTS);

  async function open(event: SeededEvent, path: string, viewport = TV): Promise<Page> {
    const context = await browser().newContext({ viewport });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    onTestFinished(() => {
      expect(errors, 'errors in the page').toEqual([]);
    });
    await page.goto(new URL(path, event.up.summary.httpUrl).href);
    await page.waitForSelector('[data-connection="live"]');
    return page;
  }

  async function api<T>(event: SeededEvent, path: string): Promise<T> {
    const url = new URL(`/api/v1/${path}`, event.up.summary.httpUrl);
    return (await (await fetch(url)).json()) as T;
  }

  it('draws a room display opened mid-talk from the talk start, extends it live, fits the overview on a 1080p TV and names unknown rooms and talks', async () => {
    // Prepare
    const event = await seededEvent();
    const history = await api<TalkAnswer>(event, 'talks/live-1');
    const page = await open(event, '/rooms/amphi');
    const curve = page.locator('.room-curve');
    await eventually(async () =>
      Number(await curve.getAttribute('data-points')) >= history.curve.points.length
        ? true
        : undefined,
    );
    const from = Number(await curve.getAttribute('data-from'));
    await page.screenshot({ path: join(ARTIFACTS, 'room-mid-talk-1080p.png') });

    // Act
    await event.vote('amphi', 1, Date.now());
    await page.waitForFunction(
      () => document.querySelector('[data-role="likes"]')?.textContent === '5',
    );
    const overview = await open(event, '/');
    await overview.waitForSelector('[data-room="lab"]');
    const unknownRoom = await open(event, '/rooms/nowhere');
    const unknownTalk = await open(event, '/talks/nope');
    await unknownRoom.waitForSelector('[data-unknown]');
    await unknownTalk.waitForSelector('[data-unknown]');

    // Assess
    expect(history.curve.points[0]).toEqual({ t: history.talk.opens, likes: 0, dislikes: 0 });
    expect(history.curve.points.at(-1)).toMatchObject({ likes: 4, dislikes: 2 });
    expect(from).toBe(history.talk.opens / 1000);
    expect(Number(await curve.getAttribute('data-points'))).toBeGreaterThan(
      history.curve.points.length,
    );
    await expect(page.locator('[data-role="dislikes"]').textContent()).resolves.toBe('2');
    const rooms = await overview
      .locator('[data-room]')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-room')));
    expect(rooms).toEqual(['amphi', 'lab']); // hall has only a break
    const size = await overview.evaluate(() => ({
      scroll: document.documentElement.scrollHeight,
      height: innerHeight,
    }));
    expect(size.scroll).toBeLessThanOrEqual(size.height);
    await overview.screenshot({ path: join(ARTIFACTS, 'overview-1080p.png') });
    await expect(unknownRoom.locator('[data-role="talk-title"]').textContent()).resolves.toBe(
      'No room “nowhere” in this programme',
    );
    await expect(unknownTalk.locator('[data-role="talk-title"]').textContent()).resolves.toBe(
      'Unknown talk',
    );
  });

  it("ranks the seeded event by Wilson lower bound on /results and shows a closed talk's results", async () => {
    // Prepare
    const event = await seededEvent();
    const expected = Object.entries(SEEDED)
      .filter(([, [likes, dislikes]]) => likes + dislikes >= 3)
      .sort(([, a], [, b]) => wilson(b[0], b[0] + b[1]) - wilson(a[0], a[0] + a[1]))
      .map(([talk]) => talk);

    // Act
    const page = await open(event, '/results');
    await page.waitForSelector('tr[data-talk="done-c"]');
    const talk = await open(event, '/talks/done-b');
    await talk.waitForSelector('[data-role="results"]');

    // Assess
    const rows = await page
      .locator('tr[data-talk]')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-talk'),
          tr.querySelector('[data-col="rank"]')?.textContent,
        ]),
      );
    expect(rows).toEqual([...expected.map((id, i) => [id, String(i + 1)]), ['done-c', '–']]);
    await page.screenshot({ path: join(ARTIFACTS, 'results-1080p.png'), fullPage: true });
    await expect(talk.locator('[data-figure="votes"]').textContent()).resolves.toBe('18');
    await expect(talk.locator('[data-role="walk-out"] rect').count()).resolves.toBeGreaterThan(0);
    const card = await talk.locator('[data-role="card"]').getAttribute('href');
    expect(decodeURIComponent(card ?? '')).toContain('Talk done-b');
    await expect(talk.locator('[data-role="where"]').textContent()).resolves.toMatch(
      /^Room Lab · /,
    );
    await talk.screenshot({ path: join(ARTIFACTS, 'talk-closed-1080p.png'), fullPage: true });
  });

  it('writes the report: HTML, CSV, cards and a PDF of one page or more per talk', async () => {
    // Prepare
    const event = await seededEvent();
    const out = join(event.dataDir, 'report');

    // Act
    const url = event.up.summary.httpUrl;
    const done = await likebox(['report', '--out', out, '--url', url], event.dataDir, {});

    // Assess
    expect(done.stderr).toContain('4 talks into');
    expect(done.code).toBe(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)\b/); // self-contained
    expect(html.match(/<section class="talk"/g)).toHaveLength(4);
    const csv = await readFile(join(out, 'results.csv'), 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 4);
    expect((await stat(join(out, 'cards', 'done-a.png'))).size).toBeGreaterThan(1000);
    const { stdout: info } = await run('pdfinfo', [join(out, 'report.pdf')]);
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(1 + 4);
    await run('pdftoppm', ['-png', '-r', '60', join(out, 'report.pdf'), join(ARTIFACTS, 'report')]);
  });

  it('says "results after the talk" for a running talk when counts are shown after close', async () => {
    // Prepare
    const event = await seededEvent({ LIKEBOX_SHOW_COUNTS: 'after-close' });

    // Act
    const room = await open(event, '/rooms/amphi');
    await room.waitForSelector('.counts[data-hidden]');
    const results = await open(event, '/results');
    await results.waitForSelector('tr[data-talk="live-1"]');

    // Assess
    await expect(room.locator('.share-label').textContent()).resolves.toBe(
      'results after the talk',
    );
    await expect(room.locator('[data-role="likes"]').textContent()).resolves.toBe('?');
    await expect(room.locator('.room-curve').getAttribute('data-hidden')).resolves.toBe('');
    await expect(
      results.locator('tr[data-talk="live-1"] [data-col="votes"]').textContent(),
    ).resolves.toBe('after the talk');
    await expect(
      results.locator('tr[data-talk="done-a"] [data-col="rank"]').textContent(),
    ).resolves.toBe('1');
    await room.screenshot({ path: join(ARTIFACTS, 'room-counts-after-close-1080p.png') });
  });
});
