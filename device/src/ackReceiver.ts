import type { Ack } from '@likebox/protocol';
import type { Logger } from 'pino';
import { badAckReason } from './ackPolicy.js';
import type { Outbox } from './outbox.js';
import { StorageError } from './storage.js';

/** What became of an ack: applied, ignored (not plausible), or not written (storage failed). */
export type AckOutcome = 'applied' | 'ignored' | 'not-written';

/**
 * Applies the acks the box may act on to its outbox (see `badAckReason`) and keeps what the others
 * tell: how many were ignored (each logged at warn) and whether the ingest says another box uses
 * this device id. It never deletes a vote the ack does not cover and never throws for an ack.
 */
export class AckReceiver {
  readonly #outbox: Outbox;
  readonly #log: Logger;
  #badAcks = 0;
  #sharedId = false;

  constructor(outbox: Outbox, log: Logger) {
    this.#outbox = outbox;
    this.#log = log;
  }

  /** Acks ignored since start. */
  get badAcks(): number {
    return this.#badAcks;
  }

  /** Whether the last applied ack said another box uses this device id. */
  get sharedId(): boolean {
    return this.#sharedId;
  }

  /** Judges and applies one ack. */
  receive(ack: Ack): AckOutcome {
    const outbox = this.#outbox;
    const { epoch, lastSeq } = outbox;
    const reason = badAckReason(ack, { epoch, lastSeq, epochAcks: outbox.epochAcks });
    if (reason !== null) {
      this.#badAcks++;
      this.#log.warn({ ack, reason, epoch, lastSeq }, 'ack ignored');
      return 'ignored';
    }
    try {
      const deleted = outbox.acknowledge(ack.seq, ack.epoch !== undefined);
      this.#log.debug({ seq: ack.seq, deleted }, 'ack');
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      // The votes stay: the ack timeout publishes them again and the ingest acks once more.
      this.#log.warn({ err, seq: ack.seq }, 'ack not applied: outbox storage failed');
      return 'not-written';
    }
    this.#sharedId = ack.shared === true;
    return 'applied';
  }
}
