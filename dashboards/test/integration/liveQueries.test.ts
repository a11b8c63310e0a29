import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { innerJoin } from '../support/grafanaJoin.js';
import {
  expectedStats,
  last,
  type QueryHarness,
  ROOMS,
  startQueryHarness,
  sum,
} from '../support/queryHarness.js';
import { NONE_LIKES, SEEDED_TALKS, seed } from '../support/seed.js';

let harness: QueryHarness;
const run: QueryHarness['run'] = (key, values) => harness.run(key, values);

beforeAll(async () => {
  harness = await startQueryHarness('dashboards_live');
});

afterAll(async () => {
  await harness?.stop();
});

describe('live rooms dashboard', () => {
  it('lists events and rooms in its variables when votes exist', async () => {
    // Act
    const events = await run('likebox-live-rooms / $event / variable');
    const rooms = await run('likebox-live-rooms / $room / variable');

    // Assess
    expect(events.map((row) => row.value)).toEqual(['demo', 'other']);
    expect(rooms.map((row) => row.value)).toEqual(ROOMS);
  });

  it('shows the current talk of every room with its figures when All rooms are selected', async () => {
    // Act
    const stats_ = await run('likebox-live-rooms / Now in every room / A');
    const current = await run('likebox-live-rooms / Now in every room / B');
    const table = innerJoin(stats_, current, 'talk');

    // Assess
    expect(current.map((row) => [row.room, row.talk])).toEqual([
      ['amphi-a', 't-good'],
      ['amphi-b', 't-small'],
      ['room-c', 't-mid'],
    ]);
    expect(table).toHaveLength(3);
    for (const row of table) {
      const talk = row.talk as keyof typeof SEEDED_TALKS;
      expect(row).toMatchObject({ ...expectedStats(talk), title: SEEDED_TALKS[talk].title });
    }
  });

  it('keeps only the selected rooms when several rooms are selected', async () => {
    // Act
    const current = await run('likebox-live-rooms / Now in every room / B', {
      room: ['amphi-b', 'room-c'],
    });

    // Assess
    expect(current.map((row) => row.room)).toEqual(['amphi-b', 'room-c']);
  });

  it('draws cumulative likes and dislikes of one room, votes outside windows included', async () => {
    // Act: Grafana repeats the panel per room, each copy with `$room` set to that one room
    const likes = await run('likebox-live-rooms / Likes and dislikes: $room / A', {
      room: 'amphi-a',
    });
    const dislikes = await run('likebox-live-rooms / Likes and dislikes: $room / B', {
      room: 'amphi-a',
    });

    // Assess
    const { 't-early': early, 't-good': good } = SEEDED_TALKS;
    expect(last(likes, 'likes')).toBe(early.likes + good.likes + NONE_LIKES);
    expect(last(dislikes, 'dislikes')).toBe(early.dislikes + good.dislikes);
    expect(likes.length).toBeGreaterThan(1);
  });

  it('counts votes per minute per room', async () => {
    // Act
    const rows = await run('likebox-live-rooms / Votes per minute / A');

    // Assess
    const total = (room: string) =>
      sum(
        rows.filter((row) => row.room === room),
        'votes',
      );
    expect(total('amphi-a')).toBe(4 + 100 + NONE_LIKES);
    expect(total('amphi-b')).toBe(3);
    expect(total('room-c')).toBe(40);
  });

  it('returns one annotation band per talk with its title and end', async () => {
    // Act
    const rows = await run('likebox-live-rooms / Talks / annotation');

    // Assess
    const { schedule } = seed(harness.now);
    expect(rows.map((row) => row.title).sort()).toEqual(
      Object.values(SEEDED_TALKS)
        .map((talk) => talk.title)
        .sort(),
    );
    for (const talk of schedule.talks) {
      const row = rows.find((r) => r.title === talk.title);
      expect(row?.time).toBe(Date.parse(talk.start));
      expect(row?.end).toBe(Date.parse(talk.end));
    }
  });
});

describe('talk leaderboard dashboard', () => {
  it('ranks 95 likes out of 100 above 3 out of 3 by the Wilson bound', async () => {
    // Act
    const ranking = await run('likebox-leaderboard / Talk leaderboard / A', { min_votes: '1' });
    const titles = await run('likebox-leaderboard / Talk leaderboard / B');
    const table = innerJoin(ranking, titles, 'talk').sort(
      (a, b) => Number(b.wilson) - Number(a.wilson),
    );

    // Assess
    expect(table.map((row) => row.talk)).toEqual(['t-good', 't-mid', 't-small', 't-early']);
    for (const row of table) {
      const talk = row.talk as keyof typeof SEEDED_TALKS;
      expect(row).toMatchObject({ ...expectedStats(talk), room: SEEDED_TALKS[talk].room });
      expect(row.title).toBe(SEEDED_TALKS[talk].title);
      expect(row.closes).toBeGreaterThan(Number(row.start));
    }
    expect(table[0]?.wilson).toBeCloseTo(0.8882, 4);
    expect(table[2]?.wilson).toBeCloseTo(0.4385, 4);
  });

  it('leaves out talks under the minimum vote count', async () => {
    // Act
    const ranking = await run('likebox-leaderboard / Talk leaderboard / A', { min_votes: '10' });

    // Assess
    expect(ranking.map((row) => row.talk).sort()).toEqual(['t-good', 't-mid']);
  });

  it('ranks only the selected rooms when rooms are selected', async () => {
    // Act
    const ranking = await run('likebox-leaderboard / Talk leaderboard / A', {
      min_votes: '1',
      room: ['amphi-b', 'room-c'],
    });

    // Assess
    expect(ranking.map((row) => row.talk).sort()).toEqual(['t-mid', 't-small']);
  });

  it('lists events and rooms in its variables', async () => {
    // Act
    const events = await run('likebox-leaderboard / $event / variable');
    const rooms = await run('likebox-leaderboard / $room / variable');

    // Assess
    expect(events.map((row) => row.value)).toEqual(['demo', 'other']);
    expect(rooms.map((row) => row.value)).toEqual(ROOMS);
  });
});

describe('live rooms and leaderboard dashboards', () => {
  it('have had every panel query, annotation and variable run by this file', () => {
    // Assess (runs last: vitest runs a file's tests in order)
    expect(harness.notRun('likebox-live-rooms')).toEqual([]);
    expect(harness.notRun('likebox-leaderboard')).toEqual([]);
  });
});
