import { describe, expect, it } from 'vitest';
import { ClockSanity } from '../../src/clock.js';

const ARRIVAL = 1_750_000_000_000;

describe('ClockSanity', () => {
  it('keeps the press time when the box is synced and its heartbeat agrees', () => {
    // Prepare
    const clock = new ClockSanity(10_000);
    clock.heartbeat('box', ARRIVAL - 100, ARRIVAL);

    // Act
    const retimed = clock.retime('box', { at: ARRIVAL - 3_600_000, synced: true }, ARRIVAL);

    // Assess
    expect(retimed).toEqual({ at: ARRIVAL - 3_600_000, reason: 'trusted' });
  });

  it('applies the heartbeat offset when the box is not synced', () => {
    // Prepare
    const clock = new ClockSanity(10_000);
    clock.heartbeat('box', ARRIVAL - 86_400_000, ARRIVAL); // box clock one day behind

    // Act
    const retimed = clock.retime(
      'box',
      { at: ARRIVAL - 86_400_000 - 5000, synced: false },
      ARRIVAL,
    );

    // Assess
    expect(retimed).toEqual({ at: ARRIVAL - 5000, reason: 'offset' });
  });

  it('applies the offset when a box says synced but its heartbeat shows a wrong clock', () => {
    // Prepare
    const clock = new ClockSanity(10_000);
    clock.heartbeat('box', ARRIVAL + 60_000, ARRIVAL);

    // Act
    const retimed = clock.retime('box', { at: ARRIVAL + 59_000, synced: true }, ARRIVAL);

    // Assess
    expect(retimed).toEqual({ at: ARRIVAL - 1000, reason: 'offset' });
  });

  it('uses the arrival time when the press is in the future and no offset is known', () => {
    // Prepare
    const clock = new ClockSanity(10_000);

    // Act
    const future = clock.retime('box', { at: ARRIVAL + 3_600_000, synced: true }, ARRIVAL);
    const unsynced = clock.retime('box', { at: ARRIVAL - 50, synced: false }, ARRIVAL);

    // Assess
    expect(future).toEqual({ at: ARRIVAL, reason: 'arrival' });
    expect(unsynced).toEqual({ at: ARRIVAL, reason: 'arrival' });
  });

  it('never dates a vote after its arrival when the offset would push it there', () => {
    // Prepare
    const clock = new ClockSanity(10_000);
    clock.heartbeat('box', ARRIVAL - 30_000, ARRIVAL);

    // Act
    const retimed = clock.retime('box', { at: ARRIVAL - 1000, synced: false }, ARRIVAL);

    // Assess
    expect(retimed.at).toBe(ARRIVAL);
  });
});
