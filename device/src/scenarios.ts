import type { Schedule } from '@likebox/protocol';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Box } from './box.js';
import type { VirtualButtons } from './control.js';
import type { Outbox } from './outbox.js';
import type { ButtonName } from './voteGate.js';

/** The rehearsal scenarios, by name; each acts on one box ({@link scenarioBoxIndex}). */
export const SCENARIOS = [
  'troll',
  'stuck-button',
  'offline-box',
  'clock-skew',
  'late-room',
  'burst',
] as const;

/** A scenario's name. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** `--scenario troll,late-room`: a comma-separated list of scenario names (empty: none). */
export const ScenarioList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
  .pipe(z.array(z.enum(SCENARIOS)));

/** The clock-skew box's clock is an hour behind (a box left on winter time, or with no RTC). */
export const CLOCK_SKEW_MS = -3_600_000;
/**
 * The late room's crowd leaves 15 minutes after the programme says (scenario minutes: the ingest of
 * `likebox up --simulate` counts its late-room watch in them too, and suggests a 15 min delay).
 */
export const LATE_MINUTES = 15;
/** The offline box loses its link 1 minute in, for 20 minutes. */
export const OFFLINE_MINUTES = 20;
/** The stuck button is held from 1 minute in, for 5 minutes. */
export const STUCK_MINUTES = 5;
/**
 * Votes the burst box comes back with: above the broker's default per-client burst (2,000
 * messages, then 1,000/s), which delays the excess and drops nothing. Their press times (250 a
 * minute) get them flagged `rate` by the ingest, on purpose: this tests the broker's limit, it is
 * not a crowd, and a real box sending that many is misused or faulty.
 */
export const BURST_VOTES = 2500;

/** A simulated box as the scenarios drive it. */
export interface ScenarioBox {
  id: string;
  box: Box;
  buttons: VirtualButtons;
  outbox: Outbox;
  /** Buttons a scenario holds closed: the crowd's presses on them do nothing. */
  held: Set<ButtonName>;
}

/** What the scenarios need from the simulator. */
export interface ScenarioHost {
  boxes: readonly ScenarioBox[];
  /** The programme in use, once known. */
  schedule(): Schedule | null;
  /** Runs `fn` after `ms` (cancelled when the simulator stops). */
  after(ms: number, fn: () => void): void;
  /** Runs `fn` every `ms` (cancelled when the simulator stops). */
  every(ms: number, fn: () => void): void;
  log: Logger;
}

/** The box (0-based) a scenario acts on: its place in {@link SCENARIOS}, modulo the boxes. */
export function scenarioBoxIndex(name: ScenarioName, boxes: number): number {
  return SCENARIOS.indexOf(name) % Math.max(1, boxes);
}

/** The wall clock of box `index`: an hour behind for the clock-skew box, else the real one. */
export function clockOf(names: readonly ScenarioName[], index: number, boxes: number) {
  const skewed = names.includes('clock-skew') && scenarioBoxIndex('clock-skew', boxes) === index;
  return skewed ? () => Date.now() + CLOCK_SKEW_MS : () => Date.now();
}

/** The late room and its delay in ms (the room of the late-room box), or none. */
export function lateRooms(
  names: readonly ScenarioName[],
  rooms: readonly string[],
  minuteMs: number,
): Map<string, number> {
  const room = rooms[scenarioBoxIndex('late-room', rooms.length)];
  if (!names.includes('late-room') || room === undefined) return new Map();
  return new Map([[room, LATE_MINUTES * minuteMs]]);
}

/** Starts the scenarios that act over time (troll, stuck-button, offline-box, burst). */
export function startScenarios(
  names: readonly ScenarioName[],
  host: ScenarioHost,
  minuteMs: number,
): void {
  const boxOf = (name: ScenarioName) => host.boxes[scenarioBoxIndex(name, host.boxes.length)];
  const log = (name: ScenarioName, b: ScenarioBox, what: string) =>
    host.log.info({ scenario: name, box: b.id }, what);
  for (const name of names) {
    const b = boxOf(name);
    if (b === undefined) continue;
    if (name === 'troll') troll(b, host, minuteMs, () => log(name, b, 'troll presses +1'));
    else if (name === 'stuck-button') {
      host.after(minuteMs, () => {
        log(name, b, 'like button stuck');
        b.held.add('like');
        b.buttons.press('like').catch(() => undefined);
      });
      host.after((1 + STUCK_MINUTES) * minuteMs, () => {
        log(name, b, 'like button released');
        b.held.delete('like');
        b.buttons.release('like');
      });
    } else if (name === 'offline-box') {
      host.after(minuteMs, () => {
        log(name, b, 'box offline');
        b.box.publisher.stop().catch(() => undefined);
      });
      host.after((1 + OFFLINE_MINUTES) * minuteMs, () => {
        log(name, b, 'box back online');
        b.box.publisher.start();
      });
    } else if (name === 'burst') host.after(minuteMs, () => burst(b, host, log));
  }
}

/** One +1 every minute on the box while a talk of its room runs (from its start to its end). */
function troll(b: ScenarioBox, host: ScenarioHost, minuteMs: number, said: () => void): void {
  let last = Number.NEGATIVE_INFINITY;
  host.every(Math.min(1000, minuteMs / 4), () => {
    const now = Date.now();
    const running = host
      .schedule()
      ?.talks.some(
        (t) => t.room === b.box.room && Date.parse(t.start) <= now && now < Date.parse(t.end),
      );
    if (!running || now - last < minuteMs) return;
    last = now;
    said();
    b.buttons.press('like').catch(() => undefined);
    host.after(150, () => b.buttons.release('like'));
  });
}

/**
 * The box comes back from an outage with {@link BURST_VOTES} votes in its outbox: its link is cut,
 * the votes are recorded in one transaction (press times over the 10 minutes before, 70 % likes;
 * a gate lets through a few presses a second, so only a backlog goes past the broker's limit),
 * and it reconnects and publishes them all at once.
 */
function burst(
  b: ScenarioBox,
  host: ScenarioHost,
  log: (name: ScenarioName, b: ScenarioBox, what: string) => void,
): void {
  log('burst', b, 'box back with a backlog');
  const since = Date.now() - 600_000;
  b.box.publisher
    .stop()
    .then(() => {
      const votes = Array.from({ length: BURST_VOTES }, (_, i) => ({
        value: (i % 10 < 7 ? 1 : -1) as 1 | -1,
        at: since + Math.round((i / BURST_VOTES) * 600_000),
        ...{ room: b.box.room, synced: true },
      }));
      b.outbox.recordAll(votes);
      b.box.publisher.start();
    })
    .catch((err: unknown) => host.log.warn({ err, box: b.id }, 'burst failed'));
}
