import type { Schedule, Talk, TalkRef, VoteWindow, VoteWindowRule } from './scheduleSchemas.js';

/**
 * Vote windows: which talk a press in a room at an instant counts for.
 *
 * A talk's window opens `openAfterStart` minutes after its start and closes `closeAfterEnd` minutes
 * after its end (default +10 / +15, overridable per format), both shifted by the room's delay when
 * the talk had not ended when the delay was declared. Windows are half-open: [opens, closes).
 *
 * Overlaps (consecutive talks with a short break, or a schedule where two talks share a room):
 * **the window that opened last wins**. Once the next talk has been running long enough for its
 * window to open, the people walking out are leaving that talk, not the previous one. Two windows
 * opening at the same instant are ordered by talk id, the smaller id winning. Breaks and other
 * talks with `votable: false` have no window.
 */

const MINUTE_MS = 60_000;

/** The rule used when neither the schedule nor the talk's format says otherwise. */
export const DEFAULT_WINDOW_RULE: VoteWindowRule = { openAfterStart: 10, closeAfterEnd: 15 };

/** The window rule for a talk format: the schedule's override for it (case-insensitive), else its default. */
export function windowRule(schedule: Schedule, format: string): VoteWindowRule {
  const rules = schedule.windows;
  if (rules === undefined) return DEFAULT_WINDOW_RULE;
  const exact = rules.byFormat[format];
  if (exact !== undefined) return exact;
  const wanted = format.toLowerCase();
  const match = Object.entries(rules.byFormat).find(([name]) => name.toLowerCase() === wanted);
  return match?.[1] ?? rules.default;
}

/** Minutes the talk is shifted by its room's delay (0 when the room runs on time). */
export function talkDelay(schedule: Schedule, talk: Talk): number {
  const delay = schedule.delays?.[talk.room];
  if (delay === undefined) return 0;
  return Date.parse(talk.end) >= delay.since ? delay.minutes : 0;
}

/**
 * The talk's own vote window, delay included, before any overlap with its neighbours. A window
 * already open when its room was declared late stays open (only its closing moves): the talk it
 * counts for must not turn back into "next", its tally to zero, halfway through.
 */
export function voteWindow(schedule: Schedule, talk: Talk): VoteWindow {
  const rule = windowRule(schedule, talk.format);
  const shift = talkDelay(schedule, talk) * MINUTE_MS;
  const opens = Date.parse(talk.start) + rule.openAfterStart * MINUTE_MS;
  const since = schedule.delays?.[talk.room]?.since;
  const alreadyOpen = shift > 0 && since !== undefined && opens <= since;
  return {
    opens: alreadyOpen ? opens : opens + shift,
    closes: Date.parse(talk.end) + rule.closeAfterEnd * MINUTE_MS + shift,
  };
}

/** A talk with its vote window. */
export interface TalkWindow {
  talk: Talk;
  window: VoteWindow;
}

/** What a room's box and display show at an instant. */
export interface RoomNow {
  /** The talk a press counts for now, its window cut where a later window takes over; or null. */
  current: TalkWindow | null;
  /** The next talk whose window has not opened yet, or null. */
  next: TalkWindow | null;
  /** Minutes the room runs late for its next or current talk. */
  delay: number;
}

/** True when `a` takes precedence over `b` where their windows overlap. */
function winsOver(a: TalkWindow, b: TalkWindow): boolean {
  if (a.window.opens !== b.window.opens) return a.window.opens > b.window.opens;
  return a.talk.id < b.talk.id;
}

/** Precomputed per-room windows of one schedule: build once per schedule, query per vote. */
export class ScheduleIndex {
  readonly #byRoom = new Map<string, TalkWindow[]>();

  constructor(readonly schedule: Schedule) {
    for (const talk of schedule.talks) {
      if (!talk.votable) continue;
      const windows = this.#byRoom.get(talk.room) ?? [];
      windows.push({ talk, window: voteWindow(schedule, talk) });
      this.#byRoom.set(talk.room, windows);
    }
    for (const windows of this.#byRoom.values()) {
      windows.sort((a, b) => a.window.opens - b.window.opens || (a.talk.id < b.talk.id ? -1 : 1));
    }
  }

  /** Every votable talk of the room with its own window, by opening time. */
  windows(room: string): readonly TalkWindow[] {
    return this.#byRoom.get(room) ?? [];
  }

  /** The talk a press in `room` at `at` (epoch ms) counts for, or null outside every window. */
  talkAt(room: string, at: number): TalkWindow | null {
    let best: TalkWindow | null = null;
    for (const candidate of this.windows(room)) {
      if (candidate.window.opens > at) break;
      if (at < candidate.window.closes && (best === null || winsOver(candidate, best))) {
        best = candidate;
      }
    }
    return best;
  }

  /** The room's current talk (window cut where a later one takes over) and next talk at `at`. */
  roomNow(room: string, at: number): RoomNow {
    const windows = this.windows(room);
    const found = this.talkAt(room, at);
    const next = windows.find((w) => w.window.opens > at) ?? null;
    let current: TalkWindow | null = null;
    if (found !== null) {
      const takeover = windows.find(
        (w) => w.window.opens > at && w.window.opens < found.window.closes,
      );
      const closes = takeover?.window.opens ?? found.window.closes;
      current = { talk: found.talk, window: { opens: found.window.opens, closes } };
    }
    const shown = current ?? next;
    return { current, next, delay: shown === null ? 0 : talkDelay(this.schedule, shown.talk) };
  }
}

/** The talk as shown on screens and in `now` payloads. */
export function toTalkRef(talk: Talk): TalkRef {
  return {
    id: talk.id,
    title: talk.title,
    speakers: talk.speakers,
    start: talk.start,
    end: talk.end,
  };
}
