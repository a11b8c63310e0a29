import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ButtonName, type IgnoreReason, VoteGate } from '../../src/voteGate.js';
import { type Edge, play } from '../helpers/bounce.js';

const clock = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (t: NodeJS.Timeout) => clearTimeout(t),
};

function started(bootMs = 100) {
  const gate = new VoteGate({ bootMs }, clock);
  const votes: Array<{ button: ButtonName; value: number }> = [];
  const ignored: IgnoreReason[] = [];
  let chords = 0;
  gate.on('vote', ({ button, value }) => votes.push({ button, value }));
  gate.on('ignored', ({ reason }) => ignored.push(reason));
  gate.on('chord', () => chords++);
  gate.start();
  return { gate, votes, ignored, chords: () => chords };
}

/** A clean press of `holdMs` at `at`. */
const tap = (at: number, holdMs: number): Edge[] => [
  { at, closed: true },
  { at: at + holdMs, closed: false },
];

describe('VoteGate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts one vote when a press stays closed longer than pressMs', async () => {
    // Prepare
    const { gate, votes } = started();
    // Act
    await play(tap(200, 60), (c) => gate.input('like', c));
    await vi.advanceTimersByTimeAsync(100);
    // Assess
    expect(votes).toEqual([{ button: 'like', value: 1 }]);
  });

  it('ignores a closure shorter than pressMs when it is a glitch', async () => {
    // Prepare
    const { gate, votes, ignored } = started();
    // Act
    await play(tap(200, 5), (c) => gate.input('dislike', c));
    await vi.advanceTimersByTimeAsync(100);
    // Assess
    expect(votes).toEqual([]);
    expect(ignored).toEqual(['short']);
  });

  it('counts nothing when pressed during boot, and the next press after boot counts', async () => {
    // Prepare
    const { gate, votes, ignored } = started(1000);
    // Act
    await play([...tap(100, 60), ...tap(1500, 60)], (c) => gate.input('like', c));
    await vi.advanceTimersByTimeAsync(100);
    // Assess
    expect(ignored).toEqual(['boot']);
    expect(votes).toHaveLength(1);
  });

  it('does not count a button held at boot until it is released', async () => {
    // Prepare
    const gate = new VoteGate({ bootMs: 500 }, clock);
    const votes: unknown[] = [];
    gate.on('vote', (v) => votes.push(v));
    gate.input('like', true); // held while the box boots
    gate.start();
    // Act
    await vi.advanceTimersByTimeAsync(3000);
    const whileHeld = votes.length;
    await play([{ at: 3000, closed: false }, ...tap(3200, 80)], (c) => gate.input('like', c), 3000);
    await vi.advanceTimersByTimeAsync(100);
    // Assess
    expect(whileHeld).toBe(0);
    expect(votes).toHaveLength(1);
  });

  it('counts one vote when the button is held for seconds', async () => {
    // Prepare
    const { gate, votes } = started();
    // Act
    await play(tap(200, 5000), (c) => gate.input('like', c));
    // Assess
    expect(votes).toHaveLength(1);
  });

  it('re-arms only after a stable release when the contact reopens briefly', async () => {
    // Prepare
    const { gate, votes, ignored } = started();
    const edges: Edge[] = [...tap(200, 100), ...tap(330, 100)]; // reopened 30 ms < releaseMs
    // Act
    await play(edges, (c) => gate.input('like', c));
    await vi.advanceTimersByTimeAsync(100);
    // Assess
    expect(votes).toHaveLength(1);
    expect(ignored).toEqual(['not-armed']);
  });

  it('counts one vote per minIntervalMs when a button is mashed', async () => {
    // Prepare
    const { gate, votes, ignored } = started();
    const edges = [0, 1, 2, 3, 4].flatMap((i) => tap(200 + i * 120, 40)); // one press every 120 ms
    // Act
    await play(edges, (c) => gate.input('like', c));
    await vi.advanceTimersByTimeAsync(400);
    // Assess: presses at 200 and 560 count (>= 300 ms apart), the others are too soon
    expect(votes).toHaveLength(2);
    expect(ignored.filter((r) => r === 'too-soon')).toHaveLength(3);
  });

  it('counts both buttons when pressed one after the other', async () => {
    // Prepare
    const { gate, votes } = started();
    // Act
    await play(tap(200, 60), (c) => gate.input('like', c));
    await play(tap(400, 60), (c) => gate.input('dislike', c), 260);
    await vi.advanceTimersByTimeAsync(100);
    // Assess
    expect(votes.map((v) => v.value)).toEqual([1, -1]);
  });

  it('counts nothing when both buttons are pressed together', async () => {
    // Prepare
    const { gate, votes, chords } = started();
    await vi.advanceTimersByTimeAsync(150);
    // Act
    gate.input('like', true);
    await vi.advanceTimersByTimeAsync(5);
    gate.input('dislike', true);
    await vi.advanceTimersByTimeAsync(200);
    gate.input('like', false);
    gate.input('dislike', false);
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual([]);
    expect(chords()).toBe(1);
  });

  it('keeps the first vote and ignores the second button when it is pressed while the first is held', async () => {
    // Prepare
    const { gate, votes, chords } = started();
    await vi.advanceTimersByTimeAsync(150);
    // Act
    gate.input('like', true);
    await vi.advanceTimersByTimeAsync(100);
    gate.input('dislike', true);
    await vi.advanceTimersByTimeAsync(100);
    gate.input('dislike', false);
    gate.input('like', false);
    await vi.advanceTimersByTimeAsync(400);
    // Assess
    expect(votes.map((v) => v.button)).toEqual(['like']);
    expect(chords()).toBe(1);
  });

  it('counts again after a chord when both buttons were released', async () => {
    // Prepare
    const { gate, votes } = started();
    await vi.advanceTimersByTimeAsync(150);
    gate.input('like', true);
    gate.input('dislike', true);
    gate.input('like', false);
    gate.input('dislike', false);
    // Act
    await play(tap(300, 60), (c) => gate.input('dislike', c), 150);
    await vi.advanceTimersByTimeAsync(100);
    // Assess
    expect(votes.map((v) => v.button)).toEqual(['dislike']);
  });

  it('ignores input when stopped', async () => {
    // Prepare
    const { gate, votes } = started();
    await vi.advanceTimersByTimeAsync(200);
    gate.input('like', true);
    // Act
    gate.stop();
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual([]);
  });
});
