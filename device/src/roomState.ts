import {
  type DeviceConfig,
  type Now,
  type Schedule,
  ScheduleIndex,
  type Tally,
} from '@likebox/protocol';

/** Room used when neither the retained `config` nor `LIKEBOX_ROOM` assigned one. */
export const UNASSIGNED_ROOM = 'unassigned';

/** A talk as the screen needs it. */
export interface CurrentTalk {
  id: string;
  title: string;
  /** End of its vote window, epoch ms. */
  closes: number;
}

/**
 * What the box knows about its room: its assignment (`config`), the cached schedule, the ingest's
 * latest `now` and `tally`, and the votes it recorded since the last tally. Pure state, no I/O.
 */
export class RoomState {
  /** The retained config of this box, or null before the first one. */
  config: DeviceConfig | null = null;
  #index: ScheduleIndex | null = null;
  #now: Now | null = null;
  #tally: Tally | null = null;
  /** Votes of this box not yet in a tally, by talk id, so counts move at once offline too. */
  #local: Array<{ talk: string; value: 1 | -1 }> = [];

  /** @param fallbackRoom room until a config assigns one (`LIKEBOX_ROOM`). */
  constructor(readonly fallbackRoom: string | undefined) {}

  /** The room votes are recorded for. */
  get room(): string {
    return this.config?.room ?? this.fallbackRoom ?? UNASSIGNED_ROOM;
  }

  /** The room's display name. */
  get roomName(): string {
    return this.config?.roomName ?? this.#now?.roomName ?? this.room;
  }

  /** The schedule's time zone (UTC without a schedule). */
  get timeZone(): string {
    return this.#index?.schedule.timeZone ?? 'UTC';
  }

  /** Replaces the schedule. */
  setSchedule(schedule: Schedule): void {
    this.#index = new ScheduleIndex(schedule);
  }

  /** Takes a `now` payload; false when it is about another room. */
  setNow(room: string, now: Now): boolean {
    if (room !== this.room) return false;
    this.#now = now;
    return true;
  }

  /** Takes a `tally` payload; false when it is about another room. */
  setTally(room: string, tally: Tally): boolean {
    if (room !== this.room) return false;
    this.#tally = tally;
    // The tally includes this box's acknowledged votes: drop the local ones for that talk.
    this.#local = this.#local.filter((v) => v.talk !== tally.talk);
    return true;
  }

  /** Notes a vote recorded for the talk being voted at `at`. */
  addLocal(at: number, value: 1 | -1): void {
    const talk = this.current(at);
    if (talk !== null) this.#local.push({ talk: talk.id, value });
  }

  /** The talk being voted: the ingest's `now` while it is fresh, else computed from the cached schedule. */
  current(at: number): CurrentTalk | null {
    const now = this.#now;
    if (now !== null && now.room === this.room && now.talk !== null && now.window !== null) {
      if (at >= now.window.opens && at < now.window.closes) {
        return { id: now.talk.id, title: now.talk.title, closes: now.window.closes };
      }
    }
    if (this.#index === null) return null;
    const found = this.#index.roomNow(this.room, at).current;
    return found === null
      ? null
      : { id: found.talk.id, title: found.talk.title, closes: found.window.closes };
  }

  /** When the next vote window of the room opens, or null. */
  next(at: number): { opens: number } | null {
    const next = this.#index?.roomNow(this.room, at).next ?? null;
    if (next !== null) return { opens: next.window.opens };
    const fromNow = this.#now?.nextWindow ?? null;
    return fromNow !== null && fromNow.opens > at ? { opens: fromNow.opens } : null;
  }

  /**
   * Counts shown for a talk: the ingest's tally plus this box's votes it does not include yet;
   * none (`hidden`) while the ingest withholds the talk's counts until its window closes.
   */
  counts(talk: string | null): { likes: number; dislikes: number; hidden: boolean } {
    if (talk === null) return { likes: 0, dislikes: 0, hidden: false };
    const tally = this.#tally?.talk === talk ? this.#tally : null;
    if (tally?.hidden === true) return { likes: 0, dislikes: 0, hidden: true };
    let likes = tally?.likes ?? 0;
    let dislikes = tally?.dislikes ?? 0;
    for (const vote of this.#local) {
      if (vote.talk !== talk) continue;
      if (vote.value > 0) likes++;
      else dislikes++;
    }
    return { likes, dislikes, hidden: false };
  }
}
