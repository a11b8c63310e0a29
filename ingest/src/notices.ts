import { filters, type Notice, type NoticeKind, parseTopic } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { BrokerLink } from './brokerLink.js';

/** A notice to raise: its `since` is kept from the first time it was raised. */
export type NoticeDraft = Omit<Notice, 'since'>;

/**
 * The organisers' active notices. Raising publishes the notice retained on `notices/{id}` (again
 * only when its text changes); clearing publishes an empty retained payload, which removes it from
 * the broker: what is retained under `notices/+` is exactly what is active. Republished whole on
 * every (re)connection.
 */
export class Notices {
  readonly #active = new Map<string, Notice>();
  readonly #publish: (id: string, notice: Notice | undefined) => void;
  readonly #log: Logger;

  constructor(publish: (id: string, notice: Notice | undefined) => void, log: Logger) {
    this.#publish = publish;
    this.#log = log;
  }

  /** Raises (or updates) a notice; `now` becomes its `since` the first time. */
  raise(draft: NoticeDraft, now = Date.now()): void {
    const known = this.#active.get(draft.id);
    const notice: Notice = { ...draft, since: known?.since ?? now };
    if (known !== undefined && JSON.stringify(known) === JSON.stringify(notice)) return;
    this.#active.set(draft.id, notice);
    if (known === undefined) this.#log.warn({ notice }, 'notice raised');
    this.#publish(draft.id, notice);
  }

  /** Clears a notice, if active. */
  clear(id: string): void {
    const known = this.#active.get(id);
    if (known === undefined) return;
    this.#active.delete(id);
    this.#log.info({ id, kind: known.kind }, 'notice cleared');
    this.#publish(id, undefined);
  }

  /** Clears every active notice of `kind` whose id is not in `keep`. */
  clearOthers(kind: NoticeKind, keep: ReadonlySet<string>): void {
    for (const notice of [...this.#active.values()]) {
      if (notice.kind === kind && !keep.has(notice.id)) this.clear(notice.id);
    }
  }

  /** True when the notice is active. */
  has(id: string): boolean {
    return this.#active.has(id);
  }

  /** The active notices, oldest first. */
  list(): Notice[] {
    return [...this.#active.values()].sort((a, b) => a.since - b.since);
  }

  /**
   * Clears, on the broker, the notices a previous run left retained (`left`: their ids) that this
   * run has not raised: the state it watched is gone with it, so a notice whose condition still
   * holds is raised again as this run sees it (with a new `since`), and one that no longer holds
   * does not stay on the organisers' screens. Returns how many it cleared.
   */
  clearLeft(left: Iterable<string>): number {
    let cleared = 0;
    for (const id of left) {
      if (this.#active.has(id)) continue;
      this.#publish(id, undefined);
      cleared += 1;
    }
    if (cleared > 0) this.#log.info({ cleared }, 'notices left by a previous run cleared');
    return cleared;
  }

  /** Publishes every active notice again (after a reconnection). */
  republish(): void {
    for (const notice of this.#active.values()) this.#publish(notice.id, notice);
  }
}

/**
 * The ids of the notices the broker holds retained for `event` (non-empty payloads), read before
 * this run publishes any: what a previous run left. Empty when the broker refuses the read.
 */
export async function leftNotices(
  link: Pick<BrokerLink, 'readRetainedUnder'>,
  event: string,
): Promise<string[]> {
  const { messages } = await link.readRetainedUnder(filters.notices(event));
  const ids: string[] = [];
  for (const [topic, payload] of messages) {
    const parsed = parseTopic(topic);
    if (parsed?.kind === 'notice' && payload.length > 0) ids.push(parsed.notice);
  }
  return ids;
}
