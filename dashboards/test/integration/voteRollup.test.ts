import { describe, expect, it, onTestFinished } from 'vitest';
import { refreshVoteRollup } from '../../src/voteRollup.js';
import { startQueryHarness } from '../support/queryHarness.js';
import { SEEDED_TALKS } from '../support/seed.js';

const RANKING = 'likebox-leaderboard / Talk leaderboard / A';

describe('refreshVoteRollup', () => {
  it('gives the leaderboard the raw totals, late votes included once their minutes are refreshed', async () => {
    // Prepare
    const harness = await startQueryHarness('dashboards_rollup');
    onTestFinished(() => harness.stop());
    const late = harness.now - 3 * 3_600_000; // a box that was offline for 3 hours
    const lines = Array.from(
      { length: 10 },
      (_, i) =>
        `vote,device=d-late,event=demo,room=amphi-b,talk=t-small seq=${i + 1}i,value=1i ${late + i}`,
    ).join('\n');

    // Act
    await harness.influx.write(lines);
    const before = await harness.run(RANKING, { min_votes: '1' });
    const written = await refreshVoteRollup(harness.influx, 'demo', late, late + 9);
    await refreshVoteRollup(harness.influx, 'demo', late, late + 9);
    const after = await harness.run(RANKING, { min_votes: '1' });

    // Assess
    const small = (rows: typeof before) => rows.find((row) => row.talk === 't-small');
    expect(small(before)?.likes).toBe(SEEDED_TALKS['t-small'].likes);
    expect(written).toBe(1);
    expect(small(after)?.likes).toBe(SEEDED_TALKS['t-small'].likes + 10);
    expect(after.find((row) => row.talk === 't-good')?.votes).toBe(100);
  });
});
