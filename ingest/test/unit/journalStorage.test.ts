import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { JournalStorage, RETRY_MAX_MS } from '../../src/journalStorage.js';
import { createMetrics } from '../../src/metrics.js';

function sqliteError(code: string): Error {
  return Object.assign(new Error('database or disk is full'), { code });
}

describe('JournalStorage', () => {
  it('backs off from 250 ms to 5 s while commits fail and is ok again after one succeeds', async () => {
    // Prepare
    const metrics = createMetrics();
    const storage = new JournalStorage(metrics, pino({ level: 'silent' }));

    // Act
    const waits = Array.from({ length: 7 }, (_, i) =>
      storage.failed(sqliteError('SQLITE_FULL'), 3, 1000 + i),
    );
    const failing = storage.state;
    storage.succeeded(2000);

    // Assess
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, RETRY_MAX_MS, RETRY_MAX_MS]);
    expect(failing).toEqual({
      ok: false,
      reason: 'SQLITE_FULL: database or disk is full',
      since: 1000,
      failures: 7,
    });
    expect(storage.state).toEqual({ ok: true, failures: 0 });
    expect(await metrics.registry.metrics()).toMatch(
      /journal_commit_failures_total\{code="SQLITE_FULL"\} 7/,
    );
  });
});
