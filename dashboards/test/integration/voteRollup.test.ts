import { createInfluxClient, refreshVoteRollup } from '@likebox/influx';
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

describe('refreshVoteRollup', () => {
  it('gives the leaderboard the raw totals, late votes included once their minutes are refreshed', async () => {
    // Prepare
    const late = harness.now - 3 * 3_600_000; // a box that was offline for 3 hours
    const lines = Array.from(
      { length: 10 },
      (_, i) =>
        `vote,device=d-late,event=demo,room=amphi-b,talk=t-small seq=${i + 1}i,value=1i ${late + i}`,
    ).join('\n');

    // Act
    await harness.influx.write(lines);
    const before = await harness.run(RANKING, { min_votes: '1' });
    const client = createInfluxClient({ url: harness.url, database: DATABASE });
    const written = await refreshVoteRollup(client, 'demo', late, late + 9);
    await refreshVoteRollup(client, 'demo', late, late + 9);
    const after = await harness.run(RANKING, { min_votes: '1' });

    // Assess
    const small = (rows: typeof before) => rows.find((row) => row.talk === 't-small');
    expect(small(before)?.likes).toBe(SEEDED_TALKS['t-small'].likes);
    expect(written).toBe(1);
    expect(small(after)?.likes).toBe(SEEDED_TALKS['t-small'].likes + 10);
    expect(after.find((row) => row.talk === 't-good')?.votes).toBe(100);
  });
});

describe('createInfluxClient', () => {
  it('rejects with the server’s message when a query is invalid', async () => {
    // Prepare
    const client = createInfluxClient({ url: harness.url, database: DATABASE });

    // Act: both requests at once, each rejection handled from the start (awaiting one after the
    // other left the write's rejection unhandled whenever it came first).
    const [query, write] = await Promise.allSettled([
      client.query('SELEKT nothing'),
      client.write('not line protocol'),
    ]);

    // Assess
    expect(query.status === 'rejected' && String(query.reason)).toMatch(/query failed \(400\)/);
    expect(write.status === 'rejected' && String(write.reason)).toMatch(/write failed \(400\)/);
  });
});
