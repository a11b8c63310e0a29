/**
 * The results API (issue 16) on a full event's journal: 1,000,000 votes over 3 days, 12 rooms,
 * 150 talks, 100 boxes, written with the real Journal class; served by the real ApiRouter on a
 * local HTTP server, as `likebox up` and `likebox ingest` serve it.
 *
 *   npx tsx bench/results.ts            # 1,000,000 votes (~1-2 min to generate on this machine)
 *   npx tsx bench/results.ts 200000     # fewer votes
 *
 * Prints, against a plain `SELECT count(*) FROM votes` over the same journal timed in the same run
 * (median of 9): a talk's answer (`GET /api/v1/talks/{talk}`, every talk, 5 rounds: p50 and p99),
 * the full ranking (`GET /api/v1/results`, median of 7 runs, each after a new vote counted as the
 * ingest counts it; and the first request, which reads every talk's counts from the journal), the
 * one-time creation of the results index on a journal without it, and what that index costs the
 * ingest's writes (200,000 votes into a fresh journal with and without it, best of 3).
 * Targets: a talk p99 < 20 ms, the ranking < 200 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Schedule, ScheduleIndex } from '@likebox/protocol';
import { startHttpServer } from '@likebox/runtime';
import { ApiRouter } from '../ingest/src/apiRouter.js';
import { Journal, type JournalVote } from '../ingest/src/journal.js';
import { Results } from '../ingest/src/results/results.js';
import { addResultsRoutes } from '../ingest/src/results/resultsRoutes.js';
import { ResultsStore } from '../ingest/src/results/resultsStore.js';
import { random } from './dashboardsData.js';

const VOTES = Number(process.argv[2] ?? 1_000_000);
const ROOMS = 12;
const TALKS = 150;
const BOXES = 100;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EVENT = 'demo';
const TALK_TARGET_MS = 20;
const RANKING_TARGET_MS = 200;

/** 150 talks of 50 min over 3 days ending now, 12 rooms, every talk of a room 2 h apart. */
function schedule(now: number): Schedule {
  const rooms = Array.from({ length: ROOMS }, (_, i) => `room-${i + 1}`);
  const talks = Array.from({ length: TALKS }, (_, index) => {
    const slot = Math.floor(index / ROOMS);
    const start = now - (3 - Math.floor(slot / 5)) * DAY + (8 + (slot % 5) * 2) * HOUR;
    return {
      ...{ id: `talk-${index + 1}`, room: rooms[index % ROOMS] as string },
      ...{ start: new Date(start).toISOString(), end: new Date(start + 50 * 60_000).toISOString() },
      ...{ title: `Talk ${index + 1}`, speakers: [`Speaker ${index + 1}`], format: 'Conférence' },
      votable: true,
    };
  });
  return {
    ...{ version: 1, event: EVENT, name: 'Bench', timeZone: 'Europe/Paris' },
    rooms: rooms.map((slug) => ({ slug, name: slug })),
    talks,
  };
}

/** Writes `count` votes spread over the talks' windows (each window: start + 10 to end + 15). */
function fill(journal: Journal, index: ScheduleIndex, count = VOTES): number {
  const rnd = random(16);
  const talks = index.schedule.talks;
  const seqs = new Array<number>(BOXES).fill(0);
  const started = performance.now();
  let batch: JournalVote[] = [];
  for (let i = 0; i < count; i += 1) {
    const talk = talks[i % TALKS] as Schedule['talks'][number];
    const opens = Date.parse(talk.start) + 10 * 60_000;
    const at = opens + Math.floor(rnd() * 55 * 60_000);
    const box = Math.floor(rnd() * BOXES);
    seqs[box] = (seqs[box] ?? 0) + 1;
    batch.push({
      ...{ event: EVENT, device: `box-${box}`, epoch: 'bench', seq: seqs[box] as number },
      ...{ value: rnd() < 0.7 ? 1 : -1, at, boxAt: at, received: at, room: talk.room },
      talk: talk.id,
    });
    if (batch.length === 10_000) {
      journal.commit(batch);
      batch = [];
    }
  }
  journal.commit(batch);
  return (performance.now() - started) / 1000;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function timed(task: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

async function get(url: string): Promise<void> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  await response.arrayBuffer();
}

/** Votes per second committed into a fresh journal, with or without the results index. */
async function writeRate(index: ScheduleIndex, withIndex: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-results-bench-'));
  const journal = new Journal(join(dir, 'journal.sqlite'), 'normal');
  try {
    if (withIndex) new ResultsStore(journal.database);
    return 200_000 / fill(journal, index, 200_000);
  } finally {
    journal.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeCost(index: ScheduleIndex): Promise<void> {
  const rates = { without: 0, with: 0 };
  for (let run = 0; run < 3; run += 1) {
    rates.without = Math.max(rates.without, await writeRate(index, false));
    rates.with = Math.max(rates.with, await writeRate(index, true));
  }
  const fmt = (rate: number) => Math.round(rate).toLocaleString('en');
  console.log(
    `journal writes: ${fmt(rates.without)} votes/s without the results index, ` +
      `${fmt(rates.with)} with it (${(rates.with / rates.without).toFixed(2)}×, best of 3)`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-results-bench-'));
  const journal = new Journal(join(dir, 'journal.sqlite'), 'normal');
  try {
    const index = new ScheduleIndex(schedule(Date.now()));
    const seconds = fill(journal, index);
    console.log(`journal: ${VOTES.toLocaleString('en')} votes written in ${seconds.toFixed(1)} s`);
    const count = journal.database.prepare('SELECT count(*) FROM votes').pluck();
    const indexMs = await timed(() => new ResultsStore(journal.database));
    const store = new ResultsStore(journal.database);
    const results = new Results({
      ...{ event: EVENT, store, index: () => index, showCounts: 'live' },
      seal: () => undefined,
    });
    const api = new ApiRouter(undefined, (err) => console.error(err));
    addResultsRoutes(api, { results, store, event: EVENT, minVotes: 10 });
    const server = await startHttpServer({
      ...{ host: '127.0.0.1', port: 0, health: () => ({ status: 'ok', checks: {} }) },
      ...{ registries: [], routes: api.handle },
    });
    try {
      await measure(server.url, journal, results, index, () => count.get());
    } finally {
      await server.close();
    }
    console.log(`results index created on the existing journal in ${indexMs.toFixed(0)} ms (once)`);
    await writeCost(index);
  } finally {
    journal.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(
  url: string,
  journal: Journal,
  results: Results,
  index: ScheduleIndex,
  count: () => unknown,
) {
  const reference: number[] = [];
  for (let i = 0; i < 9; i += 1) reference.push(await timed(count));
  const ref = quantile(reference, 0.5);
  const talkTimes: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    for (const talk of index.schedule.talks) {
      talkTimes.push(await timed(() => get(`${url}/api/v1/talks/${talk.id}`)));
    }
  }
  // The first ranking reads every talk's counts from the journal (once per process).
  const first = await timed(() => get(`${url}/api/v1/results`));
  const fresh: number[] = [];
  for (let run = 0; run < 7; run += 1) {
    // A new vote changes the journal: the ranking's cache cannot answer the next request.
    const at = Date.parse(index.schedule.talks[0]?.start ?? '') + 20 * 60_000;
    const vote = { event: EVENT, device: 'box-new', epoch: 'x', seq: run + 1, value: 1 as const };
    journal.commit([{ ...vote, at, boxAt: at, received: at, room: 'room-1', talk: 'talk-1' }]);
    results.countVote('talk-1', 1); // as the ingest does for each vote it stores
    fresh.push(await timed(() => get(`${url}/api/v1/results`)));
  }
  const p50 = quantile(talkTimes, 0.5);
  const p99 = quantile(talkTimes, 0.99);
  const ranking = quantile(fresh, 0.5);
  const line = (what: string, ms: number, target?: number) =>
    console.log(
      `${what.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms  ${(ms / ref).toFixed(2).padStart(6)}× count(*)` +
        (target === undefined ? '' : `  target < ${target} ms ${ms < target ? '✓' : '✗'}`),
    );
  console.log(`\n${'figure'.padEnd(44)} ${'time'.padStart(11)}  ratio`);
  line('SELECT count(*) FROM votes (reference, median)', ref);
  line(`talk answer p50 (${talkTimes.length} requests)`, p50);
  line('talk answer p99', p99, TALK_TARGET_MS);
  line('ranking, after a new vote (median of 7)', ranking, RANKING_TARGET_MS);
  line('ranking, first request: counts read (once)', first);
}

await main();
