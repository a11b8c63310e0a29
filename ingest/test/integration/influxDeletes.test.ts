import { InfluxClient, InfluxRequestError, voteMinutePoint, votePoint } from '@likebox/influx';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type PendingDeletions, runDeletions } from '../../src/influxDeletes.js';
import type { InfluxDeletion } from '../../src/journalMoves.js';
import { influxNumber, startTestInfluxd, tempDir } from './harness.js';

const T0 = 1_750_000_020_000;
const log = pino({ level: 'silent' });

/** Deletions kept in memory, as the journal keeps them in `settings`. */
function pending(list: InfluxDeletion[]): PendingDeletions & { left: InfluxDeletion[] } {
  const store = {
    left: [...list],
    pendingDeletions: () => [...store.left],
    deletionsDone: (done: readonly InfluxDeletion[]) => {
      store.left = store.left.filter((d) => !done.includes(d));
    },
  };
  return store;
}

const deletion = (talk: string): InfluxDeletion => ({
  ...{ event: 'e', room: "it's", talk },
  ...{ from: T0, to: T0 + 60_000 },
});

describe('runDeletions', () => {
  it("deletes one talk's vote and vote_1m points in the range, in every retention policy, and forgets it", async () => {
    // Prepare: votes of t1 in the range and after it, one of t2 in it; a quote in the room slug.
    const influxd = await startTestInfluxd(await tempDir());
    const client = new InfluxClient({ url: influxd.url, database: 'del' });
    await client.query('CREATE DATABASE del');
    await client.query('CREATE RETENTION POLICY votes ON del DURATION 520w REPLICATION 1');
    const vote = (seq: number, at: number, talk: string) =>
      votePoint({ event: 'e', device: 'b', seq, value: 1, at, room: "it's", talk });
    await client.write(
      [vote(1, T0, 't1'), vote(2, T0 + 60_000, 't1'), vote(3, T0 + 60_001, 't1')],
      'votes',
    );
    await client.write([vote(4, T0 + 5, 't2')], 'votes');
    const minute = { event: 'e', room: "it's", votes: 1, net: 1 };
    await client.write([
      voteMinutePoint({ ...minute, talk: 't1', minute: T0 }),
      voteMinutePoint({ ...minute, talk: 't1', minute: T0 + 120_000 }),
    ]);
    const store = pending([deletion('t1')]);

    // Act
    await runDeletions(client, store, log);
    await runDeletions(client, pending([deletion('t1')]), log);

    // Assess
    const count = (q: string) => influxNumber(influxd.url, 'del', q);
    expect(await count(`SELECT count(seq) FROM del.votes.vote WHERE talk = 't1'`)).toBe(1);
    expect(await count(`SELECT count(seq) FROM del.votes.vote WHERE talk = 't2'`)).toBe(1);
    expect(await count(`SELECT count(votes) FROM vote_1m`)).toBe(1);
    expect(store.left).toEqual([]);
  });

  it('keeps every deletion pending and throws when InfluxDB cannot be reached', async () => {
    // Prepare: an influxd stopped, so its port refuses.
    const influxd = await startTestInfluxd(await tempDir());
    await influxd.stop();
    const client = new InfluxClient({ url: influxd.url, database: 'del', timeoutMs: 2000 });
    const store = pending([deletion('t1'), deletion('t2')]);

    // Act
    const failure = await runDeletions(client, store, log).catch((err: unknown) => err);

    // Assess
    expect(failure).toBeInstanceOf(InfluxRequestError);
    expect((failure as InfluxRequestError).status).toBeUndefined();
    expect(store.left).toHaveLength(2);
  });

  it('forgets a deletion InfluxDB refuses for good (a statement error) and goes on', async () => {
    // Prepare: no such database, which influxd reports inside a good answer.
    const influxd = await startTestInfluxd(await tempDir());
    const client = new InfluxClient({ url: influxd.url, database: 'missing' });
    const store = pending([deletion('t1'), deletion('t2')]);

    // Act
    await runDeletions(client, store, log);

    // Assess
    expect(store.left).toEqual([]);
  });
});
