import { FailureLedger } from './failureLedger.js';

/**
 * How the broker slows password guessing (broker/README.md, "Logins"); every field has a default
 * in {@link DEFAULT_AUTH_POLICY}. Tests shorten the windows.
 */
export interface AuthPolicy {
  /**
   * Failed logins of one account from one address before each further failure locks that pair,
   * exponentially: the strong limit. A success resets it.
   */
  pairFreeFailures: number;
  /**
   * Failed logins of one account, from every address together, before the account is locked for
   * the addresses it has not logged in from: the soft limit against guessing from many addresses.
   * A success resets it.
   */
  accountFreeFailures: number;
  /**
   * Distinct accounts one address may fail to log in to before that address is locked for the
   * accounts it has not logged in to (password spraying, made-up user names).
   */
  addressFreeAccounts: number;
  /** The first lock (ms); each further failure doubles it. */
  lockBaseMs: number;
  /** The longest lock (ms): with the defaults reached after 15 failures, then 4 tries an hour. */
  lockMaxMs: number;
  /** Failures are forgotten this long (ms) after the last one and its lock have passed. */
  forgetAfterMs: number;
  /**
   * A success makes its (account, address) pair trusted this long (ms): the account's and the
   * address's soft locks do not apply to it, so a flood of wrong passwords from elsewhere never
   * locks a box out from where it logged in before.
   */
  trustMs: number;
  /**
   * Longest wait (ms) before the CONNACK refusing a locked or failed login. The lock itself may be
   * longer: a CONNECT during it is refused without a password check.
   */
  maxHoldMs: number;
  /**
   * Password checks (scrypt, 16 MiB and ~50 ms each) run at once. libuv's thread pool has 4
   * threads by default (UV_THREADPOOL_SIZE): 2 leave the others to file and DNS work.
   */
  concurrentChecks: number;
  /** Password checks one address may have waiting; more CONNECTs from it are refused at once. */
  queuePerAddress: number;
  /** Password checks waiting in all; more CONNECTs are refused at once. */
  queueTotal: number;
  /** Most keys each failure table and the trust table hold (memory bound under a flood). */
  maxEntries: number;
}

/** The defaults: at most a few guesses a minute per account, and a queue fair across addresses. */
export const DEFAULT_AUTH_POLICY: Readonly<AuthPolicy> = {
  pairFreeFailures: 5,
  accountFreeFailures: 20,
  addressFreeAccounts: 10,
  lockBaseMs: 1000,
  lockMaxMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  trustMs: 7 * 24 * 60 * 60_000,
  maxHoldMs: 3000,
  concurrentChecks: 2,
  queuePerAddress: 8,
  queueTotal: 256,
  maxEntries: 100_000,
};

/**
 * Per-account and per-address backoff with lockout for the `authenticate` hook:
 * - strong, per (account, address): after `pairFreeFailures` failures, each further one locks the
 *   pair exponentially up to `lockMaxMs`;
 * - soft, per account (`accountFreeFailures`, from every address) and per address
 *   (`addressFreeAccounts` distinct accounts): same locks, but never applied to a pair that logged
 *   in successfully within `trustMs`.
 * Loopback is not exempt: an attacker on the server is an attacker. Unknown user names are
 * accounts like the others, so a lock does not tell which names exist.
 */
export class AuthThrottle {
  private readonly pairs: FailureLedger;
  private readonly accounts: FailureLedger;
  private readonly addresses: FailureLedger;
  private readonly trusted = new Map<string, number>();

  constructor(private readonly policy: Readonly<AuthPolicy>) {
    const rule = {
      baseMs: policy.lockBaseMs,
      maxMs: policy.lockMaxMs,
      forgetAfterMs: policy.forgetAfterMs,
      maxEntries: policy.maxEntries,
    };
    this.pairs = new FailureLedger({ ...rule, free: policy.pairFreeFailures });
    this.accounts = new FailureLedger({ ...rule, free: policy.accountFreeFailures });
    this.addresses = new FailureLedger({ ...rule, free: policy.addressFreeAccounts });
  }

  /** Ms until `account` may try again from `address` (0 = now): its password is not checked before. */
  lockedFor(account: string, address: string, now = Date.now()): number {
    const pair = this.pairs.lockedFor(pairKey(account, address), now);
    if (this.isTrusted(account, address, now)) return pair;
    return Math.max(
      pair,
      this.accounts.lockedFor(account, now),
      this.addresses.lockedFor(address, now),
    );
  }

  /** Counts a failed password check; returns the lock now in force for this pair (ms). */
  failed(account: string, address: string, now = Date.now()): number {
    this.pairs.fail(pairKey(account, address), now);
    this.accounts.fail(account, now);
    this.addresses.fail(address, now, account);
    return this.lockedFor(account, address, now);
  }

  /** Counts a successful login: resets the pair's and the account's failures, trusts the pair. */
  succeeded(account: string, address: string, now = Date.now()): void {
    const key = pairKey(account, address);
    this.pairs.reset(key);
    this.accounts.reset(account);
    this.trusted.delete(key);
    if (this.trusted.size >= this.policy.maxEntries) this.pruneTrusted(now);
    this.trusted.set(key, now + this.policy.trustMs);
  }

  /**
   * Forgets an account's failures from every address (its password or the user changed in the
   * users file): a box given its new password logs in at once.
   */
  forgetAccount(account: string): void {
    this.accounts.reset(account);
    this.pairs.resetPrefix(pairKey(account, ''));
  }

  /** Keys held in all four tables (bounded by `maxEntries` each). */
  get size(): number {
    return this.pairs.size + this.accounts.size + this.addresses.size + this.trusted.size;
  }

  private isTrusted(account: string, address: string, now: number): boolean {
    const until = this.trusted.get(pairKey(account, address));
    return until !== undefined && until > now;
  }

  private pruneTrusted(now: number): void {
    for (const [key, until] of this.trusted) if (until <= now) this.trusted.delete(key);
    const oldest = this.trusted.keys().next();
    if (this.trusted.size >= this.policy.maxEntries && oldest.done !== true) {
      this.trusted.delete(oldest.value);
    }
  }
}

/** User names are slugs and addresses have no NUL: the pair key is unambiguous. */
function pairKey(account: string, address: string): string {
  return `${account}\0${address}`;
}
