import { z } from 'zod';
import { Sha256Hex } from './resultSchemas.js';
import { Room, Talk } from './scheduleSchemas.js';
import { EpochMs, NoticePayload } from './schemas.js';

/*
 * The answers of the event server's read-only HTTP API (`GET /api/v1/…`, issue 16; ARCHITECTURE.md,
 * "HTTP API"): the ingest builds these types, the live page and `likebox report` parse with these
 * schemas. Strict objects like the MQTT payloads: a field one side adds and the other does not know
 * is an error, found by the tests, not a value silently dropped.
 */

const Count = z.int().min(0);
/** A share 0..1, or null without votes. */
const Share = z.number().min(0).max(1).nullable();

/** A calendar day, `YYYY-MM-DD`, in the schedule's time zone. */
export const ApiDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** A talk's figures (counted votes, or every vote for an organiser's `raw`). */
export const TalkFigures = z.strictObject({
  /** +1 votes. */
  likes: Count,
  /** -1 votes. */
  dislikes: Count,
  /** likes + dislikes. */
  votes: Count,
  /** likes - dislikes. */
  net: z.int(),
  /** likes / votes, or null without votes. */
  likeShare: Share,
  /** Lower bound of the 95 % Wilson score interval of likes / votes, or null without votes. */
  wilson: Share,
  /** People the organisers counted in the room, or null. */
  headcount: Count.nullable(),
  /** votes / headcount, or null without a headcount (or one of 0). */
  participation: z.number().min(0).nullable(),
});

/** Likes and dislikes at an instant (cumulative curve) or in a minute (per-minute bars). */
export const CountsAt = z.strictObject({
  /** Epoch ms. */
  t: EpochMs,
  /** Likes. */
  likes: Count,
  /** Dislikes. */
  dislikes: Count,
});

/** Votes placed at whole minutes since the talk's (delayed) start. */
export const WalkOutBin = z.strictObject({
  /** floor((at - start) / 1 min): negative before the start, above the duration after the end. */
  minute: z.int(),
  /** Likes in that minute. */
  likes: Count,
  /** Dislikes in that minute. */
  dislikes: Count,
});

/** Where a talk's vote window stands: before `opens`, until `closes`, after. */
export const TalkState = z.enum(['upcoming', 'open', 'closed']);

const IsoUtc = z.iso.datetime();

/** A talk as the API describes it: the schedule's talk, its room, day, times and window. */
export const TalkInfo = z.strictObject({
  /** Talk id. */
  id: Talk.shape.id,
  /** Title. */
  title: Talk.shape.title,
  /** Speakers' names. */
  speakers: Talk.shape.speakers,
  /** The room, slug and display name. */
  room: Room,
  /** Format ("Conférence", "Quickie"…). */
  format: Talk.shape.format,
  /** Its start's date in the schedule's time zone. */
  day: ApiDay,
  /** Scheduled start, epoch ms, the room's delay included. */
  start: EpochMs,
  /** Scheduled end, epoch ms, the room's delay included. */
  end: EpochMs,
  /** Its vote window's opening, epoch ms. */
  opens: EpochMs,
  /** Its vote window's closing, epoch ms. */
  closes: EpochMs,
  /** The same instants as ISO 8601 (UTC), for people reading the JSON. */
  iso: z.strictObject({ start: IsoUtc, end: IsoUtc, opens: IsoUtc, closes: IsoUtc }),
  /** upcoming before `opens`, open until `closes`, closed after. */
  state: TalkState,
});

/** A sealed result as last published on `…/result` (see `ResultPayload`). */
export const SealView = z.strictObject({
  /** Hex SHA-256 over the talk's sorted counted votes. */
  digest: Sha256Hex,
  /** The instant it covers, epoch ms. */
  at: EpochMs,
});

/** `GET /api/v1/talks/{talk}`: one talk's figures, curve, walk-out view and seal. */
export const TalkResultAnswer = z.strictObject({
  talk: TalkInfo,
  /** Counts withheld: the window is open, `LIKEBOX_SHOW_COUNTS=after-close`, not an organiser. */
  hidden: z.boolean(),
  /** Null while hidden. */
  figures: TalkFigures.nullable(),
  /** Cumulative points (from `opens` at 0/0, at most 601) and votes per minute; null while hidden. */
  curve: z.strictObject({ points: z.array(CountsAt), perMinute: z.array(CountsAt) }).nullable(),
  /** Votes by minute since the start, and how many were pressed before the end; null while hidden. */
  walkOut: z.strictObject({ bins: z.array(WalkOutBin), beforeEnd: Count }).nullable(),
  /** The talk's last seal, or null before its window closed. */
  sealed: SealView.nullable(),
});

/** A talk with its figures, as a room's day lists it. */
export const TalkSummary = TalkInfo.extend({
  /** Counts withheld (see {@link TalkResultAnswer}). */
  hidden: z.boolean(),
  /** Null while hidden. */
  figures: TalkFigures.nullable(),
});

/** `GET /api/v1/rooms/{room}`: the room and the days it has votable talks. */
export const RoomDaysAnswer = z.strictObject({
  room: Room,
  /** Sorted. */
  days: z.array(ApiDay),
});

/** `GET /api/v1/rooms/{room}/days/{day}`: the room's talks that day, in start order. */
export const RoomDayAnswer = z.strictObject({
  room: Room,
  day: ApiDay,
  talks: z.array(TalkSummary),
});

/** One row of the ranking; likes, dislikes, votes and the figures after them are null while hidden. */
export const RankedTalk = z.strictObject({
  /** 1-based rank, or null: fewer than `min` votes, or counts hidden while the talk runs. */
  rank: z.int().min(1).nullable(),
  id: Talk.shape.id,
  title: Talk.shape.title,
  speakers: Talk.shape.speakers,
  room: Room,
  day: ApiDay,
  /** Epoch ms, delay included. */
  start: EpochMs,
  format: Talk.shape.format,
  hidden: z.boolean(),
  likes: Count.nullable(),
  dislikes: Count.nullable(),
  votes: Count.nullable(),
  wilson: Share,
  headcount: Count.nullable(),
  participation: z.number().min(0).nullable(),
});

/** `GET /api/v1/results?day=&room=&format=&min=`: the ranking. */
export const RankingAnswer = z.strictObject({
  /** The `min` applied: fewest votes for a rank. */
  minVotes: Count,
  /** When the server answered, ISO 8601 (UTC). */
  generatedAt: IsoUtc,
  talks: z.array(RankedTalk),
});

/** `GET /api/v1/notices` (organisers only): the active notices, oldest first. */
export const NoticesAnswer = z.strictObject({
  notices: z.array(NoticePayload),
});

export type ApiDay = z.infer<typeof ApiDay>;
export type TalkFigures = z.infer<typeof TalkFigures>;
export type CountsAt = z.infer<typeof CountsAt>;
export type WalkOutBin = z.infer<typeof WalkOutBin>;
export type TalkState = z.infer<typeof TalkState>;
export type TalkInfo = z.infer<typeof TalkInfo>;
export type SealView = z.infer<typeof SealView>;
export type TalkResult = z.infer<typeof TalkResultAnswer>;
export type TalkSummary = z.infer<typeof TalkSummary>;
export type RoomDays = z.infer<typeof RoomDaysAnswer>;
export type RoomDay = z.infer<typeof RoomDayAnswer>;
export type RankedTalk = z.infer<typeof RankedTalk>;
export type Ranking = z.infer<typeof RankingAnswer>;
export type NoticeList = z.infer<typeof NoticesAnswer>;
