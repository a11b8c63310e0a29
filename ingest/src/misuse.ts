import type { NoticeConfig } from './noticeConfig.js';

/** A stored vote as the misuse detector sees it. */
export interface SeenVote {
  /** Row id in the journal. */
  id: number;
  /** Device slug. */
  device: string;
  /** +1 or -1. */
  value: 1 | -1;
  /** Press time, epoch ms. */
  at: number;
  /** Attributed room. */
  room: string;
}

/** Votes of one box that look like misuse, and why. */
export interface MisusePattern {
  /** Device slug. */
  device: string;
  /** `steady` (same value at a steady pace), `rate` (too many, sustained), `stuck-button`. */
  reason: 'steady' | 'rate' | 'stuck-button';
  /** Row ids of the votes of the pattern. */
  ids: number[];
}

/** Shortest and longest gap of a steady pattern, ms: one person pressing again and again. */
const STEADY_MIN_GAP_MS = 20_000;
const STEADY_MAX_GAP_MS = 300_000;
/** How far each gap of a steady pattern may stray from the first one. */
const STEADY_TOLERANCE = 0.25;
/**
 * A chattering switch or a hammering hand: this many votes of one value in a row, each within
 * {@link STUCK_GAP_MS} of the previous. A held button is not one: the box's gate counts it once
 * and reports it in `status.stuck`.
 */
const STUCK_RUN = 20;
/**
 * The box's gate (device/src/voteGate.ts) counts at most one vote per button every 300 ms
 * (`LIKEBOX_MIN_INTERVAL_MS`; a vote also needs 20 ms closed and 50 ms open, well within it), so a
 * switch that closes again and again, or a hand hammering faster than the gate, gives votes about
 * 300 ms apart; 400 ms leaves 100 ms for the box's timers and clock. People of a queue press one
 * after the other, a second or more apart; a test's exit burst compressed into 4 s (5 s with the
 * repeats) lets through at most about 16 votes of a button at the gate's pace: not a run of 20.
 */
const STUCK_GAP_MS = 400;
/** Most recent votes kept per box (a flood keeps its last ones only, 5,000 to 6,000). */
const KEPT_PER_BOX = 5000;
/**
 * Votes a box may hold beyond {@link KEPT_PER_BOX} before the oldest are cut, all at once: cutting
 * one per vote moved the whole array each time (a tenth of the ingest's CPU in a flood).
 */
const TRIM_SLACK = 1000;
const MINUTE_MS = 60_000;

/** A pattern found, before the votes it already reported are taken out. */
interface Found {
  reason: MisusePattern['reason'];
  votes: Kept[];
}

/** The detector's own record of a vote: whether a pattern already reported it. */
interface Kept extends SeenVote {
  reported: boolean;
}

interface Box {
  votes: Kept[];
  perMinute: Map<number, number>;
  /** The current run of same-value votes close together (stuck button). */
  run: Kept[];
}

/**
 * Finds misuse among the votes of each box as they are stored, by press time: `steady` (at least
 * `steadyVotes` votes of one value, each about the same gap after the previous, 20 s to 5 min,
 * and at least half the box's votes over that span: the seed's "someone presses +1 every minute
 * during their own talk", not an exit crowd), `rate` (more than `ratePerMinute` votes in each of
 * `rateMinutes` minutes in a row) and `stuck-button` ({@link STUCK_RUN} votes of one value in a
 * row, each within {@link STUCK_GAP_MS}). Kept in memory: a restart starts afresh (votes already
 * flagged stay flagged in the journal).
 */
export class MisuseDetector {
  readonly #config: NoticeConfig;
  readonly #boxes = new Map<string, Box>();

  constructor(config: NoticeConfig) {
    this.#config = config;
  }

  /** Takes in votes just stored; returns the patterns they complete. */
  observe(votes: readonly SeenVote[]): MisusePattern[] {
    const found: MisusePattern[] = [];
    for (const seen of votes) {
      const box = this.#box(seen.device);
      // The fields the patterns read, not a copy of the whole stored vote.
      const { id, device, value, at, room } = seen;
      const vote: Kept = { id, device, value, at, room, reported: false };
      this.#add(box, vote);
      report(found, vote, this.#stuck(box, vote));
      report(found, vote, this.#rate(box, vote));
      // Only a box with few votes lately can hold a steady pattern that is half its votes.
      if (this.#recentCount(box, vote.at, 6) <= 2 * this.#config.steadyVotes) {
        report(found, vote, this.#steady(box, vote));
      }
    }
    return found;
  }

  #box(device: string): Box {
    let box = this.#boxes.get(device);
    if (box === undefined) {
      box = { votes: [], perMinute: new Map(), run: [] };
      this.#boxes.set(device, box);
    }
    return box;
  }

  #add(box: Box, vote: Kept): void {
    const votes = box.votes;
    let i = votes.length;
    while (i > 0 && (votes[i - 1] as SeenVote).at > vote.at) i--;
    votes.splice(i, 0, vote);
    if (votes.length > KEPT_PER_BOX + TRIM_SLACK) votes.splice(0, votes.length - KEPT_PER_BOX);
    const minute = Math.floor(vote.at / MINUTE_MS);
    box.perMinute.set(minute, (box.perMinute.get(minute) ?? 0) + 1);
    const horizon = minute - Math.max(this.#config.rateMinutes, 10);
    for (const key of box.perMinute.keys()) if (key < horizon) box.perMinute.delete(key);
  }

  /** Votes of the box in the `minutes` minutes up to the one of `at`. */
  #recentCount(box: Box, at: number, minutes: number): number {
    const minute = Math.floor(at / MINUTE_MS);
    let sum = 0;
    for (let m = minute - minutes + 1; m <= minute; m++) sum += box.perMinute.get(m) ?? 0;
    return sum;
  }

  #rate(box: Box, vote: Kept): Found | undefined {
    const { ratePerMinute, rateMinutes } = this.#config;
    const minute = Math.floor(vote.at / MINUTE_MS);
    for (let m = minute - rateMinutes + 1; m <= minute; m++) {
      if ((box.perMinute.get(m) ?? 0) <= ratePerMinute) return undefined;
    }
    const from = (minute - rateMinutes + 1) * MINUTE_MS;
    return { reason: 'rate', votes: box.votes.filter((v) => v.at >= from) };
  }

  #stuck(box: Box, vote: Kept): Found | undefined {
    const last = box.run.at(-1);
    const continues =
      last !== undefined &&
      last.value === vote.value &&
      Math.abs(vote.at - last.at) <= STUCK_GAP_MS;
    if (!continues) box.run = [];
    box.run.push(vote);
    if (box.run.length < STUCK_RUN) return undefined;
    // Every vote of a run this long was reported once the run reached STUCK_RUN: only the last
    // STUCK_RUN are kept (a button stuck for an hour would otherwise make each vote scan the run).
    if (box.run.length > 2 * STUCK_RUN) box.run = box.run.slice(-STUCK_RUN);
    return { reason: 'stuck-button', votes: box.run };
  }

  /** The longest steady chain of same-value votes ending at `vote`, if long enough. */
  #steady(box: Box, vote: Kept): Found | undefined {
    const same = box.votes.filter(
      (v) => v.value === vote.value && v.room === vote.room && v.at < vote.at,
    );
    for (let i = same.length - 1; i >= 0; i--) {
      const gap = vote.at - (same[i] as SeenVote).at;
      if (gap > STEADY_MAX_GAP_MS) break;
      if (gap < STEADY_MIN_GAP_MS) continue;
      const chain = chainFrom(same, i, gap, vote);
      if (chain.length < this.#config.steadyVotes) continue;
      const from = (chain.at(-1) as SeenVote).at;
      const all = box.votes.filter((v) => v.at >= from && v.at <= vote.at).length;
      if (chain.length * 2 >= all) {
        return { reason: 'steady', votes: chain };
      }
    }
    return undefined;
  }
}

/** Adds to `found` the votes of `pattern` (found with `vote`) not reported yet, marking them. */
function report(found: MisusePattern[], vote: Kept, pattern: Found | undefined): void {
  if (pattern === undefined) return;
  const fresh = pattern.votes.filter((v) => !v.reported);
  if (fresh.length === 0) return;
  for (const v of fresh) v.reported = true;
  found.push({ device: vote.device, reason: pattern.reason, ids: fresh.map((v) => v.id) });
}

/** Follows `gap` backwards from `same[start]`: each step the vote nearest one gap earlier. */
function chainFrom(same: Kept[], start: number, gap: number, last: Kept): Kept[] {
  const chain = [last, same[start] as Kept];
  const tolerance = gap * STEADY_TOLERANCE;
  let i = start;
  for (;;) {
    const expected = (chain.at(-1) as SeenVote).at - gap;
    let best: number | undefined;
    for (let j = i - 1; j >= 0; j--) {
      const at = (same[j] as SeenVote).at;
      if (at < expected - tolerance) break;
      if (at > expected + tolerance) continue;
      const better =
        best === undefined ||
        Math.abs(at - expected) < Math.abs((same[best] as SeenVote).at - expected);
      if (better) best = j;
    }
    if (best === undefined) return chain;
    chain.push(same[best] as Kept);
    i = best;
  }
}
