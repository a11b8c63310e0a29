import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  RankingAnswer,
  RoomDayAnswer,
  RoomDaysAnswer,
  type Schedule,
  ScheduleIndex,
  TalkResultAnswer,
} from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ApiRouter } from '../../src/apiRouter.js';
import { Journal, type JournalVote } from '../../src/journal.js';
import { Results, type ShowCounts } from '../../src/results/results.js';
import { addResultsRoutes } from '../../src/results/resultsRoutes.js';
import { ResultsStore } from '../../src/results/resultsStore.js';

const START = Date.UTC(2026, 5, 11, 9);
const NOW = START + 30 * 60_000;

const SCHEDULE: Schedule = {
  ...{ version: 1, event: 'e', name: 'E', timeZone: 'Europe/Paris' },
  rooms: [{ slug: 'amphi', name: 'Amphi' }],
  talks: [
    {
      ...{ id: 't1', room: 'amphi', title: 'Talk one', speakers: ['Ada'], format: 'Conférence' },
      start: new Date(START).toISOString(),
      end: new Date(START + 45 * 60_000).toISOString(),
      votable: true,
    },
  ],
};

function vote(seq: number): JournalVote {
  const at = START + 15 * 60_000 + seq * 1000;
  const identity = { event: 'e', device: 'box-1', epoch: 'abc', seq };
  return {
    ...identity,
    value: seq % 2 ? 1 : -1,
    at,
    boxAt: at,
    received: at,
    room: 'amphi',
    talk: 't1',
  };
}

/** The results routes over a journal holding 5 votes for the open talk t1, on a free port. */
async function serveResults(showCounts: ShowCounts): Promise<(path: string) => Promise<unknown>> {
  const journal = new Journal(':memory:');
  onTestFinished(() => journal.close());
  journal.commit(Array.from({ length: 5 }, (_, i) => vote(i + 1)));
  const store = new ResultsStore(journal.database);
  const index = new ScheduleIndex(SCHEDULE);
  const seal = { digest: 'ab'.repeat(32), at: NOW };
  const results = new Results({
    ...{ event: 'e', store, index: () => index, showCounts },
    ...{ seal: () => seal, now: () => NOW },
  });
  const api = new ApiRouter(undefined, (err) => expect.unreachable(String(err)));
  addResultsRoutes(api, { results, store, event: 'e', minVotes: 3 });
  const server = createServer((req, res) => void api.handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    server.close();
    server.closeAllConnections();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path) => (await fetch(`${url}${path}`)).json();
}

describe('results routes', () => {
  it('answer exactly the shapes of the protocol, shown or hidden', async () => {
    // Prepare
    const shown = await serveResults('live');
    const hidden = await serveResults('after-close');

    // Act
    const answers = await Promise.all(
      [shown, hidden].map(async (get) => ({
        talk: TalkResultAnswer.parse(await get('/api/v1/talks/t1')),
        days: RoomDaysAnswer.parse(await get('/api/v1/rooms/amphi')),
        day: RoomDayAnswer.parse(await get('/api/v1/rooms/amphi/days/2026-06-11')),
        ranking: RankingAnswer.parse(await get('/api/v1/results?room=amphi')),
      })),
    );

    // Assess
    const [live, afterClose] = answers;
    expect(live?.talk).toMatchObject({ hidden: false, figures: { likes: 3, dislikes: 2 } });
    expect(live?.talk.talk).toMatchObject({ room: { slug: 'amphi', name: 'Amphi' } });
    expect(live?.days.days).toEqual(['2026-06-11']);
    expect(live?.day.talks).toMatchObject([{ id: 't1', hidden: false, figures: { votes: 5 } }]);
    expect(live?.ranking.talks).toMatchObject([{ rank: 1, room: { slug: 'amphi' }, votes: 5 }]);
    expect(afterClose?.talk).toMatchObject({ hidden: true, figures: null, curve: null });
    expect(afterClose?.day.talks).toMatchObject([{ hidden: true, figures: null }]);
    expect(afterClose?.ranking.talks).toMatchObject([{ rank: null, hidden: true, votes: null }]);
  });
});
