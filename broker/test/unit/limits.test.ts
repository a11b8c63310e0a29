import { describe, expect, it } from 'vitest';
import { ConnectionRateLimiter, DEFAULT_LIMITS, MessageThrottle } from '../../src/limits.js';

describe('MessageThrottle', () => {
  it('lets a burst through at once and then spaces messages at the sustained rate', () => {
    // Prepare
    const throttle = new MessageThrottle(100, 3, 0);

    // Act
    const waits = [0, 0, 0, 0, 0].map(() => throttle.delay(0));

    // Assess
    expect(waits).toEqual([0, 0, 0, 10, 20]);
  });

  it('refills tokens as time passes', () => {
    // Prepare
    const throttle = new MessageThrottle(10, 1, 0);
    throttle.delay(0);

    // Act
    const early = throttle.delay(50);
    const later = throttle.delay(300);

    // Assess
    expect(early).toBe(50);
    expect(later).toBe(0);
  });

  it('never waits when the rate is 0 (unlimited)', () => {
    // Prepare
    const throttle = new MessageThrottle(0, 0, 0);

    // Act
    const waits = Array.from({ length: 1000 }, () => throttle.delay(0));

    // Assess
    expect(waits.every((w) => w === 0)).toBe(true);
  });
});

describe('ConnectionRateLimiter', () => {
  it('admits the limit per address per second and counts addresses apart', () => {
    // Prepare
    const limiter = new ConnectionRateLimiter({ ...DEFAULT_LIMITS, connectionsPerSecond: 2 });

    // Act
    const a = [0, 1, 2].map((t) => limiter.admit('10.0.0.1', t));
    const b = limiter.admit('10.0.0.2', 3);
    const aLater = limiter.admit('10.0.0.1', 1001);

    // Assess
    expect(a).toEqual([true, true, false]);
    expect(b).toBe(true);
    expect(aLater).toBe(true);
  });

  it('exempts loopback unless told otherwise', () => {
    // Prepare
    const exempt = new ConnectionRateLimiter({ ...DEFAULT_LIMITS, connectionsPerSecond: 1 });
    const strict = new ConnectionRateLimiter({
      ...DEFAULT_LIMITS,
      connectionsPerSecond: 1,
      limitLoopback: true,
    });

    // Act
    const loose = [0, 1, 2].map((t) => exempt.admit('::ffff:127.0.0.1', t));
    const tight = [0, 1].map((t) => strict.admit('127.0.0.1', t));

    // Assess
    expect(loose).toEqual([true, true, true]);
    expect(tight).toEqual([true, false]);
  });
});
