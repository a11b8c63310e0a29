import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createHardware } from '../../src/board.js';
import { VirtualIo } from '../../src/virtualIo.js';
import {
  type Edge,
  MUSHROOM,
  ORDINARY,
  pathological,
  play,
  press,
  prng,
  WORST_ORDINARY,
} from '../helpers/bounce.js';
import { hardwareRig, PINS, useJohnnyFiveFakeTimers } from '../helpers/j5Rig.js';

describe('Johnny-Five hardware on the virtual IO', () => {
  beforeEach(useJohnnyFiveFakeTimers);
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['an ordinary switch (1.5 ms bounce)', ORDINARY],
    ["Ganssle's worst ordinary switch (6.2 ms)", WORST_ORDINARY],
    ['an industrial mushroom button', MUSHROOM],
  ])('counts exactly one vote per press when pressed with %s', async (_name, bounce) => {
    // Prepare
    const { votes, finger } = await hardwareRig({ bootMs: 100 }, 200);
    const rand = prng(42);
    const edges: Edge[] = [0, 1, 2, 3, 4].flatMap((i) => press(1000 + i * 700, bounce, rand));
    // Act
    await play(edges, finger('like'), 200);
    await vi.advanceTimersByTimeAsync(500);
    // Assess
    expect(votes).toEqual(['like', 'like', 'like', 'like', 'like']);
  });

  it("counts one vote when pressed with Ganssle's pathological 157 ms bounce", async () => {
    // Prepare
    const { votes, finger } = await hardwareRig({ bootMs: 100 }, 200);
    // Act
    await play(pathological(1000), finger('dislike'), 200);
    await vi.advanceTimersByTimeAsync(500);
    // Assess
    expect(votes).toEqual(['dislike']);
  });

  it('counts a 60 ms tap that the original LikeBox lost', async () => {
    // Prepare
    const { votes, finger } = await hardwareRig({ bootMs: 100 }, 200);
    // Act
    await play(press(1000, { ...ORDINARY, holdMs: 60 }), finger('like'), 200);
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual(['like']);
  });

  it('counts a contact closed 25 ms but not one closed 15 ms when pressMs is 20', async () => {
    // Prepare
    const { votes, finger } = await hardwareRig({ bootMs: 100 }, 200);
    const closed = (at: number, ms: number): Edge[] => [
      { at, closed: true },
      { at: at + ms, closed: false },
    ];
    // Act
    await play([...closed(1000, 15), ...closed(2000, 25)], finger('like'), 200);
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual(['like']);
  });

  it('counts nothing when the line glitches for 2 ms', async () => {
    // Prepare
    const { votes, finger } = await hardwareRig({ bootMs: 100 }, 200);
    // Act
    await play(
      [
        { at: 1000, closed: true },
        { at: 1002, closed: false },
      ],
      finger('like'),
      200,
    );
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual([]);
  });

  it('counts one vote when the button is held for 3 s despite Johnny-Five hold events', async () => {
    // Prepare
    const { votes, finger } = await hardwareRig({ bootMs: 100 }, 200);
    // Act
    await play(press(1000, { ...ORDINARY, holdMs: 3000 }), finger('like'), 200);
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual(['like']);
  });

  it('shows the lines written through the LCD when decoded from the PCF8574 bytes', async () => {
    // Prepare
    const { io, hw } = await hardwareRig({ bootMs: 100 }, 200);
    // Act
    hw.show(['Merci ! +1', 'Keynote 12min *']);
    hw.show(['Merci ! -1', 'Keynote 11min *']);
    // Assess
    expect(io.lcdLines()).toEqual(['Merci ! -1      ', 'Keynote 11min * ']);
  });

  it('shows four rows when the LCD is a 20x4', async () => {
    // Prepare
    const io = new VirtualIo({ lcd: { address: 0x27, cols: 20, rows: 4 } });
    const ready = createHardware(
      io,
      { pins: PINS, pullup: true, lcd: { address: 0x27, cols: 20, rows: 4 } },
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(10);
    const hw = await ready;
    onTestFinished(() => hw.close());
    // Act
    hw.show(['Amphi A', 'Quarkus en prod', '+3 -1', 'reste 12min']);
    // Assess
    expect(io.lcdLines().map((l) => l.trimEnd())).toEqual([
      'Amphi A',
      'Quarkus en prod',
      '+3 -1',
      'reste 12min',
    ]);
  });

  it('switches the LED pin when the hardware LED is switched', async () => {
    // Prepare
    const { io, hw } = await hardwareRig({ bootMs: 100 }, 200);
    // Act
    hw.led(true);
    const on = io.read(PINS.led);
    hw.led(false);
    // Assess
    expect([on, io.read(PINS.led)]).toEqual([1, 0]);
  });
});
