import type { Notice, NoticeKind } from '@likebox/protocol';
import type { Logger } from 'pino';

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

  /** Publishes every active notice again (after a reconnection). */
  republish(): void {
    for (const notice of this.#active.values()) this.#publish(notice.id, notice);
  }
}
