import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedStats,
  last,
  type QueryHarness,
  startQueryHarness,
  sum,
} from '../support/queryHarness.js';
import { BROKER, NONE_LIKES, SEEDED_TALKS } from '../support/seed.js';

let harness: QueryHarness;
const run: QueryHarness['run'] = (key, values) => harness.run(key, values);

beforeAll(async () => {
  harness = await startQueryHarness('dashboards_fleet');
});

afterAll(async () => {
  await harness?.stop();
});

describe('talk dashboard', () => {
  it('shows one talk’s title, figures, curve and band when a talk is chosen', async () => {
    // Act
    const values = { talk: 't-good' };
    const talks = await run('likebox-talk / $talk / variable');
    const events = await run('likebox-talk / $event / variable');
    const about = await run('likebox-talk / Talk / A', values);
    const figures = await run('likebox-talk / Figures / A', values);
    const likes = await run('likebox-talk / Likes and dislikes, cumulative / A', values);
    const dislikes = await run('likebox-talk / Likes and dislikes, cumulative / B', values);
    const perMinute = await run('likebox-talk / Votes per minute / A', values);
    const band = await run('likebox-talk / Talks / annotation', values);

    // Assess
    expect(talks.map((row) => row.value)).toEqual(Object.keys(SEEDED_TALKS).sort());
    expect(events.map((row) => row.value)).toEqual(['demo', 'other']);
    expect(about).toEqual([
      expect.objectContaining({
        room: 'amphi-a',
        title: SEEDED_TALKS['t-good'].title,
        speakers: 'Speaker of t-good',
      }),
    ]);
    expect(figures).toEqual([expect.objectContaining(expectedStats('t-good'))]);
    expect(last(likes, 'likes')).toBe(95);
    expect(last(dislikes, 'dislikes')).toBe(5);
    expect(sum(perMinute, 'votes')).toBe(100);
    expect(band.map((row) => row.title)).toEqual([SEEDED_TALKS['t-good'].title]);
  });
});

describe('fleet health dashboard', () => {
  it('counts boxes online and offline from each box’s last status', async () => {
    // Act
    const online = await run('likebox-fleet / Boxes online / A');
    const offline = await run('likebox-fleet / Boxes offline / A');
    const boxes = await run('likebox-fleet / Boxes / A');
    const events = await run('likebox-fleet / $event / variable');

    // Assess
    expect(online[0]?.boxes).toBe(3);
    expect(offline[0]?.boxes).toBe(1);
    expect(boxes.map((row) => [row.device, row.online, row.room])).toEqual([
      ['d-a1', true, 'amphi-a'],
      ['d-a2', false, 'amphi-a'],
      ['d-b1', true, 'amphi-b'],
      ['d-c1', true, 'room-c'],
    ]);
    expect(events.map((row) => row.value)).toEqual(['demo', 'other']);
  });

  it('sums the outboxes and counts votes per box', async () => {
    // Act
    const total = await run('likebox-fleet / Votes in outboxes / A');
    const depth = await run('likebox-fleet / Outbox depth / A');
    const perBox = await run('likebox-fleet / Votes per box / A');

    // Assess
    expect(total[0]?.outbox).toBe(0 + 7 + 2 + 1);
    expect(Math.max(...depth.map((row) => Number(row['fullest box'])))).toBe(7);
    const votes = Object.fromEntries(perBox.map((row) => [row.device, row.votes]));
    expect(votes).toEqual({ 'd-a1': 2 + 50 + NONE_LIKES, 'd-a2': 2 + 50, 'd-b1': 3, 'd-c1': 40 });
  });

  it('shows broker clients, message rates and ingest lag', async () => {
    // Act
    const clientsNow = await run('likebox-fleet / Broker clients / A');
    const rates = await run('likebox-fleet / Broker messages / A');
    const lag = await run('likebox-fleet / Ingest lag / A');
    const lagNow = await run('likebox-fleet / Ingest lag now / A');
    const backlog = await run('likebox-fleet / Ingest backlog / A');
    const clients = await run('likebox-fleet / Broker clients now / A');

    // Assess
    const clientSeries = clientsNow.filter((row) => row.all !== undefined);
    expect(
      last(
        clientSeries.filter((row) => row.all !== null),
        'all',
      ),
    ).toBe(BROKER.lastClients);
    const inRates = rates.map((row) => Number(row.in));
    expect(Math.max(...inRates)).toBeCloseTo(BROKER.inPerSecond, 9);
    expect(Math.max(...rates.map((row) => Number(row.out)))).toBeCloseTo(BROKER.outPerSecond, 9);
    expect(Math.max(...lag.map((row) => Number(row.lag ?? 0)))).toBe(120);
    expect(lagNow[0]).toMatchObject({ lag: 80, pending: 0 });
    expect(backlog[0]).toMatchObject({ pending: 0 });
    expect(clients[0]?.clients).toBe(BROKER.lastClients);
  });
});

describe('talk and fleet health dashboards', () => {
  it('have had every panel query, annotation and variable run by this file', () => {
    // Assess (runs last: vitest runs a file's tests in order)
    expect(harness.notRun('likebox-talk')).toEqual([]);
    expect(harness.notRun('likebox-fleet')).toEqual([]);
  });
});
