import type { Vote } from '@likebox/protocol';

/** How a vote's press time was decided. */
export type RetimeReason = 'trusted' | 'offset' | 'arrival';

/** A press time after clock sanity. */
export interface Retimed {
  /** The press time to store, epoch ms (never after the arrival). */
  at: number;
  /** Which rule gave it. */
  reason: RetimeReason;
}

/**
 * Clock sanity for votes. The ingest's clock is the reference. Each box's offset is learnt from its
 * live (not retained) `status` heartbeats carrying `at`: offset = arrival − heartbeat `at`.
 *
 * Rules, in order (the README documents them):
 * 1. `synced: true`, `at` not later than arrival + tolerance, and no heartbeat saying the box's
 *    clock is off by more than the tolerance → `at` is kept (`trusted`; a vote replayed from the
 *    outbox hours later keeps its press time).
 * 2. Otherwise, when the box's offset is known → `at + offset` (`offset`), capped at the arrival.
 * 3. Otherwise → the arrival time (`arrival`).
 * A vote is never dropped for its clock.
 */
export class ClockSanity {
  readonly #offsets = new Map<string, number>();

  /** @param toleranceMs how far a box clock may be off before its votes are re-timed. */
  constructor(readonly toleranceMs: number) {}

  /** Learns a box's offset from a live heartbeat sent at `boxAt` (box clock) and received at `arrival`. */
  heartbeat(device: string, boxAt: number, arrival: number): void {
    this.#offsets.set(device, arrival - boxAt);
  }

  /** The box's last known offset in ms (positive: its clock is behind), if any. */
  offset(device: string): number | undefined {
    return this.#offsets.get(device);
  }

  /** The press time to store for `vote` of `device` received at `arrival`. */
  retime(device: string, vote: Pick<Vote, 'at' | 'synced'>, arrival: number): Retimed {
    const offset = this.#offsets.get(device);
    const clockOff = offset !== undefined && Math.abs(offset) > this.toleranceMs;
    if (vote.synced && vote.at <= arrival + this.toleranceMs && !clockOff) {
      return { at: Math.min(vote.at, arrival), reason: 'trusted' };
    }
    if (offset !== undefined) return { at: Math.min(vote.at + offset, arrival), reason: 'offset' };
    return { at: arrival, reason: 'arrival' };
  }
}
