import { vi } from 'vitest';
import { seededRandom } from '../../src/random.js';

/** A contact edge at a time in ms from the start of a scenario. */
export interface Edge {
  at: number;
  closed: boolean;
}

/** How a switch bounces on one press (figures from J. Ganssle's measurements and Schneider XB2 data). */
export interface Bounce {
  /** Duration of the bounce when closing, and how many extra open/close pairs happen in it. */
  closeMs: number;
  closeFlips: number;
  /** Time the contact then stays firmly closed. */
  holdMs: number;
  /** Duration of the bounce when releasing, and its extra pairs. */
  releaseMs: number;
  releaseFlips: number;
}

/** A small deterministic PRNG (the simulator's mulberry32) so bounce timings vary but tests repeat. */
export const prng = seededRandom;

function chatter(
  start: number,
  ms: number,
  flips: number,
  final: boolean,
  rand: () => number,
): Edge[] {
  const times = Array.from({ length: flips * 2 }, () => start + rand() * ms).sort((a, b) => a - b);
  const edges: Edge[] = [{ at: start, closed: final }];
  times.forEach((at, i) => {
    edges.push({ at, closed: i % 2 === 0 ? !final : final });
  });
  edges.push({ at: start + ms, closed: final });
  return edges;
}

/** The edges of one press starting at `t0`: bouncing close, firm hold, bouncing release. */
export function press(t0: number, b: Bounce, rand: () => number = prng(1)): Edge[] {
  const release = t0 + b.closeMs + b.holdMs;
  return [
    ...chatter(t0, b.closeMs, b.closeFlips, true, rand),
    ...chatter(release, b.releaseMs, b.releaseFlips, false, rand),
  ];
}

/** Ordinary switch, Ganssle's mean: 1.5 ms of bounce. */
export const ORDINARY: Bounce = {
  closeMs: 1.5,
  closeFlips: 4,
  holdMs: 120,
  releaseMs: 1.5,
  releaseFlips: 4,
};
/** Ordinary switch, Ganssle's worst: 6.2 ms. */
export const WORST_ORDINARY: Bounce = {
  closeMs: 6.2,
  closeFlips: 10,
  holdMs: 150,
  releaseMs: 6.2,
  releaseFlips: 10,
};
/** Industrial mushroom button: < 0.25 ms on close, about 4 ms on release. */
export const MUSHROOM: Bounce = {
  closeMs: 0.25,
  closeFlips: 1,
  holdMs: 100,
  releaseMs: 4,
  releaseFlips: 6,
};

/**
 * Ganssle's pathological switch: 157 ms of bounce with an 81 ms closed stretch and a 42 ms open
 * one, starting at `t0`, then a firm hold and a clean release.
 */
export function pathological(t0: number): Edge[] {
  return [
    { at: t0, closed: true },
    { at: t0 + 2, closed: false },
    { at: t0 + 3, closed: true },
    { at: t0 + 84, closed: false }, // 81 ms closed
    { at: t0 + 126, closed: true }, // 42 ms open
    { at: t0 + 140, closed: false },
    { at: t0 + 141, closed: true },
    { at: t0 + 150, closed: false },
    { at: t0 + 157, closed: true },
    { at: t0 + 400, closed: false },
  ];
}

/** Plays edges in time order with fake timers, calling `apply` for each. */
export async function play(
  edges: Edge[],
  apply: (closed: boolean) => void,
  start = 0,
): Promise<number> {
  let now = start;
  for (const edge of [...edges].sort((a, b) => a.at - b.at)) {
    if (edge.at > now) await vi.advanceTimersByTimeAsync(edge.at - now);
    now = Math.max(now, edge.at);
    apply(edge.closed);
  }
  return now;
}
