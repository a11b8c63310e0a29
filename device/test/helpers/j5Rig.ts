import { onTestFinished, vi } from 'vitest';
import { createHardware } from '../../src/board.js';
import { VirtualIo } from '../../src/virtualIo.js';
import { type ButtonName, VoteGate, type VoteGateOptions } from '../../src/voteGate.js';

/** Pins of the rig (Arduino numbering). */
export const PINS = { like: 2, dislike: 3, led: 13, buzzer: 8 };

/** Fake timers Johnny-Five can run on. */
export function useJohnnyFiveFakeTimers(): void {
  // Not hrtime: Johnny-Five's LCD init busy-waits on process.hrtime, which would loop forever.
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date'],
  });
}

/**
 * Real Johnny-Five Board, Buttons, Led and LCD on the virtual IO, feeding a VoteGate with
 * `gateOptions`, started `settleMs` ago (fake timers: {@link useJohnnyFiveFakeTimers}).
 */
export async function hardwareRig(gateOptions: Partial<VoteGateOptions>, settleMs: number) {
  const io = new VirtualIo({ lcd: { address: 0x27, cols: 16, rows: 2 } });
  const clock = {
    now: () => Date.now(),
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (t: NodeJS.Timeout) => clearTimeout(t),
  };
  const gate = new VoteGate(gateOptions, clock);
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
  await vi.advanceTimersByTimeAsync(settleMs);
  /** Pull-up wiring: a closed contact reads LOW. */
  const finger = (button: ButtonName) => (closed: boolean) =>
    io.setInput(PINS[button], closed ? 0 : 1);
  return { io, hw, gate, votes, finger };
}
