/// <reference lib="dom" />
import { z } from 'zod';
import type { TalkCounts, TalkHistory } from './liveState.js';

const Count = z.int().min(0);

/** What is stored per talk; anything else found in storage (another version, a hand edit) is ignored. */
const StoredCounts = z.object({
  talk: z.string(),
  room: z.string(),
  likes: Count,
  dislikes: Count,
  tallied: z.boolean(),
  points: z.array(z.object({ t: z.number(), likes: Count, dislikes: Count })),
});

/** Delay before pending saves are written, so a burst of votes costs one write. */
const SAVE_DELAY_MS = 1000;

/**
 * Talk counts and curves kept in this browser's localStorage, per event: a speaker who opened
 * their page during the talk still sees the whole curve after the window closed and after a
 * reload, although MQTT retains only the room's last tally. Storage may be missing or full (a
 * third-party iframe, private mode): every failure is ignored and the page works without it.
 */
export class LocalTalkHistory implements TalkHistory {
  readonly #pending = new Map<string, TalkCounts>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly event: string) {}

  load(talk: string): TalkCounts | null {
    try {
      const text = localStorage.getItem(this.#key(talk));
      if (text === null) return null;
      const stored = StoredCounts.safeParse(JSON.parse(text));
      return stored.success && stored.data.talk === talk ? stored.data : null;
    } catch {
      return null;
    }
  }

  save(counts: TalkCounts): void {
    this.#pending.set(counts.talk, counts);
    this.#timer ??= setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  /** Writes the pending saves now. */
  flush(): void {
    this.#timer = null;
    for (const counts of this.#pending.values()) {
      try {
        localStorage.setItem(this.#key(counts.talk), JSON.stringify(counts));
      } catch {
        // Quota exceeded or storage blocked: the live page does not depend on it.
      }
    }
    this.#pending.clear();
  }

  #key(talk: string): string {
    return `likebox:${this.event}:talk:${talk}`;
  }
}
