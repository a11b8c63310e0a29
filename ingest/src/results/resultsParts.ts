import { decodePayload, type ScheduleIndex } from '@likebox/protocol';
import type { Logger } from 'pino';
import { ApiRouter } from '../apiRouter.js';
import type { Config } from '../config.js';
import { OrganiserCheck } from '../deadLetterAccess.js';
import type { Journal } from '../journal.js';
import type { Outputs } from '../outputs.js';
import { Results } from './results.js';
import { addResultsRoutes } from './resultsRoutes.js';
import { ResultsStore } from './resultsStore.js';
import { Seals } from './seals.js';

/** The results side of a running ingest. */
export interface ResultsParts {
  /** The journal's read side. */
  store: ResultsStore;
  /** The read model behind the API. */
  results: Results;
  /** The sealed results. */
  seals: Seals;
  /** The HTTP API (`/api/v1/…`): other modules add their routes to it. */
  api: ApiRouter;
  /** Stores an organiser's `headcount` message (invalid ones are logged and dropped). */
  onHeadcount: (talk: string, payload: Uint8Array) => void;
}

/**
 * Builds the results: the store on the journal's connection, the sealed results published through
 * `outputs`, the read model and the API with its results routes. Organisers are recognised by HTTP
 * Basic against the users file.
 */
export function createResultsParts(
  config: Config,
  journal: Journal,
  outputs: Outputs,
  index: () => ScheduleIndex | undefined,
  log: Logger,
): ResultsParts {
  const { event } = config;
  const store = new ResultsStore(journal.database);
  const seals = new Seals({
    ...{ event, store, index, log: log.child({ module: 'seals' }) },
    publish: (room, result) => outputs.result(room, result),
  });
  const { showCounts, minVotes } = config.results;
  const results = new Results({ event, store, index, showCounts, seal: (t) => seals.seal(t) });
  const access = new OrganiserCheck(config.deadLetters.usersFile, event);
  const apiLog = log.child({ module: 'api' });
  const api = new ApiRouter(access, (err) => apiLog.error({ err }, 'API handler failed'));
  addResultsRoutes(api, { results, store, event, minVotes });
  const onHeadcount = (talk: string, payload: Uint8Array) => {
    if (payload.byteLength === 0) return; // a cleared retained headcount
    const decoded = decodePayload('headcount', payload);
    if (!decoded.success) {
      apiLog.warn({ talk, error: decoded.error }, 'invalid headcount dropped');
      return;
    }
    if (index() !== undefined && results.findTalk(talk) === undefined) {
      apiLog.warn({ talk }, 'headcount for a talk the schedule does not know; stored anyway');
    }
    store.saveHeadcount(event, talk, decoded.data);
  };
  return { store, results, seals, api, onHeadcount };
}
