/** Limits of one broker; every field has a default (see {@link DEFAULT_LIMITS}). */
export interface BrokerLimits {
  /**
   * Largest payload accepted on topics whose protocol limit is not larger (bytes). Votes are tiny;
   * the schedule and `now` keep the larger limits of `MAX_PAYLOAD_BYTES` from `@likebox/protocol`.
   */
  maxPayloadBytes: number;
  /** Most clients connected at once; further CONNECTs get "server unavailable". */
  maxClients: number;
  /** Most new connections per remote address per second; more are closed at once. */
  connectionsPerSecond: number;
  /** Apply `connectionsPerSecond` to loopback addresses too (off: local tools and tests). */
  limitLoopback: boolean;
  /** Sustained PUBLISH rate per client (messages/s); 0 = unlimited. Excess is delayed, not dropped. */
  messagesPerSecond: number;
  /** Burst of PUBLISH packets a client may send above the sustained rate (e.g. an outbox replay). */
  messageBurst: number;
  /** Most subscriptions one client may hold; more get the failure return code. */
  maxSubscriptions: number;
  /** Most topic levels in a PUBLISH (the v1 tree has 6). */
  maxTopicLevels: number;
}

/** Default limits: generous for real boxes and the ingest, tight for anything else. */
export const DEFAULT_LIMITS: Readonly<BrokerLimits> = {
  maxPayloadBytes: 4096,
  maxClients: 5000,
  connectionsPerSecond: 20,
  limitLoopback: false,
  // A box back online replays its outbox: 1,000/s drains 100,000 offline votes in under two minutes,
  // while one flooding client still takes only a few percent of what the broker delivers (bench/).
  messagesPerSecond: 1000,
  messageBurst: 2000,
  maxSubscriptions: 1000,
  maxTopicLevels: 16,
};

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Counts new connections per remote address in one-second windows. */
export class ConnectionRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limits: Readonly<BrokerLimits>) {}

  /** True when a new connection from `address` is within the limit (and counts it). */
  admit(address: string | undefined, now = Date.now()): boolean {
    if (address === undefined) return true;
    if (!this.limits.limitLoopback && LOOPBACK.test(address)) return true;
    const window = this.windows.get(address);
    if (window === undefined || now - window.start >= 1000) {
      if (this.windows.size > 100_000) this.prune(now);
      this.windows.set(address, { start: now, count: 1 });
      return true;
    }
    window.count++;
    return window.count <= this.limits.connectionsPerSecond;
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) {
      if (now - window.start >= 1000) this.windows.delete(address);
    }
  }
}

/**
 * A token bucket per client: {@link delay} says how long a PUBLISH must wait. Waiting inside
 * `authorizePublish` holds back the client's next socket read (Aedes reads the next chunk only
 * when every packet of the current one is handled), so a flooder is slowed by TCP back-pressure
 * and the event loop stays free for other clients' votes.
 */
export class MessageThrottle {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; returns 0 when one was available, else the wait in ms until it will be. */
  delay(now = Date.now()): number {
    if (this.rate <= 0) return 0;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.rate);
  }
}
