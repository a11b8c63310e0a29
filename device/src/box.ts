import { EventEmitter } from 'node:events';
import {
  ConfigPayload,
  type DeviceConfig,
  type Schedule,
  SchedulePayload,
  type Status,
  type Vote,
} from '@likebox/protocol';
import type { Logger } from 'pino';
import { createHardware, type Hardware } from './board.js';
import { gateOptions, hardwareOptions, lcdGeometry, publisherOptions } from './boxOptions.js';
import { BoxScreen } from './boxScreen.js';
import { boxStatus } from './boxStatus.js';
import { CLOCK_FLOOR_MS, type ClockSync } from './clock.js';
import type { Config } from './config.js';
import { Feedback } from './feedback.js';
import type { Outbox } from './outbox.js';
import { PressCounters } from './pressCounters.js';
import { Publisher } from './publisher.js';
import { RoomState } from './roomState.js';
import { alertOf, bootScreen, type Locale, type ScreenState } from './screen.js';
import { cacheRetained, StorageError } from './storage.js';
import { StorageWatch } from './storageWatch.js';
import { type ButtonName, type IgnoreReason, VoteGate } from './voteGate.js';

/** Screen refresh period (title scrolling, time left), in ms. */
const REFRESH_MS = 200;
/** While the outbox cannot be written, how often a small write checks whether it can again. */
const STORAGE_PROBE_MS = 2000;

/** Everything a box is made of, built by the command. */
export interface BoxDeps {
  config: Config;
  /** Root logger: the box logs through `log.child({ module })`. */
  log: Logger;
  /** A Johnny-Five IO plugin (virtual, raspi-io, Firmata). */
  io: unknown;
  outbox: Outbox;
  clock: ClockSync;
  version: string;
  /** The box's IP address for the boot screen and status. */
  ip: string;
  /** The box's wall clock, epoch ms (default `Date.now`; the simulator's skewed boxes differ). */
  now?: () => number;
}

/** Events of a {@link Box}. */
export interface BoxEvents {
  /** A vote was durably recorded. */
  vote: [Vote];
  /** A closure did not count. */
  ignored: [{ button: ButtonName; reason: IgnoreReason }];
  /** A press the outbox could not record (full or failing storage): not counted. */
  refused: [{ value: 1 | -1; storage: 'full' | 'error' }];
  /** The hardware failed (serial port closed or in error): the box cannot go on. */
  fault: [Error];
}

/**
 * The box: buttons through the VoteGate into the outbox, then local feedback (LED, beep, LCD),
 * the MQTT publisher, and the screens fed by the retained schedule, config, now and tally
 * (cached, so the right talk shows without network). A full or failing outbox never stops it: it
 * refuses presses, says so on the LCD and in its status, and recovers when the storage does.
 */
export class Box extends EventEmitter<BoxEvents> {
  readonly #d: BoxDeps;
  readonly #log: Logger;
  readonly #gate: VoteGate;
  readonly #publisher: Publisher;
  readonly #room: RoomState;
  readonly #startedAt = performance.now();
  #hw: Hardware | null = null;
  #feedback: Feedback | null = null;
  #screen: BoxScreen | null = null;
  #timers: NodeJS.Timeout[] = [];
  readonly #storage: StorageWatch;
  readonly #presses = new PressCounters();
  readonly #now: () => number;

  constructor(deps: BoxDeps) {
    super();
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
    this.#log = deps.log.child({ module: 'box' });
    this.#room = new RoomState(deps.config.LIKEBOX_ROOM);
    this.#gate = new VoteGate(gateOptions(deps.config));
    this.#storage = new StorageWatch(deps.outbox, this.#log, () => {
      this.render();
      this.#publisher.statusChanged();
    });
    this.#publisher = new Publisher(
      publisherOptions(deps.config),
      deps.outbox,
      () => this.status(),
      deps.log.child({ module: 'publisher' }),
    );
  }

  /** The MQTT side, for tests and the control server. */
  get publisher(): Publisher {
    return this.#publisher;
  }

  /** Feeds a contact edge as the IO would (used by the virtual box's controls). */
  get gate(): VoteGate {
    return this.#gate;
  }

  /** The room votes are recorded for. */
  get room(): string {
    return this.#room.room;
  }

  /**
   * Starts the MQTT connection (an unreadable CA file throws before anything else runs), builds
   * the hardware, shows the boot screen and starts the gate. A failure stops what had started.
   */
  async start(): Promise<void> {
    const { config, outbox } = this.#d;
    this.#restoreCache();
    this.#gate.on('vote', ({ value }) => this.#onVote(value));
    this.#gate.on('ignored', (e) => this.#onIgnored(e));
    this.#gate.on('chord', () => this.#log.debug('both buttons pressed: ignored'));
    this.#wirePublisher();
    this.#publisher.start();
    try {
      await this.#startHardware();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.#d.clock.start();
    this.#timers.push(setInterval(() => this.#refresh(), REFRESH_MS));
    this.#timers.push(setInterval(() => this.#storage.check(), STORAGE_PROBE_MS));
    outbox.probe(); // a box restarted on a full disk says so before the first press
    this.#storage.check();
    const { depth, lastSeq, epoch, storage } = outbox;
    this.#log.info(
      { device: config.LIKEBOX_DEVICE_ID, room: this.room, outbox: depth, lastSeq, epoch, storage },
      'box started',
    );
  }

  async #startHardware(): Promise<void> {
    const { config, version, ip } = this.#d;
    const hw = await createHardware(
      this.#d.io,
      hardwareOptions(config),
      (button, closed) => this.#gate.input(button, closed),
      (err) => this.emit('fault', err),
    );
    this.#hw = hw;
    this.#feedback = new Feedback(hw, config.LIKEBOX_LED_MS, config.LIKEBOX_BEEP_MS);
    this.#screen = new BoxScreen(hw, config.LIKEBOX_THANKS_MS);
    this.#gate.start();
    const boot = bootScreen(this.#screenBase(), version, config.LIKEBOX_DEVICE_ID, ip);
    this.#screen.boot(boot, config.LIKEBOX_BOOT_MS);
  }

  /** Stops everything in reverse order; each step on its own. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#feedback?.stop();
    this.#gate.stop();
    this.#hw?.close();
    this.#d.clock.stop();
    try {
      await this.#publisher.stop();
    } catch (err) {
      this.#log.warn({ err }, 'mqtt stop failed');
    }
  }

  /** The `status` payload (without `online`). */
  status(): Omit<Status, 'online'> {
    const { outbox, version, ip } = this.#d;
    const [room, now, synced] = [this.room, this.#now(), this.#d.clock.synced];
    const parts = { outbox, version, ip, room, now, synced, startedAt: this.#startedAt };
    return boxStatus({ ...parts, publisher: this.#publisher, presses: this.#presses });
  }

  #onIgnored(e: { button: ButtonName; reason: IgnoreReason }): void {
    this.#presses.ignored(e.reason);
    this.#publisher.statusChanged();
    this.emit('ignored', e);
  }

  #refresh(): void {
    if (this.#presses.check(this.#gate)) this.#publisher.statusChanged();
    this.render();
  }

  /** Redraws the LCD from the current state (called periodically and after every change). */
  render(): void {
    this.#screen?.render(this.screenState());
  }

  /** What the screen shows now. */
  screenState(): ScreenState {
    const at = this.#now();
    const current = this.#room.current(at);
    const { likes, dislikes, hidden } = this.#room.counts(current?.id ?? null);
    return {
      ...this.#screenBase(),
      connected: this.#publisher.connected,
      talk: current === null ? null : { title: current.title, closes: current.closes },
      next: current === null ? this.#room.next(at) : null,
      ...{ likes, dislikes, hidden },
      roomName: this.#room.roomName,
      now: at,
      tick: performance.now(),
      timeZone: this.#room.timeZone,
      alert: alertOf(this.#d.outbox.storage, this.#publisher.sharedId, this.#publisher.link),
    };
  }

  #screenBase(): { cols: number; rows: number; locale: Locale } {
    const locale = this.#room.config?.locale ?? this.#d.config.LIKEBOX_LOCALE;
    return { ...lcdGeometry(this.#d.config), locale };
  }

  /**
   * A press the gate counted. The vote is fsynced to the outbox first, and only then confirmed:
   * LED, chirp and "Merci !" (a GPIO write and a few I2C bytes), announced (`vote`, the HTTP
   * control's 200) and published. A press the outbox cannot record is never confirmed: it gets a
   * distinct feedback instead. The fsync costs a few ms before the LED lights (measured in
   * `test/integration/storage.test.ts`).
   */
  #onVote(value: 1 | -1): void {
    const now = this.#now();
    const synced = this.#d.clock.synced && now >= CLOCK_FLOOR_MS;
    const at = Math.max(now, CLOCK_FLOOR_MS);
    let vote: Vote;
    try {
      vote = this.#d.outbox.record({ value, at, room: this.room, synced });
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      this.#feedback?.refused();
      this.#screen?.refused(value, err.state);
      this.render();
      this.emit('refused', { value, storage: err.state });
      this.#storage.check();
      return;
    }
    this.#feedback?.counted();
    this.#room.addLocal(now, value);
    this.#screen?.thanks(value);
    this.render();
    this.emit('vote', vote);
    this.#storage.check();
    this.#publisher.pump();
    this.#publisher.statusChanged();
  }

  #wirePublisher(): void {
    const p = this.#publisher;
    p.on('connection', () => this.render());
    p.on('ack', () => this.render());
    p.on('config', (config) => {
      this.#room.config = config;
      cacheRetained(this.#d.outbox, this.#log, 'config', config);
      this.render();
    });
    p.on('schedule', (schedule) => this.#setSchedule(schedule, true));
    p.on('now', (room, now) => this.#room.setNow(room, now) && this.render());
    p.on('tally', (room, tally) => this.#room.setTally(room, tally) && this.render());
  }

  /** Uses a room assignment as if it came retained from the broker (the simulator's rooms). */
  useConfig(config: DeviceConfig): void {
    this.#room.config = config;
    this.render();
  }

  /** Uses a schedule as if it came retained from the broker (the simulator's `--schedule` file). */
  useSchedule(schedule: Schedule): void {
    this.#setSchedule(schedule, true);
  }

  #setSchedule(schedule: Schedule, persist: boolean): void {
    this.#room.setSchedule(schedule);
    if (persist) cacheRetained(this.#d.outbox, this.#log, 'schedule', schedule);
    this.render();
  }

  #restoreCache(): void {
    const schedule = SchedulePayload.safeParse(this.#d.outbox.cacheGet('schedule'));
    if (schedule.success) this.#setSchedule(schedule.data, false);
    const config = ConfigPayload.safeParse(this.#d.outbox.cacheGet('config'));
    if (config.success) this.#room.config = config.data;
  }
}
