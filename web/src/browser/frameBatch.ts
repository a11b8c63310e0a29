/// <reference lib="dom" />
import type { LiveChange } from './liveState.js';

/**
 * Longest wait for a frame: a hidden tab gets no animation frames, and its page must still follow
 * the state (it is shown again with its counts right).
 */
const FALLBACK_MS = 250;

/** One key per change that a later one of the same key makes redundant (its view re-reads the state). */
function changeKey(change: LiveChange): string {
  switch (change.kind) {
    case 'schedule':
      return 'schedule';
    case 'history':
      return `history ${change.room} ${change.talk}`;
    default:
      return `${change.kind} ${change.room}`;
  }
}

/**
 * Hands the live state's changes to a view at most once per animation frame. The state takes each
 * message at once; a busy room (hundreds of votes a second) then costs one render per frame instead
 * of one per vote, which no main thread keeps up with. Within a frame, changes of the same kind and
 * room collapse into the last one (the view reads the counts from the state, and shows the last vote).
 */
export class FrameBatch {
  readonly #pending = new Map<string, LiveChange>();
  #frame: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deliver: (changes: LiveChange[]) => void) {}

  /** Queues a change for the next frame. */
  push(change: LiveChange): void {
    const key = changeKey(change);
    // Deleted first so that the map's order is that of each key's last change.
    this.#pending.delete(key);
    this.#pending.set(key, change);
    if (this.#frame !== null) return;
    this.#frame = requestAnimationFrame(() => this.#flush());
    this.#timer = setTimeout(() => this.#flush(), FALLBACK_MS);
  }

  #flush(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#frame = null;
    this.#timer = null;
    const changes = [...this.#pending.values()];
    this.#pending.clear();
    this.deliver(changes);
  }
}
