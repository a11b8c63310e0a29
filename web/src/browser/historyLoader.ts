/// <reference lib="dom" />
import { type TalkResult, TalkResultAnswer } from '@likebox/protocol';
import { talkResultPath } from '../resultsApi.js';
import type { LiveState } from './liveState.js';

/** What the results API said of a talk. */
export type TalkLookup =
  | { kind: 'found'; result: TalkResult }
  | { kind: 'unknown' }
  | { kind: 'unavailable'; reason: string };

/** Reads `/api/v1/talks/{talk}`: the talk, "unknown" on the API's 404, or why it could not. */
export async function fetchTalkResult(talk: string): Promise<TalkLookup> {
  try {
    const response = await fetch(talkResultPath(talk), { cache: 'no-store' });
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 404 && (body as { error?: unknown } | null)?.error === 'unknown talk') {
      return { kind: 'unknown' };
    }
    if (!response.ok) return { kind: 'unavailable', reason: `HTTP ${response.status}` };
    const parsed = TalkResultAnswer.safeParse(body);
    return parsed.success
      ? { kind: 'found', result: parsed.data }
      : { kind: 'unavailable', reason: 'unexpected answer' };
  } catch (err) {
    return { kind: 'unavailable', reason: String(err) };
  }
}

/** Attempts per talk: a server without the results API (an older one) is not asked forever. */
const ATTEMPTS = 3;
/** Delay between two attempts for one talk. */
const RETRY_MS = 5000;

/**
 * Loads the history of the talks a view shows, once each, from the results API into the live
 * state: a page opened mid-talk draws the curve from the window's opening, then extends it live.
 * Failures leave the page live-only (it then draws what it saw) and are retried a few times.
 */
export class HistoryLoader {
  readonly #asked = new Map<string, number>();
  /** Talks whose history came with counts withheld: asked again once a tally shows them. */
  readonly #withheld = new Set<string>();

  constructor(private readonly state: LiveState) {}

  /** Asks for the talks not asked yet; only talks of the programme (others would be 404s). */
  want(talks: Iterable<string>): void {
    for (const talk of talks) {
      if (this.state.scheduledTalk(talk) === null) continue;
      if (this.#withheld.has(talk) && !this.state.talk(talk).hidden) {
        this.#withheld.delete(talk);
        this.#asked.delete(talk);
      }
      if (this.#asked.has(talk)) continue;
      this.#asked.set(talk, 0);
      void this.#load(talk);
    }
  }

  async #load(talk: string): Promise<void> {
    const attempt = (this.#asked.get(talk) ?? 0) + 1;
    this.#asked.set(talk, attempt);
    const lookup = await fetchTalkResult(talk);
    if (lookup.kind === 'found') {
      if (lookup.result.figures === null) this.#withheld.add(talk);
      this.state.applyHistory(lookup.result);
    }
    // An unknown talk is not asked again: the schedule tells the views so.
    else if (lookup.kind === 'unavailable' && attempt < ATTEMPTS)
      setTimeout(() => void this.#load(talk), RETRY_MS);
  }
}
