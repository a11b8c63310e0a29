import { minuteOf, rollUpVotes, voteMinutePoint, votePoint } from '@likebox/influx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QueryHarness, startQueryHarness } from '../support/queryHarness.js';
import { SEEDED_TALKS } from '../support/seed.js';

const DATABASE = 'dashboards_rollup';
let harness: QueryHarness;

beforeAll(async () => {
  harness = await startQueryHarness(DATABASE);
});

afterAll(async () => {
  await harness?.stop();
});

const RANKING = 'likebox-leaderboard / Talk leaderboard / A';

describe('vote_1m', () => {
  it('gives the leaderboard the raw totals, late votes included, once their minute is written as the ingest does', async () => {
    // Prepare: a box that was offline for 3 hours delivers 10 likes at once.
    const late = minuteOf(harness.now - 3 * 3_600_000) + 1000;
    const delivered = Array.from({ length: 10 }, (_, i) => ({
      ...{ event: 'demo', device: 'd-late', seq: i + 1, value: 1 as const, at: late + i },
      ...{ room: 'amphi-b', talk: 't-small' },
    }));

    // Act: the ingest writes the batch's votes, then the totals of the minutes they fall in
    // (from its journal: here the same aggregation over every vote of that minute).
    await harness.influx.write(delivered.map(votePoint));
    const before = await harness.run(RANKING, { min_votes: '1' });
    const minutes = rollUpVotes(delivered).map(voteMinutePoint);
    await harness.influx.write(minutes);
    await harness.influx.write(minutes);
    const after = await harness.run(RANKING, { min_votes: '1' });

    // Assess
    const small = (rows: typeof before) => rows.find((row) => row.talk === 't-small');
    expect(small(before)?.likes).toBe(SEEDED_TALKS['t-small'].likes);
    expect(minutes).toHaveLength(1);
    expect(small(after)?.likes).toBe(SEEDED_TALKS['t-small'].likes + 10);
    expect(after.find((row) => row.talk === 't-good')?.votes).toBe(100);
  });
});
