import { type Status, topics } from '@likebox/protocol';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { PressCounters, STUCK_MS } from '../../src/pressCounters.js';
import type { ButtonName } from '../../src/voteGate.js';
import { type Edge, ORDINARY, play, press, prng, WORST_ORDINARY } from '../helpers/bounce.js';
import { hardwareRig, PINS, useJohnnyFiveFakeTimers } from '../helpers/j5Rig.js';
import { broker, organiser, tempDir, virtualBox } from '../helpers/rig.js';

const NONE = { boot: 0, notArmed: 0, tooSoon: 0, chord: 0, short: 0, held: 0 };

/** The rig, and the box's press counters looking at its buttons every 200 ms as the box does. */
async function rig() {
  const hw = await hardwareRig({ bootMs: 500, minIntervalMs: 300 }, 0);
  const counters = new PressCounters();
  hw.gate.on('ignored', ({ reason }) => counters.ignored(reason));
  const look = setInterval(() => counters.check(hw.gate), 200);
  onTestFinished(() => clearInterval(look));
  return { ...hw, counters };
}

describe('raw presses the gate refused', () => {
  beforeEach(useJohnnyFiveFakeTimers);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts each bouncing closure it did not count by reason, and the votes apart', async () => {
    // Prepare
    const { votes, counters, finger } = await rig();
    const rand = prng(17);
    const on = (button: ButtonName, edges: Edge[]) => edges.map((e) => ({ ...e, button }));
    const edges = [
      ...on('like', press(100, ORDINARY, rand)), // during the boot guard
      ...on('like', press(1000, WORST_ORDINARY, rand)), // a vote
      ...on('like', press(1250, ORDINARY, rand)), // 250 ms after it: too soon
      ...on('like', press(3000, { ...ORDINARY, holdMs: 400 }, rand)), // a chord of two
      ...on('dislike', press(3010, ORDINARY, rand)),
      ...on('dislike', press(5000, ORDINARY, rand)), // a vote
      ...on('like', press(6000, ORDINARY, rand)), // a vote
    ].sort((a, b) => a.at - b.at);
    // Act
    let now = 0;
    for (const edge of edges) {
      await vi.advanceTimersByTimeAsync(Math.max(0, edge.at - now));
      now = Math.max(now, edge.at);
      finger(edge.button)(edge.closed);
    }
    await vi.advanceTimersByTimeAsync(500);
    // Assess
    expect(votes).toEqual(['like', 'dislike', 'like']);
    expect(counters.refused).toEqual({
      boot: 1,
      notArmed: 0,
      tooSoon: 1,
      chord: 2,
      short: 0,
      held: 0,
    });
    expect(counters.stuck).toEqual([]);
  });

  it('counts a press held for minutes once, as held, and says the button is stuck until released', async () => {
    // Prepare
    const { votes, counters, finger } = await rig();
    // Act
    await play([{ at: 1000, closed: true }], finger('dislike'), 10);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    const whileHeld = { stuck: counters.stuck, refused: counters.refused };
    await play([{ at: 0, closed: false }], finger('dislike'));
    await vi.advanceTimersByTimeAsync(STUCK_MS);
    // Assess
    expect(votes).toEqual(['dislike']);
    expect(whileHeld).toEqual({
      stuck: ['dislike'],
      refused: expect.objectContaining({ held: 1 }),
    });
    expect(counters.stuck).toEqual([]);
    expect(counters.refused.held).toBe(1);
  });
});

describe('box status', () => {
  it('publishes the refused presses and the held buttons in its retained status', {
    timeout: 30_000,
  }, async () => {
    // Prepare
    const dir = tempDir();
    const b = await broker(dir);
    const { buttons, io } = await virtualBox(dir, b.mqttUrl, { LIKEBOX_MIN_INTERVAL_MS: '5000' });
    const org = await organiser(b.mqttUrl);
    let last: Status | undefined;
    org.on('message', (_topic, payload) => {
      last = JSON.parse(payload.toString()) as Status;
    });
    await org.subscribeAsync(topics.status('demo', 'box-1'), { qos: 1 });
    // Act
    const first = await buttons.click('like');
    await new Promise((r) => setTimeout(r, 100));
    const second = await buttons.click('like');
    io.setInput(PINS.dislike, 0);
    await new Promise((r) => setTimeout(r, STUCK_MS + 1000));
    // Assess
    expect([first, second]).toEqual([{ counted: expect.anything() }, { ignored: 'too-soon' }]);
    expect(last?.refused).toEqual({ ...NONE, tooSoon: 1, held: 1 });
    expect(last?.stuck).toEqual(['dislike']);
  });
});
