import { createHash } from 'node:crypto';
import type { CountsAt, TalkFigures, WalkOutBin } from '@likebox/protocol';

/**
 * The arithmetic of a talk's results (issue 16), pure: figures, the Wilson lower bound, the
 * cumulative curve, votes per minute, the walk-out bins and the sealed result's digest.
 */

const MINUTE_MS = 60_000;

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** Most points of a curve: a talk's window is ~1 h, so one per minute fits with room to spare. */
export const MAX_CURVE_POINTS = 600;

/**
 * The lower bound of the Wilson score interval (95 %) of the share of likes among `votes`, or null
 * without votes. Ranks a talk with 9 likes of 10 below one with 90 of 100: the bound is what the
 * share is, with 95 % confidence, at least (E. B. Wilson 1927; Evan Miller, "How not to sort by
 * average rating", 2009).
 */
export function wilsonLowerBound(likes: number, votes: number): number | null {
  if (votes <= 0) return null;
  const p = likes / votes;
  const z2 = Z95 * Z95;
  const centre = p + z2 / (2 * votes);
  const spread = Z95 * Math.sqrt((p * (1 - p) + z2 / (4 * votes)) / votes);
  const bound = (centre - spread) / (1 + z2 / votes);
  // Rounding can leave -1e-17 for 0 likes.
  return Math.min(1, Math.max(0, bound));
}

/** The figures of `likes` and `dislikes`, with the talk's headcount when there is one. */
export function figuresOf(likes: number, dislikes: number, headcount: number | null): TalkFigures {
  const votes = likes + dislikes;
  return {
    likes,
    dislikes,
    votes,
    net: likes - dislikes,
    likeShare: votes === 0 ? null : likes / votes,
    wilson: wilsonLowerBound(likes, votes),
    headcount,
    participation: headcount === null || headcount === 0 ? null : votes / headcount,
  };
}

/** A vote as the results read it: press time and value. */
export interface TimedVote {
  /** Press time, epoch ms. */
  at: number;
  /** +1 or -1. */
  value: number;
}

/**
 * Votes per minute from `from` (the talk's window opening, floored to its minute) on, one bucket
 * per minute holding a vote; `votes` sorted by time.
 */
export function perMinute(votes: readonly TimedVote[], bucketMs = MINUTE_MS): CountsAt[] {
  const out: CountsAt[] = [];
  let current: CountsAt | undefined;
  for (const vote of votes) {
    const t = Math.floor(vote.at / bucketMs) * bucketMs;
    if (current === undefined || current.t !== t) {
      current = { t, likes: 0, dislikes: 0 };
      out.push(current);
    }
    if (vote.value > 0) current.likes += 1;
    else current.dislikes += 1;
  }
  return out;
}

/**
 * The cumulative curve: 0/0 at `opens`, then one point per vote while there are at most
 * {@link MAX_CURVE_POINTS} of them, else one per bucket (its end, or the last vote for the last
 * one), buckets of whole minutes wide enough to stay within the bound.
 */
export function curveOf(votes: readonly TimedVote[], opens: number): CountsAt[] {
  const points: CountsAt[] = [{ t: opens, likes: 0, dislikes: 0 }];
  let likes = 0;
  let dislikes = 0;
  if (votes.length <= MAX_CURVE_POINTS) {
    for (const vote of votes) {
      if (vote.value > 0) likes += 1;
      else dislikes += 1;
      points.push({ t: vote.at, likes, dislikes });
    }
    return points;
  }
  const first = votes[0]?.at ?? opens;
  const last = votes.at(-1)?.at ?? opens;
  const minutes = Math.ceil((last - first + 1) / MINUTE_MS / MAX_CURVE_POINTS);
  const bucketMs = Math.max(1, minutes) * MINUTE_MS;
  for (const bucket of perMinute(votes, bucketMs)) {
    likes += bucket.likes;
    dislikes += bucket.dislikes;
    points.push({ t: Math.min(bucket.t + bucketMs, last), likes, dislikes });
  }
  return points;
}

/** The walk-out view: votes per minute since `start`, and how many came before `end`. */
export function walkOutOf(
  votes: readonly TimedVote[],
  start: number,
  end: number,
): { bins: WalkOutBin[]; beforeEnd: number } {
  const bins: WalkOutBin[] = [];
  let bin: WalkOutBin | undefined;
  let beforeEnd = 0;
  for (const vote of votes) {
    const minute = Math.floor((vote.at - start) / MINUTE_MS);
    if (bin === undefined || bin.minute !== minute) {
      bin = { minute, likes: 0, dislikes: 0 };
      bins.push(bin);
    }
    if (vote.value > 0) bin.likes += 1;
    else bin.dislikes += 1;
    if (vote.at < end) beforeEnd += 1;
  }
  return { bins, beforeEnd };
}

/** A vote as the digest covers it: its identity and value. */
export interface DigestVote {
  device: string;
  epoch: string;
  seq: number;
  value: number;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The sealed result's digest: hex SHA-256 of the lines `${device}\t${epoch}\t${seq}\t${value}\n`
 * sorted by device, then epoch (both bytewise, UTF-8), then seq (as a number); and their count.
 * Sorted here whatever the input order, so a checker needs no database collation.
 */
export function voteDigest(votes: readonly DigestVote[]): { digest: string; count: number } {
  const sorted = [...votes].sort(
    (a, b) => compareBytes(a.device, b.device) || compareBytes(a.epoch, b.epoch) || a.seq - b.seq,
  );
  const hash = createHash('sha256');
  for (const v of sorted) hash.update(`${v.device}\t${v.epoch}\t${v.seq}\t${v.value}\n`);
  return { digest: hash.digest('hex'), count: sorted.length };
}
