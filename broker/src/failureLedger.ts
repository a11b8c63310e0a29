/** How a {@link FailureLedger} turns failures into locks. */
export interface LockRule {
  /** Failures before the first lock: the n-th failure beyond them locks for `baseMs · 2^n`. */
  free: number;
  /** The first lock (ms). */
  baseMs: number;
  /** The longest lock (ms). */
  maxMs: number;
  /** An entry is forgotten this long (ms) after its last failure and its lock have passed. */
  forgetAfterMs: number;
  /** Most entries kept; beyond, expired ones are pruned, then the least recently failed dropped. */
  maxEntries: number;
}

interface Entry {
  /** Failures counted (for an address: distinct accounts). */
  failures: number;
  /** Epoch ms until which the key is locked (0 = not locked). */
  lockedUntil: number;
  /** Epoch ms of the last failure. */
  lastFailure: number;
  /** Accounts already counted, when counting distinct accounts. */
  accounts?: Set<string>;
}

/** Most accounts one entry remembers when counting distinct accounts (the count goes on). */
const MAX_REMEMBERED_ACCOUNTS = 1024;

/**
 * Failed logins per key (an account, an address, an account at an address) with an exponential
 * lock: after `free` failures, each further one locks the key for twice as long as the last, up to
 * `maxMs`. Bounded: at most `maxEntries` keys, so a flood of made-up user names cannot exhaust
 * memory. Pure and clock-injectable.
 */
export class FailureLedger {
  // A Map iterates in insertion order; an entry is re-inserted on each failure, so the first one
  // is the least recently failed.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly rule: LockRule) {}

  /** Ms until `key`'s lock ends (0 = not locked). */
  lockedFor(key: string, now: number): number {
    const entry = this.current(key, now);
    return entry === undefined ? 0 : Math.max(0, entry.lockedUntil - now);
  }

  /**
   * Counts one failure of `key` and returns the lock now in force (ms). With `account`, only the
   * first failure for each distinct account counts (an address trying many accounts).
   */
  fail(key: string, now: number, account?: string): number {
    const entry = this.current(key, now) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
    this.entries.delete(key);
    if (account === undefined) entry.failures++;
    else if (!entry.accounts?.has(account)) {
      entry.accounts ??= new Set();
      if (entry.accounts.size < MAX_REMEMBERED_ACCOUNTS) entry.accounts.add(account);
      entry.failures++;
    }
    entry.lastFailure = now;
    const lock = this.lockAfter(entry.failures);
    if (lock > 0) entry.lockedUntil = Math.max(entry.lockedUntil, now + lock);
    this.insert(key, entry, now);
    return Math.max(0, entry.lockedUntil - now);
  }

  /** Forgets `key`'s failures and lock. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key that starts with `prefix` (a scan: for rare events only). */
  resetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Keys held (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** The lock after `failures` failures: 0 while within `free`, then doubling up to `maxMs`. */
  private lockAfter(failures: number): number {
    const beyond = failures - this.rule.free;
    if (beyond < 0) return 0;
    // 2^31 ms is 24 days: beyond 31 doublings the cap has long applied.
    return Math.min(this.rule.maxMs, this.rule.baseMs * 2 ** Math.min(beyond, 31));
  }

  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.expired(entry, now)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expired(entry: Entry, now: number): boolean {
    return now - Math.max(entry.lastFailure, entry.lockedUntil) >= this.rule.forgetAfterMs;
  }

  private insert(key: string, entry: Entry, now: number): void {
    if (this.entries.size >= this.rule.maxEntries) {
      for (const [old, value] of this.entries) {
        if (this.expired(value, now)) this.entries.delete(old);
      }
      const oldest = this.entries.keys().next();
      if (this.entries.size >= this.rule.maxEntries && oldest.done !== true) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(key, entry);
  }
}
