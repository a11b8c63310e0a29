import { describe, expect, it } from 'vitest';
import { raisedIds, rehearse } from './noticeRehearsal.js';

/*
 * Issue 17's acceptance for the `offline-box` scenario (the others: upScenarioNotices.test.ts):
 * `likebox up --simulate 6 --replay-now --scenario offline-box` raises `box-silent` on box 3 and
 * clears it when the box is back.
 */

describe('likebox up --simulate --scenario offline-box', { timeout: 180_000 }, () => {
  it('offline-box (box 3, offline from 4 s to 84 s): box-silent-sim-box-3 within 90 s, cleared within 120 s', async () => {
    // Prepare: 4 s minutes; silent after 45 s (the boxes' heartbeat is 30 s, so no other box is).
    // `outbox-growing` cannot come from this box: its status does not reach the ingest while offline.
    const r = await rehearse({ LIKEBOX_SIM_MINUTE_MS: '4000', LIKEBOX_NOTICE_SILENT_S: '45' }, [
      '--scenario',
      'offline-box',
    ]);

    // Act
    const { notice, afterS } = await r.raised('box-silent-sim-box-3', 90_000);
    const clearedS = await r.cleared('box-silent-sim-box-3', 120_000);

    // Assess
    expect(notice).toMatchObject({ kind: 'box-silent', subject: 'sim-box-3' });
    expect(afterS).toBeLessThan(90);
    expect(clearedS).toBeGreaterThan(80);
    expect(clearedS).toBeLessThan(120);
    expect(raisedIds(r.log).filter((id) => id.startsWith('box-silent'))).toEqual([
      'box-silent-sim-box-3',
    ]);
  });
});
