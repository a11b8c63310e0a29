import {
  ApiDay,
  type Ranking,
  type RoomDay,
  type RoomDays,
  Slug,
  type TalkResult,
} from '@likebox/protocol';
import { z } from 'zod';
import {
  API_ROOT,
  type ApiAnswer,
  ApiError,
  type ApiRequest,
  type ApiRouter,
} from '../apiRouter.js';
import { csvRow } from './csv.js';
import { matches, type RankingQuery, rank } from './ranking.js';
import { PUBLIC, type Results, type Viewer } from './results.js';
import type { ResultsStore } from './resultsStore.js';

const Flag = z.enum(['0', '1']).optional();

/** The ranking's query parameters; `min` defaults to the configured minimum. */
function rankingQuery(query: URLSearchParams, minVotes: number): RankingQuery & { raw: boolean } {
  const parsed = z
    .strictObject({
      day: ApiDay.optional(),
      room: Slug.optional(),
      format: z.string().min(1).max(80).optional(),
      min: z.coerce.number().int().min(0).max(1_000_000).default(minVotes),
      raw: Flag,
    })
    .safeParse(Object.fromEntries(query));
  if (!parsed.success) throw new ApiError(400, z.prettifyError(parsed.error));
  return { ...parsed.data, raw: parsed.data.raw === '1' };
}

/**
 * Who asks: an organiser (HTTP Basic against the users file) sees open talks' counts; `?raw=1`,
 * organisers only, also counts the votes set aside as likely misuse.
 */
async function viewerOf(req: ApiRequest, raw: boolean): Promise<Viewer> {
  const verdict = await req.organiser();
  if (raw && verdict === 'unauthenticated') throw new ApiError(401, 'organiser credentials needed');
  if (raw && verdict === 'forbidden') throw new ApiError(403, 'organisers only');
  return verdict === 'ok' ? { organiser: true, raw } : PUBLIC;
}

function rawFlag(query: URLSearchParams): boolean {
  const parsed = Flag.safeParse(query.get('raw') ?? undefined);
  if (!parsed.success) throw new ApiError(400, 'raw must be 0 or 1');
  return parsed.data === '1';
}

function noSchedule(): never {
  throw new ApiError(404, 'no schedule: the server has no programme loaded');
}

/** The ranking (JSON body), shared by `results` and `results.csv`. */
async function ranking(req: ApiRequest, results: Results, minVotes: number): Promise<Ranking> {
  const query = rankingQuery(req.query, minVotes);
  if (results.schedule === undefined) noSchedule();
  const viewer = await viewerOf(req, query.raw);
  const talks = rank(
    results.summaries(viewer, (talk) => matches(query, { ...talk, hidden: false, figures: null })),
    query.min,
  );
  return { minVotes: query.min, generatedAt: new Date().toISOString(), talks };
}

const RANKING_COLUMNS = [
  ...['rank', 'talk', 'title', 'speakers', 'room', 'room_name', 'day', 'start_iso', 'format'],
  ...['likes', 'dislikes', 'votes', 'wilson', 'headcount', 'participation'],
];

/** Options of {@link addResultsRoutes}. */
export interface ResultsRoutesOptions {
  /** The read model. */
  results: Results;
  /** The journal's read side (the votes export). */
  store: ResultsStore;
  /** Event slug. */
  event: string;
  /** Default `min` of the ranking (`LIKEBOX_RESULTS_MIN_VOTES`). */
  minVotes: number;
}

/** Adds the results routes of issue 16 (ARCHITECTURE.md, "HTTP API") to `api`. */
export function addResultsRoutes(api: ApiRouter, options: ResultsRoutesOptions): void {
  const { results, store, event, minVotes } = options;
  api.get(`${API_ROOT}/schedule`, () => ({ json: results.schedule ?? noSchedule() }));
  api.get(`${API_ROOT}/talks/:talk`, async (req) => {
    const viewer = await viewerOf(req, rawFlag(req.query));
    const found = results.talk(req.params.talk ?? '', viewer);
    if (found === undefined) throw new ApiError(404, 'unknown talk', { talk: req.params.talk });
    return { json: found satisfies TalkResult };
  });
  api.get(`${API_ROOT}/rooms/:room`, (req) => roomDays(results, req.params.room ?? ''));
  api.get(`${API_ROOT}/rooms/:room/days/:day`, async (req) => {
    const viewer = await viewerOf(req, rawFlag(req.query));
    return roomDay(results, req.params.room ?? '', req.params.day ?? '', viewer);
  });
  api.get(`${API_ROOT}/results`, async (req) => ({ json: await ranking(req, results, minVotes) }));
  api.get(`${API_ROOT}/results.csv`, async (req) => {
    const { talks } = await ranking(req, results, minVotes);
    const rows = talks.map((t) =>
      csvRow([
        ...[t.rank, t.id, t.title, t.speakers.join('; '), t.room.slug, t.room.name, t.day],
        ...[new Date(t.start).toISOString(), t.format, t.likes, t.dislikes, t.votes],
        ...[t.wilson, t.headcount, t.participation],
      ]),
    );
    return { csv: [csvRow(RANKING_COLUMNS), ...rows].join(''), filename: `${event}-results.csv` };
  });
  api.get(`${API_ROOT}/votes.csv`, () => ({
    csv: votesCsv(store, event, results),
    filename: `${event}-votes.csv`,
  }));
}

function roomOf(results: Results, slug: string) {
  const schedule = results.schedule ?? noSchedule();
  const room = schedule.rooms.find((r) => r.slug === slug);
  if (room === undefined) throw new ApiError(404, 'unknown room', { room: slug });
  return room;
}

function roomDays(results: Results, slug: string): ApiAnswer {
  const room = roomOf(results, slug);
  const days = new Set(results.summaries(PUBLIC, (t) => t.room.slug === slug).map((t) => t.day));
  return { json: { room, days: [...days].sort() } satisfies RoomDays };
}

function roomDay(results: Results, slug: string, day: string, viewer: Viewer): ApiAnswer {
  const room = roomOf(results, slug);
  if (!ApiDay.safeParse(day).success) throw new ApiError(400, 'day must be YYYY-MM-DD');
  const talks = results.summaries(viewer, (t) => t.room.slug === slug && t.day === day);
  if (talks.length === 0)
    throw new ApiError(404, 'no talk in that room that day', { room: slug, day });
  return { json: { room, day, talks } satisfies RoomDay };
}

/**
 * Every counted vote, anonymous (no device, epoch or seq): `time_iso,at_ms,room,talk,value`. The
 * votes of a talk whose counts are hidden (`after-close`, window open) are left out.
 */
function* votesCsv(store: ResultsStore, event: string, results: Results): Generator<string> {
  const hidden = new Set(
    results
      .summaries(PUBLIC)
      .filter((t) => t.hidden)
      .map((t) => t.id),
  );
  yield csvRow(['time_iso', 'at_ms', 'room', 'talk', 'value']);
  let chunk = '';
  for (const vote of store.allVotes(event)) {
    if (hidden.has(vote.talk)) continue;
    chunk += csvRow([new Date(vote.at).toISOString(), vote.at, vote.room, vote.talk, vote.value]);
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}
