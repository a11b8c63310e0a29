import { type Stats, unwatchFile, watchFile } from 'node:fs';
import { type Now, type Schedule, ScheduleIndex, toTalkRef } from '@likebox/protocol';
import { ConfigError } from '@likebox/runtime';
import {
  type ImportOptions,
  loadScheduleFile,
  ProgrammeUnavailableError,
  RemoteProgramme,
  type RemoteProgrammeState,
} from '@likebox/schedule';
import type { Logger } from 'pino';
import type { MoveSummary } from './delayMoves.js';
import type { Journal, StoredDelay } from './journal.js';
import type { Outputs } from './outputs.js';

/** Reads a schedule file into a normalised schedule of `event`, in the zone `tz` when given. */
export type ScheduleLoader = (path: string, event: string, tz?: string) => Promise<Schedule>;

/**
 * Reads `LIKEBOX_SCHEDULE_FILE` with the schedule importers: a normalised schedule or any
 * programme they read (BreizhCamp, frab, pretalx, Sessionize), as a schedule of `event`, in the
 * zone `tz` (`LIKEBOX_SCHEDULE_TZ`) when given. A file without a time zone is refused with a
 * message asking for `LIKEBOX_SCHEDULE_TZ`, the setting of `likebox ingest` and `likebox up`.
 */
export const loadSchedule: ScheduleLoader = async (path, event, tz) =>
  (
    await loadScheduleFile(path, {
      event,
      tzHint: 'LIKEBOX_SCHEDULE_TZ',
      ...(tz === undefined ? {} : { tz }),
    })
  ).schedule;

/** Options of {@link ScheduleState}. */
export interface ScheduleStateOptions {
  /** Event slug. */
  event: string;
  /** The schedule file; undefined = no schedule (every vote gets `talk=none`). */
  file: string | undefined;
  /** IANA time zone the file or URL programme is read in (`LIKEBOX_SCHEDULE_TZ`). */
  tz?: string | undefined;
  /**
   * A programme URL, in place of `file`: fetched at start (the ingest refuses to start when neither
   * the URL nor the last good copy in `dataDir` gives one), then every `everyMs`; a changed
   * programme is published like a reloaded file (see `RemoteProgramme` in `@likebox/schedule`).
   */
  remote?: {
    url: string;
    dataDir: string;
    everyMs: number;
    /** How it is imported (`tz`, `tzHint`); the event is this state's. */
    importOptions?: ImportOptions;
  };
  /** Where delays are kept. */
  journal: Journal;
  /** Publishes `schedule` and `now`. */
  outputs: Outputs;
  /** Logger (`module: schedule`). */
  log: Logger;
  /** How the file is read. */
  loader: ScheduleLoader;
  /** Folds a delay into a schedule. */
  fold: (schedule: Schedule, room: string, minutes: number, at: number) => Schedule;
  /** Called after each change of the schedule or of a room's current talk. */
  onChange: () => void;
  /**
   * Stores a delay (in place of `journal.saveDelay`) and moves the votes of its room that the new
   * schedule `after` attributes differently from `before`; returns the votes moved per talk pair.
   */
  moveVotes?: (delay: StoredDelay, before: ScheduleIndex, after: ScheduleIndex) => MoveSummary;
  /** Called with the new schedule after each load, reload or delay. */
  onSchedule?: (schedule: Schedule) => void;
}

/** How often `now` is recomputed (vote windows open and close on minute boundaries). */
export const NOW_EVERY_MS = 5000;

/**
 * The live schedule: loaded from the file (watched and reloaded on change; a broken file keeps
 * the previous schedule), with the stored room delays folded in, published retained as `schedule`
 * and, per room, as `now` whenever it changes.
 */
export class ScheduleState {
  readonly #o: ScheduleStateOptions;
  #index: ScheduleIndex | undefined;
  #lastNow = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #listener: ((current: Stats, previous: Stats) => void) | undefined;
  #remote: RemoteProgramme | undefined;

  constructor(options: ScheduleStateOptions) {
    this.#o = options;
  }

  /** The current schedule's index, or undefined without a schedule. */
  get index(): ScheduleIndex | undefined {
    return this.#index;
  }

  /** The programme URL's state for the health document, when the schedule comes from a URL. */
  get remote(): RemoteProgrammeState | undefined {
    return this.#remote?.state;
  }

  /** Loads the file (throws when the first load fails), starts watching it and the `now` timer. */
  async start(): Promise<void> {
    const { file } = this.#o;
    if (this.#o.remote !== undefined) {
      await this.#startRemote(this.#o.remote);
      return;
    }
    if (file === undefined) {
      this.#o.log.info('no schedule file: every vote is attributed talk=none');
      return;
    }
    await this.#load();
    this.#listener = (current, previous) => {
      if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
      this.#load().catch((err: unknown) => {
        this.#o.log.error({ err, file }, 'schedule reload failed; keeping the previous one');
      });
    };
    watchFile(file, { interval: 500 }, this.#listener);
    this.#timer = setInterval(() => this.publishNow(), NOW_EVERY_MS);
  }

  async #startRemote(remote: NonNullable<ScheduleStateOptions['remote']>): Promise<void> {
    const { event, log } = this.#o;
    this.#remote = new RemoteProgramme({
      ...remote,
      importOptions: {
        tzHint: 'LIKEBOX_SCHEDULE_TZ',
        ...(this.#o.tz === undefined ? {} : { tz: this.#o.tz }),
        ...remote.importOptions,
        event,
      },
      log,
      onChange: (schedule) => this.#setWithDelays(schedule),
    });
    let loaded: Awaited<ReturnType<RemoteProgramme['start']>>;
    try {
      loaded = await this.#remote.start();
    } catch (err) {
      if (!(err instanceof ProgrammeUnavailableError)) throw err;
      // Refused like a wrong setting: nothing to attribute votes with, and nothing to fall back on.
      throw new ConfigError(`LIKEBOX_SCHEDULE_URL: ${err.message}`, { cause: err });
    }
    this.#setWithDelays(loaded.schedule);
    this.#timer = setInterval(() => this.publishNow(), NOW_EVERY_MS);
  }

  async #load(): Promise<void> {
    const { file, event, loader, log, tz } = this.#o;
    if (file === undefined) return;
    const schedule = await loader(file, event, tz);
    this.#setWithDelays(schedule);
    log.info(
      { file, rooms: schedule.rooms.length, talks: schedule.talks.length },
      'schedule loaded',
    );
  }

  /** Folds the stored room delays into a freshly read schedule, then publishes it. */
  #setWithDelays(read: Schedule): void {
    const { event, journal, fold } = this.#o;
    let schedule = read;
    for (const delay of journal.delays(event)) {
      if (schedule.rooms.some((room) => room.slug === delay.room)) {
        schedule = fold(schedule, delay.room, delay.minutes, delay.since);
      }
    }
    this.#set(schedule);
  }

  #set(schedule: Schedule, index = new ScheduleIndex(schedule)): void {
    this.#index = index;
    this.#o.onSchedule?.(schedule);
    this.#o.outputs.schedule(schedule);
    this.#lastNow.clear();
    this.publishNow();
    this.#o.onChange();
  }

  /**
   * Declares `room` running `minutes` late from `at`: stored in the journal (survives restarts and
   * schedule reloads), folded into the schedule, `schedule` and `now` republished. With
   * `moveVotes`, the votes already cast in the room move to the talk the new schedule gives them.
   */
  applyDelay(room: string, minutes: number, at: number): void {
    const { event, journal, fold, log } = this.#o;
    const delay = { room, minutes, since: at };
    const index = this.#index;
    if (index === undefined || !index.schedule.rooms.some((r) => r.slug === room)) {
      journal.saveDelay(event, delay);
      log.info({ room, minutes, at }, 'room delay declared');
      if (index !== undefined)
        log.warn({ room }, 'delay for a room the schedule does not know; stored only');
      return;
    }
    const after = new ScheduleIndex(fold(index.schedule, room, minutes, at));
    let moved: MoveSummary = {};
    if (this.#o.moveVotes === undefined) journal.saveDelay(event, delay);
    else moved = this.#o.moveVotes(delay, index, after);
    log.info({ room, minutes, at, moved }, 'room delay declared');
    this.#set(after.schedule, after);
  }

  /** Publishes `schedule` and every room's `now` again (after a reconnection). */
  republish(): void {
    const index = this.#index;
    if (index === undefined) return;
    this.#o.outputs.schedule(index.schedule);
    this.#lastNow.clear();
    this.publishNow();
  }

  /** Recomputes each room's `now` and publishes those that changed. */
  publishNow(at = Date.now()): void {
    const index = this.#index;
    if (index === undefined) return;
    let changed = false;
    for (const room of index.schedule.rooms) {
      const now = roomNowPayload(index, room.slug, room.name, at);
      const key = JSON.stringify({ ...now, at: 0 });
      if (this.#lastNow.get(room.slug) === key) continue;
      this.#lastNow.set(room.slug, key);
      this.#o.outputs.now(room.slug, now);
      changed = true;
    }
    if (changed) this.#o.onChange();
  }

  /** Stops watching (and checking the URL, aborting a fetch under way). */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#remote?.stop().catch((err: unknown) => {
      this.#o.log.error({ err }, 'stopping the programme URL checks failed');
    });
    if (this.#listener !== undefined && this.#o.file !== undefined) {
      unwatchFile(this.#o.file, this.#listener);
    }
  }
}

/** The `now` payload of a room at an instant. */
export function roomNowPayload(index: ScheduleIndex, room: string, name: string, at: number): Now {
  const { current, next, delay } = index.roomNow(room, at);
  return {
    room,
    roomName: name,
    talk: current === null ? null : toTalkRef(current.talk),
    window: current?.window ?? null,
    next: next === null ? null : toTalkRef(next.talk),
    nextWindow: next?.window ?? null,
    delay,
    at,
  };
}
