import {
  type Ranking,
  RankingAnswer,
  type Schedule,
  SchedulePayload,
  type TalkResult,
  TalkResultAnswer,
} from '@likebox/protocol';
import { talkResultPath } from '@likebox/web';
import type { z } from 'zod';
import { ReportError } from '../errors.js';

/** Talks read at once from the server (it answers each from the journal in ~ms). */
const PARALLEL = 4;

/** What a report is made of, read from a running server's results API. */
export interface ReportData {
  schedule: Schedule;
  results: Ranking;
  talks: Map<string, TalkResult>;
  /** `GET /api/v1/results.csv` and `/api/v1/votes.csv` as served. */
  resultsCsv: string;
  votesCsv: string;
}

async function get(base: URL, path: string): Promise<Response> {
  const url = new URL(path, base);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new ReportError(
      `cannot reach the LikeBox server at ${base.origin} (${String(err)}): is \`likebox up\` running? (--url)`,
      { cause: err },
    );
  }
  if (!response.ok) {
    const body = await response.text();
    throw new ReportError(`${url.pathname} answered ${response.status}: ${body.slice(0, 200)}`);
  }
  return response;
}

async function getJson<T>(base: URL, path: string, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await (await get(base, path)).json());
  if (!parsed.success)
    throw new ReportError(`${path}: unexpected answer (${parsed.error.message})`);
  return parsed.data;
}

/** Progress of {@link readReportData}: the number of talks, then each talk read. */
export interface ReadProgress {
  start(total: number): void;
  talk(done: number): void;
}

/**
 * Reads the schedule, the ranking, every talk's result and the CSV exports from the server at
 * `base`, telling `progress` how far it is (the progress bar).
 */
export async function readReportData(base: URL, progress: ReadProgress): Promise<ReportData> {
  const schedule = await getJson(base, '/api/v1/schedule', SchedulePayload);
  const results = await getJson(base, '/api/v1/results', RankingAnswer);
  progress.start(results.talks.length);
  const talks = new Map<string, TalkResult>();
  const queue = results.talks.map((row) => row.id);
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      talks.set(id, await getJson(base, talkResultPath(id), TalkResultAnswer));
      progress.talk(talks.size);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const resultsCsv = await (await get(base, '/api/v1/results.csv')).text();
  const votesCsv = await (await get(base, '/api/v1/votes.csv')).text();
  return { schedule, results, talks, resultsCsv, votesCsv };
}
