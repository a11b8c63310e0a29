import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { InfluxClient, InfluxRequestError } from '../../src/client.js';
import { influxQLIdentifier, influxQLString } from '../../src/escape.js';
import { freePort } from '../../src/managedInfluxd.js';
import { point, TALK } from '../../src/measurements.js';
import { votePoint } from '../../src/points.js';
import { startTestInfluxd } from '../../src/testing.js';

async function clientOn(database: string): Promise<InfluxClient> {
  const influxd = await startTestInfluxd(await tempDir('likebox-client-'));
  const client = new InfluxClient({ url: influxd.url, database });
  await client.admin.createDatabase(database);
  return client;
}

const AWKWARD = ['a b', 'a,b', 'a=b', 'say "hi"', "o'clock", 'back\\slash', 'two\nlines', 'end\\'];

describe('InfluxClient', () => {
  it('stores and finds again tag and string values with spaces, commas, equals, quotes, backslashes and newlines', async () => {
    // Prepare
    const client = await clientOn('escapes');
    const points = AWKWARD.map((value, i) =>
      point(TALK, { event: 'e', room: 'r', talk: value }, { title: value }, `${i + 1}000000`),
    );

    // Act
    await client.write(points);
    const stored = await client.rows('SELECT "title", "talk" FROM "talk"');
    const found = await Promise.all(
      points.map(async (p) => {
        const where = `"talk" = ${influxQLString(p.tags.talk as string)}`;
        return (await client.rows(`SELECT "title" FROM "talk" WHERE ${where}`)).length;
      }),
    );

    // Assess
    const cleaned = ['a b', 'a,b', 'a=b', 'say "hi"', "o'clock", 'back\\slash', 'two lines', 'end'];
    expect(stored.map((row) => row.talk)).toEqual(cleaned);
    expect(stored.map((row) => row.title)).toEqual([...cleaned.slice(0, 7), 'end\\']);
    expect(found).toEqual(AWKWARD.map(() => 1));
  });

  it('writes in ns into the retention policy it is given and reads it back by its identifier', async () => {
    // Prepare
    const client = await clientOn('policies');
    await client.admin.createRetentionPolicy('a "policy"', {
      database: 'policies',
      duration: 'INF',
      replication: 1,
    });
    const vote = { event: 'e', device: 'box-1', seq: 42, value: 1 as const, room: 'r', talk: 't' };

    // Act
    await client.write([votePoint({ ...vote, at: 1_750_000_000_123 })], 'a "policy"');
    const from = `"policies".${influxQLIdentifier('a "policy"')}."vote"`;
    const exact = await client.rows(`SELECT "seq" FROM ${from} WHERE time = 1750000000123000042`);
    const inDefault = await client.rows('SELECT "seq" FROM "vote"');

    // Assess
    expect(exact).toEqual([{ time: 1_750_000_000_123, seq: 42 }]);
    expect(inDefault).toEqual([]);
  });

  it('rejects with InfluxDB’s message and status when a query or a write is refused', async () => {
    // Prepare
    const client = await clientOn('refusals');
    const missing = new InfluxClient({ url: client.url, database: 'missing' });
    const vote = {
      event: 'e',
      device: 'd',
      seq: 1,
      value: 1 as const,
      at: 1,
      room: 'r',
      talk: 't',
    };

    // Act: all at once, each rejection handled from the start.
    const [parse, statement, write] = await Promise.allSettled([
      client.query('SELEKT nothing'),
      missing.query('SELECT * FROM "vote"'),
      missing.write([votePoint(vote)]),
    ]);

    // Assess
    const reason = (result: PromiseSettledResult<unknown>) =>
      result.status === 'rejected' ? (result.reason as InfluxRequestError) : undefined;
    expect(reason(parse)).toBeInstanceOf(InfluxRequestError);
    expect(reason(parse)).toMatchObject({ status: 400, message: /error parsing query/ });
    expect(reason(statement)).toMatchObject({ status: 200, message: /database not found/ });
    expect(reason(write)).toMatchObject({ status: 404, message: /database not found/ });
  });

  it('tries every request again at once, never "No host available", when InfluxDB is unreachable', async () => {
    // Prepare
    const client = new InfluxClient({ url: `http://127.0.0.1:${await freePort()}`, database: 'x' });

    // Act
    const first = await client.ping(1000);
    const errors = await Promise.all(
      [1, 2, 3].map(() => client.query('SHOW DATABASES').catch((err: unknown) => err)),
    );

    // Assess
    expect(first.online).toBe(false);
    for (const err of errors) {
      expect(err).toMatchObject({ status: undefined, message: /ECONNREFUSED/ });
    }
  });
});
