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
/** Points stored per talk (evenly thinned, the last one kept): ~25 kB per talk at most. */
const MAX_STORED_POINTS = 600;
/** Talks kept per event; the least recently saved are forgotten (localStorage holds ~5 MB). */
const MAX_STORED_TALKS = 100;

function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  const kept = Array.from({ length: max - 1 }, (_, index) => items[Math.floor(index * step)] as T);
  return [...kept, items[items.length - 1] as T];
}

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
    try {
      const order = this.#order().filter((talk) => !this.#pending.has(talk));
      for (const counts of this.#pending.values()) {
        const stored = { ...counts, points: thin(counts.points, MAX_STORED_POINTS) };
        localStorage.setItem(this.#key(counts.talk), JSON.stringify(stored));
        order.push(counts.talk);
      }
      for (const talk of order.splice(0, Math.max(0, order.length - MAX_STORED_TALKS))) {
        localStorage.removeItem(this.#key(talk));
      }
      localStorage.setItem(this.#orderKey(), JSON.stringify(order));
    } catch {
      // Quota exceeded or storage blocked: the live page does not depend on it.
    }
    this.#pending.clear();
  }

  /** Stored talks, least recently saved first. */
  #order(): string[] {
    try {
      const text = localStorage.getItem(this.#orderKey()) ?? '[]';
      const parsed = z.array(z.string()).safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  #orderKey(): string {
    return `likebox:${this.event}:talks`;
  }

  #key(talk: string): string {
    return `likebox:${this.event}:talk:${talk}`;
  }
}
