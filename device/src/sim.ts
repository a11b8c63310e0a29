import { join } from 'node:path';
import { type Schedule, ScheduleIndex, shiftSchedule } from '@likebox/protocol';
import type { Logger } from 'pino';
import { placeBoxes, roomCrowd, talkQuality } from './audience.js';
import { Box } from './box.js';
import { fixedClockSync } from './clock.js';
import type { Config } from './config.js';
import { VirtualButtons } from './control.js';
import {
  type CrowdOptions,
  type PlannedPress,
  planBurst,
  planTrickle,
  shiftDays,
} from './crowd.js';
import { Outbox } from './outbox.js';
import { seededRandom, seedOf } from './random.js';
import {
  clockOf,
  lateRooms,
  type ScenarioBox,
  type ScenarioName,
  startScenarios,
} from './scenarios.js';
import { type CrowdMoment, crowdMoments, EARLY_MS } from './simTimeline.js';
import { VirtualIo } from './virtualIo.js';
import type { IgnoreReason } from './voteGate.js';

/** Options of the simulator. */
export interface SimOptions {
  /** Number of virtual boxes, placed in the rooms with votable talks. */
  boxes: number;
  /** Device ids are `{prefix}-1` … `{prefix}-N`. */
  prefix: string;
  /** Schedule from a file, or null to wait for the retained `schedule` topic. */
  schedule: Schedule | null;
  /** Shift the schedule by whole days so it happens today. */
  shiftToToday: boolean;
  /** Start one exit burst right away at every box whose room has a window open (demos, tests). */
  burstNow: boolean;
  /** The crowd at one box; `attendees` is the base size of a room's crowd. */
  crowd: CrowdOptions;
  /** Seed of the talks' qualities, the rooms' crowd sizes and the crowds' presses. */
  seed: number;
  /** Rehearsal scenarios to run. */
  scenarios: readonly ScenarioName[];
  /** Length of a scenario minute in ms (60,000; tests shorten it). */
  minuteMs: number;
}

/** Counters of a simulation run. */
export interface SimStats {
  presses: number;
  counted: number;
  ignored: Partial<Record<IgnoreReason, number>>;
}

/** Share of a room's crowd that leaves early, during the last 15 minutes of a talk. */
const EARLY_SHARE = 0.1;

/**
 * N virtual boxes voting like real exit crowds: each box stands in a room with talks; when a
 * talk ends, a burst of presses (its own like rate, the room's crowd size, some repeats, a few
 * holds; early leavers before) goes through each box's real Johnny-Five buttons, VoteGate, outbox
 * and MQTT client. Real time: a talk's exit burst comes at its end. Scenarios add misuse and faults.
 */
export class Simulator {
  readonly stats: SimStats = { presses: 0, counted: 0, ignored: {} };
  readonly #boxes: ScenarioBox[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #schedule: Schedule | null = null;
  #moments: CrowdMoment[] = [];
  /** When {@link start} began: a talk that ends while the boxes start still gets its burst. */
  #since = Date.now();
  #random: () => number;

  /** `random` draws the crowds' presses: by default a stream of the seed, so a rehearsal repeats. */
  constructor(
    readonly options: SimOptions,
    readonly config: Config,
    readonly log: Logger,
    random: () => number = seededRandom(seedOf(options.seed, 'crowd')),
  ) {
    this.#random = random;
  }

  /** The boxes' outbox depths summed. */
  get outboxDepth(): number {
    return this.#boxes.reduce((sum, b) => sum + b.outbox.depth, 0);
  }

  /** Starts every box; the crowds follow the schedule. */
  async start(): Promise<void> {
    const { boxes, prefix, schedule } = this.options;
    this.#since = Date.now();
    const rooms = schedule === null ? [] : placeBoxes(schedule, boxes, Date.now());
    for (let i = 1; i <= boxes; i++)
      this.#boxes.push(await this.#startBox(`${prefix}-${i}`, i - 1, rooms[i - 1]));
    if (schedule !== null) this.#useSchedule(schedule);
    else this.#boxes[0]?.box.publisher.once('schedule', (s) => this.#useSchedule(s));
    this.#every(1000, () => this.#tick());
    this.#every(10_000, () =>
      this.log.info({ ...this.stats, outbox: this.outboxDepth }, 'sim stats'),
    );
    const host = {
      boxes: this.#boxes,
      schedule: () => this.#schedule,
      after: (ms: number, fn: () => void) => this.#after(ms, fn),
      every: (ms: number, fn: () => void) => this.#every(ms, fn),
      log: this.log,
    };
    startScenarios(this.options.scenarios, host, this.options.minuteMs);
    // After the boxes' boot guard (LIKEBOX_BOOT_MS from the last box's start), during which a
    // press counts for nothing: burst at once, it lost about half its presses (32 of 70 in a run).
    if (this.options.burstNow) this.#after(this.config.LIKEBOX_BOOT_MS, () => this.burstAll());
  }

  /**
   * Starts an exit burst now at every box whose room has a talk's window open (every box when
   * there is no schedule). A room between talks gets none: its crowd would vote for no talk, and a
   * burst long after the room's last talk reads to the ingest as a room running late.
   */
  burstAll(): void {
    const index = this.#schedule === null ? null : new ScheduleIndex(this.#schedule);
    for (const b of this.#boxes) {
      const open = index?.talkAt(b.box.room, Date.now())?.talk.id;
      if (index === null || open !== undefined) this.#burst(b, open, 'exit');
    }
  }

  /** Stops every box. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const b of this.#boxes) {
      await b.box.stop();
      b.outbox.close();
    }
  }

  async #startBox(id: string, index: number, room: string | undefined): Promise<ScenarioBox> {
    const config: Config = {
      ...this.config,
      LIKEBOX_DEVICE_ID: id,
      LIKEBOX_ROOM: room ?? this.config.LIKEBOX_ROOM,
      LIKEBOX_MQTT_USERNAME: this.config.LIKEBOX_MQTT_USERNAME ?? id,
    };
    const io = new VirtualIo({ lcd: { address: config.LIKEBOX_LCD_ADDRESS, cols: 16, rows: 2 } });
    const outbox = Outbox.open(join(config.LIKEBOX_DATA_DIR, 'sim', `box-${id}.sqlite`));
    const box = new Box({
      ...{ config, io, outbox, clock: fixedClockSync(true), version: 'sim', ip: '' },
      log: this.log.child({ box: id }),
      now: clockOf(this.options.scenarios, index, this.options.boxes),
    });
    await box.start();
    // Counted from the box itself: overlapping presses in a crowd share one decision.
    box.on('vote', () => this.stats.counted++);
    box.on('ignored', ({ reason }) => {
      this.stats.ignored[reason] = (this.stats.ignored[reason] ?? 0) + 1;
    });
    const pins = { like: 2, dislike: 3 };
    const buttons = new VirtualButtons(io, box, pins, config.LIKEBOX_PULLUP, 500);
    return { id, box, buttons, outbox, held: new Set() };
  }

  #useSchedule(schedule: Schedule): void {
    let s = schedule;
    const first = Math.min(...s.talks.map((t) => Date.parse(t.start)));
    if (this.options.shiftToToday && Number.isFinite(first))
      s = shiftSchedule(s, shiftDays(first, new Date()));
    this.#schedule = s;
    const places = placeBoxes(s, this.#boxes.length, Date.now());
    this.#boxes.forEach((b, i) => {
      b.box.useSchedule(s);
      // Boxes started before the retained schedule arrived stand in no room of it yet.
      const room = s.rooms.find((r) => r.slug === places[i]);
      if (room !== undefined && b.box.room !== room.slug) {
        b.box.useConfig({ room: room.slug, roomName: room.name });
      }
    });
    const rooms = this.#boxes.map((b) => b.box.room);
    const late = lateRooms(this.options.scenarios, rooms, this.options.minuteMs);
    this.#moments = crowdMoments(s, this.#since, late);
    this.log.info({ talks: s.talks.length, rooms: s.rooms.length }, 'sim schedule loaded');
  }

  /** Starts the crowd moments (early leavers, exit bursts) that came since the last tick. */
  #tick(): void {
    const now = Date.now();
    while (this.#moments.length > 0 && (this.#moments[0]?.at ?? now + 1) <= now) {
      const moment = this.#moments.shift() as CrowdMoment;
      for (const b of this.#boxes)
        if (b.box.room === moment.room) this.#burst(b, moment.talk, moment.kind);
    }
  }

  #burst(b: ScenarioBox, talk: string | undefined, kind: CrowdMoment['kind']): void {
    const { crowd, seed } = this.options;
    const here = this.#boxes.filter((other) => other.box.room === b.box.room).length;
    const people = Math.ceil(roomCrowd(seed, b.box.room, crowd.attendees) / Math.max(1, here));
    const likeRate = talk === undefined ? crowd.likeRate : talkQuality(seed, talk);
    const presses: PlannedPress[] =
      kind === 'exit'
        ? planBurst({ ...crowd, attendees: people, likeRate }, this.#random)
        : planTrickle(Math.round(people * EARLY_SHARE), likeRate, EARLY_MS, this.#random);
    this.log.info({ box: b.id, talk, kind, presses: presses.length }, 'crowd leaves');
    for (const p of presses) {
      this.#after(p.at, () => {
        if (b.held.has(p.button)) return; // the switch is held closed: a press changes nothing
        this.stats.presses++;
        b.buttons.press(p.button).catch((err: unknown) => this.log.warn({ err }, 'press failed'));
        this.#after(p.holdMs, () => b.held.has(p.button) || b.buttons.release(p.button));
      });
    }
  }

  #after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    this.#timers.add(timer);
  }
}
