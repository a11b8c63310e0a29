import type { Notice, Status } from '@likebox/protocol';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Journal } from '../../src/journal.js';
import { JournalStorage } from '../../src/journalStorage.js';
import { createMetrics } from '../../src/metrics.js';
import { NoticesEnv, noticeConfigOf } from '../../src/noticeConfig.js';
import { Notices } from '../../src/notices.js';
import { NoticeWatch } from '../../src/noticeWatch.js';
import { Outputs } from '../../src/outputs.js';
import { Tallies } from '../../src/tallies.js';

/** A watch over real parts (journal in memory); `published` logs every notice message. */
function watchOf(): { watch: NoticeWatch; published: [string, Notice | undefined][] } {
  const log = pino({ level: 'silent' });
  const published: [string, Notice | undefined][] = [];
  const notices = new Notices((id, notice) => published.push([id, notice]), log);
  const journal = new Journal(':memory:');
  onTestFinished(() => journal.close());
  const outputs = new Outputs({ publish: () => undefined }, 'test');
  const watch = new NoticeWatch(
    {
      ...{
        config: noticeConfigOf(NoticesEnv.parse({})),
        notices,
        journal,
        journalFile: ':memory:',
      },
      ...{ storage: new JournalStorage(createMetrics(), log), writer: undefined, log },
      ...{ tallies: new Tallies(outputs, () => undefined), index: () => undefined },
    },
    0,
  );
  return { watch, published };
}

function live(stuck?: Status['stuck']): Status {
  return { online: true, outbox: 0, version: 'test', uptime: 10, ...(stuck ? { stuck } : {}) };
}

describe('NoticeWatch stuck-button from the status', () => {
  it('raises stuck-button while the status lists a held button, keeps it through the will, and clears it when the list empties', () => {
    // Prepare
    const { watch, published } = watchOf();

    // Act
    watch.status('box-2', live(), 1000);
    watch.check(1500);
    const before = published.length;
    watch.status('box-2', live(['like']), 2000);
    watch.check(2500);
    const raised = published.at(-1);
    watch.status('box-2', { online: false, outbox: 0, version: 'test', uptime: 20 }, 3000);
    watch.check(3500);
    const afterWill = published.length;
    watch.status('box-2', live([]), 4000);
    watch.check(4500);
    const cleared = published.at(-1);

    // Assess
    expect(before).toBe(0);
    expect(raised?.[0]).toBe('stuck-button-box-2');
    expect(raised?.[1]).toMatchObject({ kind: 'stuck-button', subject: 'box-2', since: 2500 });
    expect(raised?.[1]?.message).toMatch(/like button has been held closed/);
    expect(afterWill).toBe(before + 1);
    expect(cleared).toEqual(['stuck-button-box-2', undefined]);
  });

  it('treats a status without `stuck` (an older box) as no button held', () => {
    // Prepare
    const { watch, published } = watchOf();

    // Act
    watch.status('box-1', live(['dislike', 'like']), 1000);
    watch.check(1000);
    watch.status('box-1', live(), 2000);
    watch.check(2000);

    // Assess
    expect(published.map(([id, n]) => [id, n?.message.includes('dislike and like')])).toEqual([
      ['stuck-button-box-1', true],
      ['stuck-button-box-1', undefined],
    ]);
  });
});
