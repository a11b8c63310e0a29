import type { Schedule } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { placeBoxes, roomCrowd, talkQuality } from '../../src/audience.js';
import { lateRooms, ScenarioList, scenarioBoxIndex } from '../../src/scenarios.js';
import { crowdMoments, EARLY_MS } from '../../src/simTimeline.js';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const MINUTE = 60_000;

/** Rooms: `hall` (a talk open now), `lab` (a talk later), `foyer` (only a break), `attic` (nothing). */
const schedule: Schedule = {
  ...{ version: 1, event: 'demo', name: 'Demo', timeZone: 'UTC' },
  rooms: ['foyer', 'attic', 'lab', 'hall'].map((slug) => ({ slug, name: slug })),
  talks: [
    { id: 'h1', room: 'hall', start: -20, end: 25, votable: true },
    { id: 'l1', room: 'lab', start: 60, end: 105, votable: true },
    { id: 'f1', room: 'foyer', start: -20, end: 25, votable: false },
  ].map((t) => ({
    ...{ id: t.id, room: t.room, title: t.id, speakers: [], format: 'talk', votable: t.votable },
    start: new Date(NOW + t.start * MINUTE).toISOString(),
    end: new Date(NOW + t.end * MINUTE).toISOString(),
  })),
};

describe('placeBoxes', () => {
  it('puts boxes only in rooms with votable talks, the room with a vote open first', () => {
    // Act
    const rooms = placeBoxes(schedule, 5, NOW);
    // Assess
    expect(rooms).toEqual(['hall', 'lab', 'hall', 'lab', 'hall']);
  });
});

describe('talkQuality and roomCrowd', () => {
  it('draws a like rate per talk that repeats for a seed and spreads between talks', () => {
    // Act
    const rates = Array.from({ length: 200 }, (_, i) => talkQuality(1, `talk-${i}`));
    // Assess
    expect(talkQuality(1, 'talk-3')).toBe(rates[3]);
    expect(talkQuality(2, 'talk-3')).not.toBe(rates[3]);
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(mean).toBeGreaterThan(0.6);
    expect(mean).toBeLessThan(0.74);
    expect(Math.min(...rates)).toBeLessThan(0.35);
    expect(Math.max(...rates)).toBeGreaterThan(0.9);
  });

  it('gives each room its crowd between 0.4 and 1.6 times the base', () => {
    // Act
    const crowds = Array.from({ length: 100 }, (_, i) => roomCrowd(1, `room-${i}`, 100));
    // Assess
    expect(Math.min(...crowds)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...crowds)).toBeLessThanOrEqual(160);
    expect(new Set(crowds).size).toBeGreaterThan(30);
  });
});

describe('crowdMoments', () => {
  it('plans early leavers and the exit burst of each votable talk to come, later in a late room', () => {
    // Prepare
    const late = lateRooms(ScenarioList.parse('late-room'), ['x', 'x', 'x', 'x', 'lab'], MINUTE);
    // Act
    const moments = crowdMoments(schedule, NOW, late);
    // Assess
    expect(scenarioBoxIndex('late-room', 5)).toBe(4);
    expect(moments).toEqual([
      { at: NOW + 25 * MINUTE - EARLY_MS, kind: 'early', room: 'hall', talk: 'h1' },
      { at: NOW + 25 * MINUTE, kind: 'exit', room: 'hall', talk: 'h1' },
      { at: NOW + 120 * MINUTE - EARLY_MS, kind: 'early', room: 'lab', talk: 'l1' },
      { at: NOW + 120 * MINUTE, kind: 'exit', room: 'lab', talk: 'l1' },
    ]);
  });

  it('refuses an unknown scenario name', () => {
    // Act
    const parsed = ScenarioList.safeParse('troll,wizard');
    // Assess
    expect(parsed.success).toBe(false);
  });
});
