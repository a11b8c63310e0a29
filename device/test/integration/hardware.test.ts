import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createHardware } from '../../src/board.js';
import { VirtualIo } from '../../src/virtualIo.js';
import { type ButtonName, VoteGate } from '../../src/voteGate.js';
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

const PINS = { like: 2, dislike: 3, led: 13, buzzer: 8 };

/** Real Johnny-Five Board, Buttons, Led and LCD on the virtual IO, feeding a VoteGate. */
async function rig() {
  const io = new VirtualIo({ lcd: { address: 0x27, cols: 16, rows: 2 } });
  const clock = {
    now: () => Date.now(),
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (t: NodeJS.Timeout) => clearTimeout(t),
  };
  const gate = new VoteGate({ bootMs: 100 }, clock);
  const ready = createHardware(
    io,
    { pins: PINS, pullup: true, lcd: { address: 0x27, cols: 16, rows: 2 } },
    (b, c) => gate.input(b, c),
  );
  await vi.advanceTimersByTimeAsync(10);
  const hw = await ready;
  onTestFinished(() => hw.close());
  const votes: ButtonName[] = [];
  gate.on('vote', ({ button }) => votes.push(button));
  gate.start();
  await vi.advanceTimersByTimeAsync(200);
  /** Pull-up wiring: a closed contact reads LOW. */
  const finger = (button: ButtonName) => (closed: boolean) =>
    io.setInput(PINS[button], closed ? 0 : 1);
  return { io, hw, gate, votes, finger };
}

describe('Johnny-Five hardware on the virtual IO', () => {
  beforeEach(() => {
    // Not hrtime: Johnny-Five's LCD init busy-waits on process.hrtime, which would loop forever.
    vi.useFakeTimers({
      toFake: [
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'setImmediate',
        'Date',
      ],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['an ordinary switch (1.5 ms bounce)', ORDINARY],
    ["Ganssle's worst ordinary switch (6.2 ms)", WORST_ORDINARY],
    ['an industrial mushroom button', MUSHROOM],
  ])('counts exactly one vote per press when pressed with %s', async (_name, bounce) => {
    // Prepare
    const { votes, finger } = await rig();
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
    const { votes, finger } = await rig();
    // Act
    await play(pathological(1000), finger('dislike'), 200);
    await vi.advanceTimersByTimeAsync(500);
    // Assess
    expect(votes).toEqual(['dislike']);
  });

  it('counts a 60 ms tap that the original LikeBox lost', async () => {
    // Prepare
    const { votes, finger } = await rig();
    // Act
    await play(press(1000, { ...ORDINARY, holdMs: 60 }), finger('like'), 200);
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual(['like']);
  });

  it('counts a contact closed 25 ms but not one closed 15 ms when pressMs is 20', async () => {
    // Prepare
    const { votes, finger } = await rig();
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
    const { votes, finger } = await rig();
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
    const { votes, finger } = await rig();
    // Act
    await play(press(1000, { ...ORDINARY, holdMs: 3000 }), finger('like'), 200);
    await vi.advanceTimersByTimeAsync(200);
    // Assess
    expect(votes).toEqual(['like']);
  });

  it('shows the lines written through the LCD when decoded from the PCF8574 bytes', async () => {
    // Prepare
    const { io, hw } = await rig();
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
    const { io, hw } = await rig();
    // Act
    hw.led(true);
    const on = io.read(PINS.led);
    hw.led(false);
    // Assess
    expect([on, io.read(PINS.led)]).toEqual([1, 0]);
  });
});
