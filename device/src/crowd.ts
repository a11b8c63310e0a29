import type { ButtonName } from './voteGate.js';

/** How an exit crowd behaves at one box. */
export interface CrowdOptions {
  /** People walking past the box after a talk (each presses at most once or twice). */
  attendees: number;
  /** Share of attendees who press at all. */
  pressRate: number;
  /** Share of presses that are likes. */
  likeRate: number;
  /** Share of pressers who press a second time shortly after. */
  repeatRate: number;
  /** Share of presses held 1-2 s. */
  holdRate: number;
  /** Duration of the exit burst in ms. */
  burstMs: number;
}

/** A default crowd: 40 people, 60 % press, 80 % likes, some repeats and holds, over 4 minutes. */
export const DEFAULT_CROWD: CrowdOptions = {
  attendees: 40,
  pressRate: 0.6,
  likeRate: 0.8,
  repeatRate: 0.1,
  holdRate: 0.03,
  burstMs: 240_000,
};

/** One planned press: when (ms after the burst starts), which button, how long it is held. */
export interface PlannedPress {
  at: number;
  button: ButtonName;
  holdMs: number;
}

/**
 * Plans the presses of one exit burst: people leave fast at first and then trickle (exit times
 * drawn from an exponential with a quarter of the burst as mean, cut at the burst's end), mostly
 * likes, some pressing again 150-700 ms later (the gate decides whether that counts), a few
 * holding the button. `random` returns [0, 1).
 */
export function planBurst(o: CrowdOptions, random: () => number): PlannedPress[] {
  const presses: PlannedPress[] = [];
  const mean = o.burstMs / 4;
  for (let i = 0; i < o.attendees; i++) {
    if (random() >= o.pressRate) continue;
    const at = Math.min(o.burstMs, -Math.log(1 - random()) * mean);
    const button: ButtonName = random() < o.likeRate ? 'like' : 'dislike';
    const holdMs = random() < o.holdRate ? 1000 + random() * 1000 : 60 + random() * 120;
    presses.push({ at, button, holdMs });
    if (random() < o.repeatRate)
      presses.push({ at: at + holdMs + 150 + random() * 550, button, holdMs: 80 });
  }
  return presses.sort((a, b) => a.at - b.at);
}

/**
 * Plans the presses of early leavers: `people` pressers spread evenly at random over `ms`, likes
 * at `likeRate`, ordinary presses. `random` returns [0, 1).
 */
export function planTrickle(
  people: number,
  likeRate: number,
  ms: number,
  random: () => number,
): PlannedPress[] {
  return Array.from({ length: people }, () => ({
    at: random() * ms,
    button: (random() < likeRate ? 'like' : 'dislike') as ButtonName,
    holdMs: 60 + random() * 120,
  })).sort((a, b) => a.at - b.at);
}

/** Moves every instant of a schedule by whole days so its first talk falls on `today`. */
export function shiftDays(firstStart: number, today: Date): number {
  const day = 86_400_000;
  const from = Math.floor(firstStart / day);
  const to = Math.floor(today.getTime() / day);
  return (to - from) * day;
}
