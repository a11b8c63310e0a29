import { describe, expect, it } from 'vitest';
import { canonicalZone, toZonedIso, wallToInstant, zoneOffset } from '../../src/index.js';

const wall = (year: number, month: number, day: number, hour: number, minute: number) => ({
  year,
  month,
  day,
  hour,
  minute,
});

describe('wallToInstant', () => {
  it('places a summer wall time in Paris at UTC+2', () => {
    // Act
    const instant = wallToInstant('Europe/Paris', wall(2015, 6, 11, 14, 0));

    // Assess
    expect(new Date(instant).toISOString()).toBe('2015-06-11T12:00:00.000Z');
  });

  it('moves a time skipped by the spring change forward by the gap', () => {
    // Act: 2024-03-31 02:30 does not exist in Paris (02:00 → 03:00).
    const instant = wallToInstant('Europe/Paris', wall(2024, 3, 31, 2, 30));

    // Assess
    expect(toZonedIso('Europe/Paris', instant)).toBe('2024-03-31T03:30:00+02:00');
  });

  it('takes the earlier instant of a time repeated by the autumn change', () => {
    // Act: 2024-10-27 02:30 happens twice in Paris.
    const instant = wallToInstant('Europe/Paris', wall(2024, 10, 27, 2, 30));

    // Assess
    expect(new Date(instant).toISOString()).toBe('2024-10-27T00:30:00.000Z');
  });

  it('handles zones west of UTC and half-hour offsets', () => {
    // Act
    const newYork = wallToInstant('America/New_York', wall(2024, 11, 3, 1, 30));
    const kolkata = wallToInstant('Asia/Kolkata', wall(2024, 2, 3, 9, 0));

    // Assess
    expect(toZonedIso('America/New_York', newYork)).toBe('2024-11-03T01:30:00-04:00');
    expect(toZonedIso('Asia/Kolkata', kolkata)).toBe('2024-02-03T09:00:00+05:30');
  });

  it('rolls a day over when the hour or day overflows', () => {
    // Act
    const instant = wallToInstant('Europe/Berlin', wall(2019, 8, 31, 24, 30));

    // Assess
    expect(toZonedIso('Europe/Berlin', instant)).toBe('2019-09-01T00:30:00+02:00');
  });
});

describe('zoneOffset and canonicalZone', () => {
  it('gives the offset in force at an instant and the canonical zone name', () => {
    // Assess
    expect(zoneOffset('Europe/Brussels', Date.UTC(2024, 1, 3, 12))).toBe(3_600_000);
    expect(zoneOffset('UTC', Date.UTC(2024, 1, 3, 12))).toBe(0);
    expect(canonicalZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalZone('Mars/Olympus_Mons')).toBeNull();
  });
});
