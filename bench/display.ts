/// <reference lib="dom" />
/**
 * Press → room display latency (issue 16): boxes (MQTT.js device accounts, QoS 1, the protocol's
 * vote payload) publish at BENCH_RATE votes/s (default 1,000) spread over 10 boxes for
 * BENCH_SECONDS (default 20) into a real `likebox up` (child process, free ports, temp data folder,
 * its own managed influxd as it ships, a programme whose one talk is open now), and the room display
 * `/rooms/amphi` runs in Debian's Chromium (headless, playwright-core). Per vote: publish → the
 * moment the page's likes + dislikes count includes it (a MutationObserver in the page). Reference
 * in the same run: publish → arrival of the same vote at a plain MQTT.js subscriber of the room's
 * public `votes` topic (the stream the page adds to its counts), so the ratio shows what the page
 * (WebSocket, decoding, rendering) adds. BENCH_RUNS runs (default 3) after a discarded warm-up,
 * medians, every run printed.
 *
 *   npm run bench:display
 *   BENCH_RUNS=1 BENCH_SECONDS=5 npm run bench:display     # a quick look
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addUser } from '@likebox/broker';
import { topics } from '@likebox/protocol';
import { CHROMIUM_ARGS, findChromium } from '@likebox/web';
import type { MqttClient } from 'mqtt';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { TALLY_EVERY_MS } from '../ingest/src/tallies.js';
import { LiveState } from '../web/src/browser/liveState.js';
import { type RunningUp, startUp } from './ingestDeployments.js';
import { connectBoxes, paced, percentile } from './ingestLoad.js';
import { connectRetrying } from './mqttConnect.js';
import { stop } from './processes.js';

const PASSWORD = 'bench-password-1';
const EVENT = 'bench';
/** The room of the votes `bench/ingestLoad.ts` publishes. */
const ROOM = 'amphi';
const TALK = 'live';
const BOXES = 10;
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Paced votes before the runs, not counted: a fresh server and page first compile their hot paths. */
const WARMUP_SECONDS = 2;
const TARGET_P99_MS = 250;
/** The public stream's cap of `likebox up` (this process's environment reaches it). */
const PUBLIC_CAP = process.env.LIKEBOX_PUBLIC_VOTES_PER_SECOND ?? "the ingest's default, 200";

/** A programme of one room whose one talk runs from an hour ago to an hour from now. */
function programme(now: number) {
  const iso = (ms: number) => new Date(now + ms).toISOString();
  return {
    ...{ version: 1, event: EVENT, name: 'Display bench', timeZone: 'Europe/Paris' },
    rooms: [{ slug: ROOM, name: 'Amphi' }],
    talks: [
      {
        ...{ id: TALK, room: ROOM, start: iso(-3_600_000), end: iso(3_600_000) },
        ...{ title: 'Live talk', speakers: ['A speaker'], format: 'Conférence', votable: true },
      },
    ],
    windows: { default: { openAfterStart: 0, closeAfterEnd: 0 }, byFormat: {} },
  };
}

/** Writes the programme and the users (boxes `box-1…n`, a public reader), starts `likebox up`. */
async function startServer(dir: string): Promise<RunningUp> {
  const scheduleFile = join(dir, 'schedule.json');
  await writeFile(scheduleFile, JSON.stringify(programme(Date.now())));
  const usersFile = join(dir, 'users.json');
  for (let i = 1; i <= BOXES; i += 1) await addUser(usersFile, `box-${i}`, 'device', PASSWORD);
  await addUser(usersFile, 'reader', 'public', PASSWORD);
  return startUp(dir, { event: EVENT, env: { LIKEBOX_SCHEDULE_FILE: scheduleFile } });
}

/** A shown count: likes + dislikes of the talk, when (epoch ms, sub-ms), `Date.now()` then. */
type Shown = [count: number, at: number, dateNow: number];

/**
 * The reference: a plain MQTT.js subscriber (public role, as the page) of the room's `tally` and
 * public `votes`, counting them with the page's own rule (`LiveState` of web/src/browser, pure: a
 * retained tally is the base, each public vote after it is added at once) and recording each new
 * count; the same counts as the page, without WebSocket, rendering or the browser.
 */
async function reference(mqttUrl: string): Promise<{ client: MqttClient; shown: Shown[] }> {
  const client = await connectRetrying(mqttUrl, {
    ...{ username: 'reader', password: PASSWORD, clientId: 'reader', protocolVersion: 4 },
  });
  const state = new LiveState(EVENT, Date.now);
  const shown: Shown[] = [];
  let last = -1;
  client.on('message', (topic, payload) => {
    state.handleMessage(topic, payload);
    const { likes, dislikes } = state.talk(TALK, ROOM);
    if (likes + dislikes === last) return;
    last = likes + dislikes;
    shown.push([last, performance.timeOrigin + performance.now(), Date.now()]);
  });
  await client.subscribeAsync([topics.tally(EVENT, ROOM), topics.votes(EVENT, ROOM)], { qos: 1 });
  return { client, shown };
}

/**
 * Opens the room display and records, at each change of its likes or dislikes number, the count
 * and the time (into `window.benchShown`, read with {@link takeShown}: one call per change through
 * `exposeFunction` would add a round trip to the browser per vote at 1,000 votes/s).
 */
async function openDisplay(browser: Browser, httpUrl: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${httpUrl}/rooms/${ROOM}`);
  await page.waitForSelector('[data-connection="live"]');
  await page.evaluate(() => {
    const likes = document.querySelector('[data-role="likes"]');
    const dislikes = document.querySelector('[data-role="dislikes"]');
    if (likes === null || dislikes === null) throw new Error('no counts on the room display');
    const shown: Shown[] = [];
    Object.assign(window, { benchShown: shown });
    // No named function in here: tsx would wrap it in a helper the page does not have.
    new MutationObserver(() => {
      const count = Number(likes.textContent) + Number(dislikes.textContent);
      shown.push([count, performance.timeOrigin + performance.now(), Date.now()]);
    }).observe(likes.parentElement?.parentElement ?? document.body, {
      ...{ childList: true, characterData: true, subtree: true },
    });
  });
  return page;
}

/** Chromium's main-thread totals so far, s (DevTools `Performance.getMetrics`, enabled once). */
async function busy(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const wanted = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'];
  return Object.fromEntries(
    metrics.filter((m) => wanted.includes(m.name)).map((m) => [m.name, m.value]),
  );
}

/** The changes recorded since the last call, and the count shown now. */
function takeShown(page: Page): Promise<{ shown: Shown[]; count: number }> {
  return page.evaluate(() => {
    const shown = (window as unknown as { benchShown: Shown[] }).benchShown.splice(0);
    const count = ['likes', 'dislikes']
      .map((role) => Number(document.querySelector(`[data-role="${role}"]`)?.textContent))
      .reduce((sum, n) => sum + n, 0);
    return { shown, count };
  });
}

/** The reference's last count (`base` before any change). */
const lastCount = (shown: Shown[], base: number) => shown.at(-1)?.[0] ?? base;

/** Waits until the page and the reference both count `total` votes (30 s at most). */
async function settle(page: Page, ref: Shown[], refBase: number, total: number) {
  const deadline = Date.now() + 30_000;
  const shown: Shown[] = [];
  for (;;) {
    const taken = await takeShown(page);
    shown.push(...taken.shown);
    const done = taken.count >= total && lastCount(ref, refBase) >= total;
    if (done || Date.now() > deadline) return { shown, count: taken.count };
    await sleep(100);
  }
}

/**
 * Per vote, in publish order, its publish → shown latency: the count reaching `base + k` means vote
 * k is shown (votes of different boxes may be stored in a slightly different order than they were
 * sent: the k-th stored one is then timed against the k-th sent one). A vote never shown: +∞.
 */
function latencies(pressed: number[], shown: Shown[], base: number): number[] {
  const result: number[] = [];
  let i = 0;
  for (let k = 0; k < pressed.length; k += 1) {
    while (i < shown.length && (shown[i]?.[0] ?? 0) < base + k + 1) i += 1;
    const at = pressed[k] ?? 0;
    result.push(i < shown.length ? (shown[i]?.[1] ?? 0) - at : Number.POSITIVE_INFINITY);
  }
  return result;
}

interface Figures {
  p50: number;
  p95: number;
  p99: number;
}

const figures = (values: number[]): Figures => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
});

interface Run {
  reference: Figures;
  display: Figures;
  sent: number;
  /** Count on the page at the end of the run, above the count at its start. */
  shown: number;
  load: number;
  /** Chromium's main thread over the run, seconds busy per second (task, script, layout, style). */
  busy: Record<string, number>;
}

/** One run: {@link RATE} votes/s for {@link SECONDS} s, each box's seqs from `from`. */
async function measure(
  page: Page,
  cdp: CDPSession,
  boxes: MqttClient[],
  ref: Shown[],
  from: number,
): Promise<Run> {
  const { count: base } = await takeShown(page);
  const refBase = lastCount(ref, 0);
  const [before, start] = [await busy(cdp), performance.now()];
  ref.splice(0);
  const pressed = [...(await paced(boxes, EVENT, RATE, SECONDS, from)).values()];
  const settled = await settle(page, ref, refBase, base + pressed.length);
  const [after, seconds] = [await busy(cdp), (performance.now() - start) / 1000];
  return {
    busy: Object.fromEntries(
      Object.entries(after).map(([name, s]) => [name, (s - (before[name] ?? 0)) / seconds]),
    ),
    reference: figures(latencies(pressed, ref, refBase)),
    display: figures(latencies(pressed, settled.shown, base)),
    sent: pressed.length,
    shown: settled.count - base,
    load: loadavg()[0] ?? 0,
  };
}

const ms = (f: Figures) => [f.p50, f.p95, f.p99].map((v) => v.toFixed(1)).join(' / ');
const median = (values: number[]) => percentile(values, 50);

function printRun(index: number, run: Run): void {
  const ratio = (run.display.p99 / run.reference.p99).toFixed(2);
  process.stdout.write(
    `run ${index}: ${run.sent} votes sent, ${run.shown} more shown, load ${run.load.toFixed(1)}\n` +
      `  reference (plain subscriber)  p50/p95/p99  ${ms(run.reference)} ms\n` +
      `  room display in Chromium      p50/p95/p99  ${ms(run.display)} ms  (p99 ratio ${ratio})\n` +
      `  Chromium main thread busy, s/s: ${Object.entries(run.busy)
        .map(([name, share]) => `${name.replace('Duration', '')} ${share.toFixed(2)}`)
        .join(', ')}\n`,
  );
}

function printMedians(runs: Run[]): void {
  const of = (pick: (run: Run) => Figures): Figures => ({
    p50: median(runs.map((run) => pick(run).p50)),
    p95: median(runs.map((run) => pick(run).p95)),
    p99: median(runs.map((run) => pick(run).p99)),
  });
  const reference = of((run) => run.reference);
  const display = of((run) => run.display);
  const pass = display.p99 < TARGET_P99_MS;
  process.stdout.write(
    `\nmedians of ${runs.length} runs, p50/p95/p99 ms\n` +
      `  reference (plain subscriber)  ${ms(reference)}\n` +
      `  room display (Chromium)       ${ms(display)}\n` +
      `  ratios display/reference      ${[display.p50 / reference.p50, display.p95 / reference.p95, display.p99 / reference.p99].map((r) => r.toFixed(2)).join(' / ')}\n` +
      `press → room display p99 ${display.p99.toFixed(1)} ms at ${RATE} votes/s: ` +
      `${pass ? 'PASS' : 'MISS'} (< ${TARGET_P99_MS} ms)\n`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'likebox-bench-display-'));
const chromiumPath = (await findChromium()) ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
const up = await startServer(dir);
try {
  process.stdout.write(
    `display bench: ${RATE} votes/s from ${BOXES} boxes for ${SECONDS} s, ${RUNS} runs after ` +
      `${WARMUP_SECONDS} s of warm-up; load average ${loadavg()[0]?.toFixed(1)} on this machine\n` +
      `the ingest publishes each room's tally at most every ${TALLY_EVERY_MS} ms and its public ` +
      `votes stream up to LIKEBOX_PUBLIC_VOTES_PER_SECOND=${PUBLIC_CAP} per room; the page adds ` +
      `each public vote at once, the others arrive with the next tally\n`,
  );
  const page = await openDisplay(browser, up.httpUrl);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { client, shown } = await reference(up.mqttUrl);
  const boxes = await connectBoxes(up.mqttUrl, BOXES, PASSWORD);
  const perRun = (RATE * SECONDS) / BOXES;
  await paced(boxes, EVENT, RATE, WARMUP_SECONDS);
  let from = (RATE * WARMUP_SECONDS) / BOXES + 1;
  await settle(page, shown, 0, RATE * WARMUP_SECONDS);
  const runs: Run[] = [];
  for (let i = 1; i <= RUNS; i += 1) {
    runs.push(await measure(page, cdp, boxes, shown, from));
    printRun(i, runs.at(-1) as Run);
    from += perRun;
  }
  printMedians(runs);
  await Promise.all([...boxes.map((box) => box.endAsync()), client.endAsync()]);
} finally {
  await browser.close();
  await stop(up.child);
  await rm(dir, { recursive: true, force: true });
}
