import { describe, expect, it } from 'vitest';
import { type AuthPolicy, AuthThrottle, DEFAULT_AUTH_POLICY } from '../../src/authThrottle.js';

const POLICY: AuthPolicy = {
  ...DEFAULT_AUTH_POLICY,
  pairFreeFailures: 3,
  accountFreeFailures: 6,
  addressFreeAccounts: 4,
  lockBaseMs: 1000,
  lockMaxMs: 8000,
  forgetAfterMs: 60_000,
  trustMs: 3_600_000,
};

/** Fails `times` times, each once the previous lock has passed; returns the last one's time. */
function failRepeatedly(
  throttle: AuthThrottle,
  account: string,
  address: string,
  times: number,
  start = 0,
): number {
  let now = start;
  for (let i = 1; i < times; i++) now += throttle.failed(account, address, now) + 1;
  throttle.failed(account, address, now);
  return now;
}

describe('AuthThrottle', () => {
  it('locks an account at an address exponentially after its free failures, up to the cap', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);

    // Act
    const locks = Array.from({ length: 8 }, (_, i) => throttle.failed('box-1', '10.0.0.9', i));

    // Assess
    expect(locks).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('refuses every try while locked, then lets one through once the lock has passed', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);
    const now = failRepeatedly(throttle, 'box-1', '10.0.0.9', 4);

    // Act
    const during = throttle.lockedFor('box-1', '10.0.0.9', now);
    const after = throttle.lockedFor('box-1', '10.0.0.9', now + during);

    // Assess
    expect(during).toBeGreaterThan(1000);
    expect(after).toBe(0);
  });

  it('resets the pair and the account on a success', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);
    const now = failRepeatedly(throttle, 'box-1', '10.0.0.9', 5);

    // Act
    throttle.succeeded('box-1', '10.0.0.9', now);
    const next = [0, 1, 2].map((i) => throttle.failed('box-1', '10.0.0.9', now + i));

    // Assess
    expect(next).toEqual([0, 0, 1000]);
  });

  it('locks an account for new addresses when guessed from many, but not where it logged in', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);
    throttle.succeeded('box-1', '10.0.0.1', 0);
    let now = 1;
    for (const address of ['10.0.0.2', '10.0.0.3', '10.0.0.4']) {
      now = failRepeatedly(throttle, 'box-1', address, 3, now) + 1;
    }

    // Act
    const fresh = throttle.lockedFor('box-1', '10.0.0.5', now);
    const trusted = throttle.lockedFor('box-1', '10.0.0.1', now);

    // Assess
    expect(fresh).toBeGreaterThan(0);
    expect(trusted).toBe(0);
  });

  it('locks an address trying many accounts, but not for an account it logged in to', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);
    throttle.succeeded('box-1', '10.0.0.9', 0);
    for (let i = 0; i < 8; i++) throttle.failed(`guess-${i}`, '10.0.0.9', 1);

    // Act
    const other = throttle.lockedFor('box-2', '10.0.0.9', 2);
    const own = throttle.lockedFor('box-1', '10.0.0.9', 2);

    // Assess
    expect(other).toBeGreaterThan(0);
    expect(own).toBe(0);
  });

  it('counts one account failing many times from an address once against that address', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);
    const now = failRepeatedly(throttle, 'box-1', '10.0.0.9', 20);

    // Act
    const locked = throttle.lockedFor('box-1', '10.0.0.9', now);
    const otherBox = throttle.lockedFor('box-2', '10.0.0.9', now);

    // Assess
    expect(locked).toBeGreaterThan(0);
    expect(otherBox).toBe(0);
  });

  it('forgets failures a quiet while after the last lock', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);
    const now = failRepeatedly(throttle, 'box-1', '10.0.0.9', 6);

    // Act
    const later = now + POLICY.lockMaxMs + POLICY.forgetAfterMs;
    const first = throttle.failed('box-1', '10.0.0.9', later);

    // Assess
    expect(first).toBe(0);
  });

  it('forgets an account from every address when its password changes', () => {
    // Prepare
    const throttle = new AuthThrottle(POLICY);
    const now = failRepeatedly(throttle, 'box-1', '10.0.0.9', 6);
    const before = throttle.lockedFor('box-1', '10.0.0.9', now);

    // Act
    throttle.forgetAccount('box-1');

    // Assess
    expect(before).toBeGreaterThan(0);
    expect(throttle.lockedFor('box-1', '10.0.0.9', now)).toBe(0);
  });

  it('keeps at most maxEntries keys when flooded with made-up names', () => {
    // Prepare
    const throttle = new AuthThrottle({ ...POLICY, maxEntries: 100, addressFreeAccounts: 1e9 });

    // Act
    for (let i = 0; i < 1000; i++) {
      throttle.failed(`name-${i}`, `10.0.${i >> 8}.${i & 255}`, i);
      throttle.succeeded(`name-${i}`, `10.1.${i >> 8}.${i & 255}`, i);
    }

    // Assess: three failure tables and the trust table, 100 keys each at most
    expect(throttle.size).toBeLessThanOrEqual(4 * 100);
  });
});
