import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { journalAfterStop, rehearse } from './noticeRehearsal.js';

/*
 * Issue 17's acceptance: a clean rehearsal (`likebox up --simulate 6 --replay-now`, no scenario) of
 * the demo and of a real pretalx programme raises no notice, with the default thresholds (meant to
 * stay quiet through a clean day), over 45 s of votes (exit bursts shortened to 4 s so that the
 * boxes' first bursts arrive within it).
 */

/** A real pretalx programme (DemoCon, December 2020, two rooms). */
const PRETALX = fileURLToPath(new URL('../fixtures/pretalx-democon.json', import.meta.url));

describe('likebox up --simulate --replay-now without scenario', { timeout: 180_000 }, () => {
  for (const [name, extra] of [
    ['the demo', {}],
    ['a pretalx programme (DemoCon)', { LIKEBOX_SCHEDULE_FILE: PRETALX }],
  ] as const) {
    it(`rehearses ${name}: votes, and no notice in 45 s`, async () => {
      // Prepare
      const r = await rehearse({ LIKEBOX_BURST_S: '4', ...extra });

      // Act
      await new Promise((resolve) => setTimeout(resolve, 45_000));
      const log = [...r.log];
      const [votes] = await journalAfterStop<{ n: number }>(r, 'SELECT COUNT(*) AS n FROM votes');

      // Assess
      expect(votes?.n).toBeGreaterThan(0);
      expect(log).toEqual([]);
    });
  }
});
