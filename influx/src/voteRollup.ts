import { type InfluxPoint, point, VOTE_1M } from './measurements.js';
import { msToNs } from './points.js';

/*
 * Measurement `vote_1m`: the votes per event, room, talk and minute, so the leaderboard reads
 * ~70,000 points instead of 1,000,000 votes (bench/dashboards.ts). The ingest keeps these totals
 * in its journal, in the transaction that stores the votes ({@link rollUpVotes} gives each commit's
 * increments), and writes the minutes a batch of votes touched with that batch: a box that was
 * offline for hours re-rolls only the minutes its votes fall in, and a rewrite of a minute (same
 * series and time) overwrites it.
 */

/** Length of a rollup bucket, ms. */
export const MINUTE_MS = 60_000;

/** The start of the minute `atMs` falls in, epoch ms. */
export function minuteOf(atMs: number): number {
  return Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
}

/** The votes of one event, room, talk and minute. */
export interface VoteMinute {
  /** Event slug. */
  event: string;
  /** Room slug. */
  room: string;
  /** Talk id, or `none`. */
  talk: string;
  /** Start of the minute, epoch ms. */
  minute: number;
  /** Number of votes. */
  votes: number;
  /** Sum of their values: likes − dislikes. */
  net: number;
}

/** What {@link rollUpVotes} reads of a vote. */
export type RollupVote = Pick<VoteMinute, 'event' | 'room' | 'talk'> & {
  /** Press time, epoch ms. */
  at: number;
  /** +1 or -1. */
  value: number;
};

/** The votes summed per event, room, talk and minute, in order of first appearance. */
export function rollUpVotes(votes: Iterable<RollupVote>): VoteMinute[] {
  const byKey = new Map<string, VoteMinute>();
  for (const vote of votes) {
    const minute = minuteOf(vote.at);
    const key = `${vote.event}\n${vote.room}\n${vote.talk}\n${minute}`;
    const total = byKey.get(key);
    if (total === undefined) {
      const { event, room, talk, value } = vote;
      byKey.set(key, { event, room, talk, minute, votes: 1, net: value });
    } else {
      total.votes += 1;
      total.net += vote.value;
    }
  }
  return [...byKey.values()];
}

/** Measurement `vote_1m`: tags event, room, talk; integer fields votes and net; time = the minute. */
export function voteMinutePoint(total: VoteMinute): InfluxPoint {
  return point(
    VOTE_1M,
    { event: total.event, room: total.room, talk: total.talk },
    { votes: total.votes, net: total.net },
    msToNs(total.minute),
  );
}
