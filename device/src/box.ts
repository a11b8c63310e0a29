import { EventEmitter } from 'node:events';
import {
  ConfigPayload,
  type DeviceConfig,
  type Schedule,
  SchedulePayload,
  type Vote,
} from '@likebox/protocol';
import type { Logger } from 'pino';
import { createHardware, type Hardware } from './board.js';
import { CLOCK_FLOOR_MS, type ClockSync } from './clock.js';
import type { Config } from './config.js';
import type { Outbox } from './outbox.js';
import { Publisher } from './publisher.js';
import { RoomState, UNASSIGNED_ROOM } from './roomState.js';
import { bootScreen, type Locale, mainScreen, type ScreenState, thanksScreen } from './screen.js';
import { type ButtonName, type IgnoreReason, VoteGate } from './voteGate.js';

/** Screen refresh period (title scrolling, time left), in ms. */
const REFRESH_MS = 200;

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
}

/** Events of a {@link Box}. */
export interface BoxEvents {
  /** A vote was durably recorded. */
  vote: [Vote];
  /** A closure did not count. */
  ignored: [{ button: ButtonName; reason: IgnoreReason }];
  /** The hardware failed (serial port closed or in error): the box cannot go on. */
  fault: [Error];
}

/**
 * The box: buttons through the VoteGate into the outbox, immediate local feedback (LED, beep,
 * LCD), the MQTT publisher, and the screens fed by the retained schedule, config, now and tally
 * (cached, so the right talk shows without network).
 */
export class Box extends EventEmitter<BoxEvents> {
  readonly #d: BoxDeps;
  readonly #log: Logger;
  readonly #gate: VoteGate;
  readonly #publisher: Publisher;
  readonly #startedAt = performance.now();
  #hw: Hardware | null = null;
  readonly #room: RoomState;
  #thanks: { value: 1 | -1; until: number } | null = null;
  #bootUntil = 0;
  #timers: NodeJS.Timeout[] = [];
  #ledTimer: NodeJS.Timeout | undefined;
  #beepTimer: NodeJS.Timeout | undefined;

  constructor(deps: BoxDeps) {
    super();
    this.#d = deps;
    this.#log = deps.log.child({ module: 'box' });
    this.#room = new RoomState(deps.config.LIKEBOX_ROOM);
    const c = deps.config;
    this.#gate = new VoteGate({
      pressMs: c.LIKEBOX_PRESS_MS,
      releaseMs: c.LIKEBOX_RELEASE_MS,
      minIntervalMs: c.LIKEBOX_MIN_INTERVAL_MS,
      bootMs: c.LIKEBOX_BOOT_MS,
    });
    this.#publisher = new Publisher(
      {
        url: c.LIKEBOX_MQTT_URL,
        username: c.LIKEBOX_MQTT_USERNAME,
        password: c.LIKEBOX_MQTT_PASSWORD,
        event: c.LIKEBOX_EVENT,
        device: c.LIKEBOX_DEVICE_ID,
        maxInflight: c.LIKEBOX_MAX_INFLIGHT,
        ackTimeoutMs: c.LIKEBOX_ACK_TIMEOUT_S * 1000,
        heartbeatMs: c.LIKEBOX_HEARTBEAT_S * 1000,
      },
      deps.outbox,
      () => this.status(),
      deps.log.child({ module: 'publisher' }),
    );
  }

  /** The MQTT side, for tests and the control server. */
  get publisher(): Publisher {
    return this.#publisher;
  }

  /** The room votes are recorded for. */
  get room(): string {
    return this.#room.room;
  }

  /** Builds the hardware, shows the boot screen, starts the gate and the MQTT connection. */
  async start(): Promise<void> {
    const { config, outbox } = this.#d;
    const log = this.#log;
    this.#restoreCache();
    this.#gate.on('vote', ({ value }) => this.#onVote(value));
    this.#gate.on('ignored', (e) => this.emit('ignored', e));
    this.#gate.on('chord', () => log.debug('both buttons pressed: ignored'));
    const [cols, rows] =
      config.LIKEBOX_LCD === 'none' ? [0, 0] : config.LIKEBOX_LCD.split('x').map(Number);
    this.#hw = await createHardware(
      this.#d.io,
      {
        pins: config.pins,
        pullup: config.LIKEBOX_PULLUP,
        lcd:
          config.LIKEBOX_LCD === 'none'
            ? null
            : { address: config.LIKEBOX_LCD_ADDRESS, cols: cols ?? 16, rows: rows ?? 2 },
      },
      (button, closed) => this.#gate.input(button, closed),
      (err) => this.emit('fault', err),
    );
    this.#gate.start();
    this.#bootUntil = performance.now() + config.LIKEBOX_BOOT_MS;
    this.#hw.show(
      bootScreen(this.#screenBase(), this.#d.version, config.LIKEBOX_DEVICE_ID, this.#d.ip),
    );
    this.#wirePublisher();
    this.#d.clock.start();
    this.#publisher.start();
    this.#timers.push(setInterval(() => this.render(), REFRESH_MS));
    log.info(
      {
        device: config.LIKEBOX_DEVICE_ID,
        room: this.room,
        outbox: outbox.depth,
        lastSeq: outbox.lastSeq,
      },
      'box started',
    );
  }

  /** Stops everything in reverse order; each step on its own. */
  async stop(): Promise<void> {
    for (const timer of [...this.#timers, this.#ledTimer, this.#beepTimer]) clearTimeout(timer);
    this.#timers = [];
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
  status() {
    const { outbox, version, ip } = this.#d;
    const room = this.room;
    return {
      outbox: outbox.depth,
      version,
      uptime: Math.round((performance.now() - this.#startedAt) / 1000),
      at: Math.max(Date.now(), CLOCK_FLOOR_MS),
      synced: this.#d.clock.synced,
      ...(room === UNASSIGNED_ROOM ? {} : { room }),
      ...(ip === '' ? {} : { ip: ip.slice(0, 64) }),
      lastSeq: outbox.lastSeq,
    };
  }

  /** Redraws the LCD from the current state (called periodically and after every change). */
  render(): void {
    const hw = this.#hw;
    if (hw === null || performance.now() < this.#bootUntil) return;
    const state = this.screenState();
    const thanks = this.#thanks;
    if (thanks !== null && performance.now() < thanks.until)
      hw.show(thanksScreen(state, thanks.value));
    else {
      this.#thanks = null;
      hw.show(mainScreen(state));
    }
  }

  /** What the screen shows now. */
  screenState(): ScreenState {
    const at = Date.now();
    const base = this.#screenBase();
    const current = this.#room.current(at);
    const { likes, dislikes } = this.#room.counts(current?.id ?? null);
    return {
      ...base,
      connected: this.#publisher.connected,
      talk: current === null ? null : { title: current.title, closes: current.closes },
      next: current === null ? this.#room.next(at) : null,
      likes,
      dislikes,
      roomName: this.#room.roomName,
      now: at,
      tick: performance.now(),
      timeZone: this.#room.timeZone,
    };
  }

  #screenBase(): { cols: number; rows: number; locale: Locale } {
    const [cols, rows] =
      this.#d.config.LIKEBOX_LCD === 'none'
        ? [16, 2]
        : this.#d.config.LIKEBOX_LCD.split('x').map(Number);
    return {
      cols: cols ?? 16,
      rows: rows ?? 2,
      locale: this.#room.config?.locale ?? this.#d.config.LIKEBOX_LOCALE,
    };
  }

  /** Feeds a contact edge as the IO would (used by the virtual box's controls). */
  get gate(): VoteGate {
    return this.#gate;
  }

  /**
   * A counted press. Feedback comes first, all synchronous and local (GPIO writes, then the LCD's
   * I2C bytes): the person sees it within a frame even when the SD card's fsync is slow. The vote
   * is then fsynced to the outbox, and only then counted: announced (`vote`, the HTTP control's
   * 200) and published. A power cut between the two (a few ms) is indistinguishable from one just
   * before the press; one after can no longer lose the vote.
   */
  #onVote(value: 1 | -1): void {
    const hw = this.#hw;
    hw?.led(true);
    hw?.buzzer(true);
    clearTimeout(this.#ledTimer);
    clearTimeout(this.#beepTimer);
    this.#ledTimer = setTimeout(() => hw?.led(false), this.#d.config.LIKEBOX_LED_MS);
    this.#beepTimer = setTimeout(() => hw?.buzzer(false), this.#d.config.LIKEBOX_BEEP_MS);
    const now = Date.now();
    this.#room.addLocal(now, value);
    this.#thanks = { value, until: performance.now() + this.#d.config.LIKEBOX_THANKS_MS };
    this.#bootUntil = 0;
    this.render();
    const synced = this.#d.clock.synced && now >= CLOCK_FLOOR_MS;
    const at = Math.max(now, CLOCK_FLOOR_MS);
    const vote = this.#d.outbox.record({ value, at, room: this.room, synced });
    this.emit('vote', vote);
    this.#publisher.pump();
  }

  #wirePublisher(): void {
    const p = this.#publisher;
    p.on('connection', () => this.render());
    p.on('config', (config) => {
      this.#room.config = config;
      this.#d.outbox.cacheSet('config', config);
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
    if (persist) this.#d.outbox.cacheSet('schedule', schedule);
    this.render();
  }

  #restoreCache(): void {
    const schedule = SchedulePayload.safeParse(this.#d.outbox.cacheGet('schedule'));
    if (schedule.success) this.#setSchedule(schedule.data, false);
    const config = ConfigPayload.safeParse(this.#d.outbox.cacheGet('config'));
    if (config.success) this.#room.config = config.data;
  }
}
