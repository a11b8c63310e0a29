import { z } from 'zod';
import { EpochMs, TalkId } from './schemas.js';

/**
 * Payloads of the talk-level topics (`rooms/{room}/talks/{talk}/…`, issue 16): the sealed result a
 * talk ends with and the organisers' headcount. Kept beside `schemas.ts`, same rules: strict
 * objects, bounded values.
 */

/** A SHA-256 digest, lower-case hex. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/**
 * `rooms/{room}/talks/{talk}/result`, ingest → public, QoS 1, retained: a talk's final figures,
 * published when its vote window closes and again (re-sealed) when a vote for it arrives later.
 * `digest` is the hex SHA-256 of the talk's counted votes as lines
 * `${device}\t${epoch}\t${seq}\t${value}\n`, sorted by device then epoch (bytewise, UTF-8) then seq
 * (as a number); `count` is the number of lines (= `votes`). Anyone holding the votes can recompute
 * it and check a published result.
 */
export const ResultPayload = z.strictObject({
  /** The talk id. */
  talk: TalkId,
  /** Counted +1 votes. */
  likes: z.int().min(0),
  /** Counted -1 votes. */
  dislikes: z.int().min(0),
  /** likes + dislikes. */
  votes: z.int().min(0),
  /** Wilson lower bound (95 %) of the share of likes, or null without votes. */
  wilson: z.number().min(0).max(1).nullable(),
  /** When the talk's vote window closed (delay included), epoch ms. */
  closes: EpochMs,
  /** The instant the seal covers: its window's close, or the arrival of a later vote, epoch ms. */
  at: EpochMs,
  /** Hex SHA-256 over the talk's sorted votes (see above). */
  digest: Sha256Hex,
  /** Number of votes in the digest. */
  count: z.int().min(0),
});

/**
 * `rooms/{room}/talks/{talk}/headcount`, organiser → ingest (and public), QoS 1, retained: how many
 * people attended the talk. Shown beside its figures as participation (votes ÷ headcount), never
 * mixed into the score.
 */
export const HeadcountPayload = z.strictObject({
  /** People counted in the room. */
  count: z.int().min(0).max(1_000_000),
  /** When it was counted or entered, epoch ms. */
  at: EpochMs,
});

export type Result = z.infer<typeof ResultPayload>;
export type Headcount = z.infer<typeof HeadcountPayload>;
