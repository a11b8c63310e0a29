import { AuthBusyError } from './errors.js';

/** Sizes of a {@link FairCheckQueue}. */
export interface CheckQueueLimits {
  /** Checks run at once. */
  concurrent: number;
  /** Checks one address may have waiting. */
  perAddress: number;
  /** Checks waiting in all. */
  total: number;
}

/**
 * Runs password checks (scrypt: ~50 ms of a libuv thread and 16 MiB each) a few at a time, taking
 * the waiting ones in turn from each address (round robin), with a bounded queue per address and
 * in all: a flood of junk CONNECTs from a few addresses fills only their own share, and a box
 * logging in from elsewhere waits for at most one check per busy address. A check beyond a bound
 * is refused at once ({@link AuthBusyError}) instead of queued. Before, every check waited in
 * one FIFO: 400 junk CONNECTs delayed a real first login from 35 ms to 7 s (issue 19), to 42 s on
 * a 2-core machine busy with other work.
 */
export class FairCheckQueue {
  private running = 0;
  private waiting = 0;
  // Addresses with waiting checks, in turn order: a Map iterates in insertion order, and an
  // address served is moved to the end.
  private readonly queues = new Map<string, Array<() => void>>();

  constructor(private readonly limits: Readonly<CheckQueueLimits>) {}

  /** Runs `task` when a slot is free and it is `address`'s turn; throws when the queue is full. */
  async run<T>(address: string, task: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.concurrent) {
      this.running++;
    } else {
      await this.enqueue(address);
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Checks waiting now, in all. */
  get queued(): number {
    return this.waiting;
  }

  private enqueue(address: string): Promise<void> {
    const queue = this.queues.get(address) ?? [];
    if (queue.length >= this.limits.perAddress || this.waiting >= this.limits.total) {
      return Promise.reject(new AuthBusyError('too many password checks waiting'));
    }
    this.waiting++;
    if (queue.length === 0) this.queues.set(address, queue);
    // The slot is handed over by release(): `running` is not decremented in between.
    return new Promise<void>((resolve) => queue.push(resolve));
  }

  private release(): void {
    const next = this.queues.entries().next();
    if (next.done === true) {
      this.running--;
      return;
    }
    const [address, queue] = next.value;
    const wake = queue.shift();
    this.queues.delete(address);
    if (queue.length > 0) this.queues.set(address, queue);
    this.waiting--;
    wake?.();
  }
}
