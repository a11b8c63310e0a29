import { type Tally, topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import {
  basicAuth,
  connectAs,
  eventually,
  PASSWORD,
  publishVotes,
  startTestBroker,
  tempDir,
  testConfig,
  votes,
  waitForMessage,
  writeSchedule,
} from './harness.js';

const ORGANISER = {
  authorization: basicAuth('organiser', PASSWORD),
};

/** A standalone ingest whose talk `t1` (room amphi) takes votes now, holding 6 of its votes. */
async function ingestWithVotes(env: Record<string, string> = {}) {
  const dir = await tempDir();
  const broker = await startTestBroker(dir, ['box-1']);
  const now = Date.now();
  const scheduleFile = await writeSchedule(dir, now - 20 * 60_000);
  const ingest = await startIngest(
    testConfig(dir, broker.mqttUrl, { LIKEBOX_SCHEDULE_FILE: scheduleFile, ...env }),
  );
  onTestFinished(() => ingest.stop());
  const box = await connectAs(broker.mqttUrl, 'box-1');
  await publishVotes(box, 'test', 'box-1', votes(1, 6, now - 1000));
  const reader = await connectAs(broker.mqttUrl, 'organiser', 'reader');
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${ingest.httpUrl}${path}`, { headers });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, type, body: type.includes('json') ? JSON.parse(text) : text };
  };
  return { get, reader };
}

describe('results API of a standalone ingest', () => {
  it('serves a talk, the ranking and its CSV from the journal, with JSON errors', async () => {
    // Prepare
    const { get, reader } = await ingestWithVotes({ LIKEBOX_RESULTS_MIN_VOTES: '5' });
    await waitForMessage<Tally>(reader, topics.tally('test', 'amphi'), (t) => t.likes === 3);

    // Act
    const talk = await get('/api/v1/talks/t1');
    const ranking = await get('/api/v1/results?room=amphi');
    const csv = await get('/api/v1/results.csv');
    const unknownPath = await get('/api/v1/nothing-here');
    const badQuery = await get('/api/v1/results?min=-1');
    const unknownRoom = await get('/api/v1/rooms/attic');
    const days = await get('/api/v1/rooms/amphi');

    // Assess
    expect(talk.status).toBe(200);
    expect(talk.body.figures).toMatchObject({ likes: 3, dislikes: 3, votes: 6, net: 0 });
    expect(talk.body.talk).toMatchObject({ id: 't1', state: 'open', speakers: ['Ada'] });
    expect(ranking.body.talks).toMatchObject([{ rank: 1, id: 't1', votes: 6 }]);
    expect(ranking.body.minVotes).toBe(5);
    expect(csv.type).toContain('text/csv');
    expect(String(csv.body).split('\r\n')[1]).toMatch(/^1,t1,Talk one,Ada,amphi,Amphi,/);
    expect(unknownPath).toMatchObject({ status: 404, body: { error: 'unknown API path' } });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error).toContain('min');
    expect(unknownRoom).toMatchObject({ status: 404, body: { error: 'unknown room' } });
    expect(days.body).toEqual({
      room: { slug: 'amphi', name: 'Amphi' },
      days: [expect.any(String)],
    });
  });

  it('hides an open talk from the public tally and API under after-close, not from organisers', async () => {
    // Prepare
    const { get, reader } = await ingestWithVotes({ LIKEBOX_SHOW_COUNTS: 'after-close' });

    // Act
    const tally = await waitForMessage<Tally>(
      reader,
      topics.tally('test', 'amphi'),
      (t) => t.talk === 't1',
    );
    const organiser = await eventually(async () => {
      const answer = await get('/api/v1/talks/t1', ORGANISER);
      return answer.body.figures?.votes === 6 ? answer : undefined;
    });
    const anonymous = await get('/api/v1/talks/t1');
    const ranking = await get('/api/v1/results?min=0');
    const rawAnonymous = await get('/api/v1/talks/t1?raw=1');
    const rawOrganiser = await get('/api/v1/talks/t1?raw=1', ORGANISER);

    // Assess
    expect(tally).toMatchObject({ talk: 't1', hidden: true, likes: 0, dislikes: 0 });
    expect(anonymous.body).toMatchObject({
      hidden: true,
      figures: null,
      curve: null,
      walkOut: null,
    });
    expect(organiser.body).toMatchObject({ hidden: false, figures: { likes: 3, dislikes: 3 } });
    expect(ranking.body.talks).toMatchObject([{ id: 't1', rank: null, hidden: true, likes: null }]);
    expect(rawAnonymous.status).toBe(401);
    expect(rawOrganiser.body.figures).toMatchObject({ votes: 6 });
  });
});
