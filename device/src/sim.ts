import { join } from 'node:path';
import { type Schedule, shiftSchedule } from '@likebox/protocol';
import type { Logger } from 'pino';
import { Box } from './box.js';
import { fixedClockSync } from './clock.js';
import type { Config } from './config.js';
import { VirtualButtons } from './control.js';
import { type CrowdOptions, planBurst, shiftDays } from './crowd.js';
import { Outbox } from './outbox.js';
import { VirtualIo } from './virtualIo.js';
import type { IgnoreReason } from './voteGate.js';

/** Options of the simulator. */
export interface SimOptions {
  /** Number of virtual boxes; box i stands in room i modulo the schedule's rooms. */
  boxes: number;
  /** Device ids are `{prefix}-1` … `{prefix}-N`. */
  prefix: string;
  /** Schedule from a file, or null to wait for the retained `schedule` topic. */
  schedule: Schedule | null;
  /** Shift the schedule by whole days so it happens today. */
  shiftToToday: boolean;
  /** Start one exit burst at every box right away (demos, tests). */
  burstNow: boolean;
  crowd: CrowdOptions;
}

/** Counters of a simulation run. */
export interface SimStats {
  presses: number;
  counted: number;
  ignored: Partial<Record<IgnoreReason, number>>;
}

interface SimBox {
  id: string;
  box: Box;
  buttons: VirtualButtons;
  outbox: Outbox;
}

/**
 * N virtual boxes voting like real exit crowds: when a talk of a box's room ends, a burst of
 * presses (mostly likes, some repeats, a few holds) goes through each box's real Johnny-Five
 * buttons, VoteGate, outbox and MQTT client.
 */
export class Simulator {
  readonly stats: SimStats = { presses: 0, counted: 0, ignored: {} };
  readonly #boxes: SimBox[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #schedule: Schedule | null = null;
  #lastTick = Date.now();
  #random: () => number;

  constructor(
    readonly options: SimOptions,
    readonly config: Config,
    readonly log: Logger,
    random: () => number = Math.random,
  ) {
    this.#random = random;
  }

  /** The boxes' outbox depths summed. */
  get outboxDepth(): number {
    return this.#boxes.reduce((sum, b) => sum + b.outbox.depth, 0);
  }

  /** Starts every box; the crowds follow the schedule. */
  async start(): Promise<void> {
    const { boxes, prefix } = this.options;
    for (let i = 1; i <= boxes; i++)
      this.#boxes.push(await this.#startBox(`${prefix}-${i}`, i - 1));
    if (this.options.schedule !== null) this.#useSchedule(this.options.schedule);
    else this.#boxes[0]?.box.publisher.once('schedule', (s) => this.#useSchedule(s));
    this.#every(1000, () => this.#tick());
    this.#every(10_000, () =>
      this.log.info({ ...this.stats, outbox: this.outboxDepth }, 'sim stats'),
    );
    if (this.options.burstNow) this.burstAll();
  }

  /** Starts an exit burst at every box now. */
  burstAll(): void {
    for (const b of this.#boxes) this.#burst(b);
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

  async #startBox(id: string, index: number): Promise<SimBox> {
    const rooms = this.options.schedule?.rooms ?? [];
    const room = rooms.length > 0 ? rooms[index % rooms.length]?.slug : this.config.LIKEBOX_ROOM;
    const config: Config = {
      ...this.config,
      LIKEBOX_DEVICE_ID: id,
      LIKEBOX_ROOM: room,
      LIKEBOX_MQTT_USERNAME: this.config.LIKEBOX_MQTT_USERNAME ?? id,
    };
    const io = new VirtualIo({ lcd: { address: config.LIKEBOX_LCD_ADDRESS, cols: 16, rows: 2 } });
    const outbox = Outbox.open(join(config.LIKEBOX_DATA_DIR, 'sim', `box-${id}.sqlite`));
    const log = this.log.child({ box: id });
    const box = new Box({
      config,
      log,
      io,
      outbox,
      clock: fixedClockSync(true),
      version: 'sim',
      ip: '',
    });
    await box.start();
    // Counted from the box itself: overlapping presses in a crowd share one decision.
    box.on('vote', () => this.stats.counted++);
    box.on('ignored', ({ reason }) => {
      this.stats.ignored[reason] = (this.stats.ignored[reason] ?? 0) + 1;
    });
    const buttons = new VirtualButtons(
      io,
      box,
      { like: 2, dislike: 3 },
      config.LIKEBOX_PULLUP,
      500,
    );
    return { id, box, buttons, outbox };
  }

  #useSchedule(schedule: Schedule): void {
    let s = schedule;
    const first = Math.min(...s.talks.map((t) => Date.parse(t.start)));
    if (this.options.shiftToToday && Number.isFinite(first))
      s = shiftSchedule(s, shiftDays(first, new Date()));
    this.#schedule = s;
    const rooms = s.rooms;
    this.#boxes.forEach((b, i) => {
      b.box.useSchedule(s);
      // Boxes started before the retained schedule arrived stand in no room of it yet.
      const room = rooms[i % Math.max(1, rooms.length)];
      if (room !== undefined && !rooms.some((r) => r.slug === b.box.room)) {
        b.box.useConfig({ room: room.slug, roomName: room.name });
      }
    });
    this.log.info({ talks: s.talks.length, rooms: s.rooms.length }, 'sim schedule loaded');
  }

  /** Starts a burst at every box whose room had a votable talk end since the last tick. */
  #tick(): void {
    const now = Date.now();
    const since = this.#lastTick;
    this.#lastTick = now;
    const schedule = this.#schedule;
    if (schedule === null) return;
    for (const talk of schedule.talks) {
      const end = Date.parse(talk.end);
      if (!talk.votable || end <= since || end > now) continue;
      for (const b of this.#boxes) if (b.box.room === talk.room) this.#burst(b);
    }
  }

  #burst(b: SimBox): void {
    const presses = planBurst(this.options.crowd, this.#random);
    this.log.info({ box: b.id, presses: presses.length }, 'exit burst');
    for (const p of presses) {
      this.#after(p.at, () => {
        this.stats.presses++;
        b.buttons.press(p.button).catch((err: unknown) => this.log.warn({ err }, 'press failed'));
        this.#after(p.holdMs, () => b.buttons.release(p.button));
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
