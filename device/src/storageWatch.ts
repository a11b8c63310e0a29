import type { Logger } from 'pino';
import type { Outbox } from './outbox.js';
import type { StorageState } from './storage.js';

/**
 * Watches the outbox's storage: while it fails, each {@link check} probes it (a write that needs
 * new space), so the box learns that space returned without waiting for a press; each change of
 * state is logged once and reported to `onChange`.
 */
export class StorageWatch {
  readonly #outbox: Pick<Outbox, 'storage' | 'probe'>;
  readonly #log: Logger;
  readonly #onChange: () => void;
  #last: StorageState = 'ok';

  constructor(outbox: Pick<Outbox, 'storage' | 'probe'>, log: Logger, onChange: () => void) {
    this.#outbox = outbox;
    this.#log = log;
    this.#onChange = onChange;
  }

  /** Probes a failing outbox, then reports a change of its state. */
  check(): void {
    if (this.#outbox.storage !== 'ok') this.#outbox.probe();
    const storage = this.#outbox.storage;
    if (storage === this.#last) return;
    if (storage === 'ok') this.#log.info({ was: this.#last }, 'outbox storage works again');
    else this.#log.error({ storage }, 'outbox storage failed: presses are refused');
    this.#last = storage;
    this.#onChange();
  }
}
