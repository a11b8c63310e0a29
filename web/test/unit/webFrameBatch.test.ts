import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameBatch } from '../../src/browser/frameBatch.js';
import type { LiveChange } from '../../src/browser/liveState.js';

const AT = 1_750_000_000_000;

/**
 * Node has no animation frames: the browser's two functions, given here as a 16 ms timer (`frames`
 * true) or as frames that never come, as in a hidden tab (`frames` false).
 */
function animationFrames(frames: boolean): void {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 0;
  globalThis.requestAnimationFrame = (callback) => {
    next += 1;
    if (frames)
      timers.set(
        next,
        setTimeout(() => callback(performance.now()), 16),
      );
    return next;
  };
  globalThis.cancelAnimationFrame = (id) => clearTimeout(timers.get(id));
}

function vote(value: 1 | -1, room = 'groix'): LiveChange {
  return { kind: 'vote', room, vote: { value, at: AT, talk: 't1' } };
}

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'requestAnimationFrame');
  Reflect.deleteProperty(globalThis, 'cancelAnimationFrame');
});

describe('FrameBatch', () => {
  it('hands a burst of votes to the view once, with the last vote of each room', async () => {
    // Prepare
    animationFrames(true);
    const delivered: LiveChange[][] = [];
    const batch = new FrameBatch((changes) => delivered.push(changes));

    // Act
    for (let i = 0; i < 500; i += 1) batch.push(vote(1));
    batch.push({ kind: 'room', room: 'groix' });
    batch.push(vote(-1, 'brehat'));
    batch.push(vote(-1));
    await sleep(400);

    // Assess
    expect(delivered).toEqual([[{ kind: 'room', room: 'groix' }, vote(-1, 'brehat'), vote(-1)]]);
  });

  it('hands a single vote over in the next frame, and a later one in a frame of its own', async () => {
    // Prepare
    animationFrames(true);
    const delivered: LiveChange[][] = [];
    const batch = new FrameBatch((changes) => delivered.push(changes));

    // Act
    batch.push(vote(1));
    await sleep(400);
    batch.push(vote(-1));
    await sleep(400);

    // Assess
    expect(delivered).toEqual([[vote(1)], [vote(-1)]]);
  });

  it('still delivers when no frame comes (a hidden tab)', async () => {
    // Prepare
    animationFrames(false);
    const delivered: LiveChange[][] = [];
    const batch = new FrameBatch((changes) => delivered.push(changes));

    // Act
    batch.push({ kind: 'schedule' });
    await sleep(800);

    // Assess
    expect(delivered).toEqual([[{ kind: 'schedule' }]]);
  });
});
