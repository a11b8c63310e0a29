import { join } from 'node:path';
import type { Vote } from '@likebox/protocol';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Box } from '../../src/box.js';
import { fixedClockSync } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { firmataOn } from '../../src/io.js';
import { Outbox } from '../../src/outbox.js';
import { waitFor } from '../helpers/ackStandIn.js';
import { FakeArduino } from '../helpers/fakeArduino.js';
import { tempDir } from '../helpers/rig.js';

describe('Firmata path', () => {
  it('counts a bouncing press and shows the thanks when the Arduino speaks real Firmata bytes', {
    timeout: 30_000,
  }, async () => {
    // Prepare
    const dir = tempDir();
    const arduino = new FakeArduino();
    const config = loadConfig({
      LIKEBOX_DEVICE_ID: 'box-1',
      LIKEBOX_IO: 'firmata',
      LIKEBOX_MQTT_URL: 'mqtt://127.0.0.1:1',
      LIKEBOX_DATA_DIR: dir,
      LIKEBOX_ROOM: 'amphi-a',
      LIKEBOX_BOOT_MS: '50',
    });
    const outbox = Outbox.open(join(dir, 'box.sqlite'));
    const box = new Box({
      config,
      log: pino({ level: 'silent' }),
      io: firmataOn(arduino),
      outbox,
      clock: fixedClockSync(false),
      version: '0.0.0-test',
      ip: '',
    });
    onTestFinished(async () => {
      await box.stop();
      outbox.close();
    });
    await box.start();
    const votes: Vote[] = [];
    box.on('vote', (v) => votes.push(v));
    await new Promise((r) => setTimeout(r, 100));
    // Act: a press on pin 3 (dislike) to ground, bouncing for a few ms, held 80 ms.
    for (const level of [0, 1, 0, 1, 0] as const) {
      arduino.drive(3, level);
      await new Promise((r) => setTimeout(r, 1));
    }
    await waitFor(() => votes.length === 1, 5000, 'vote');
    const ledDuringFlash = arduino.levels[13];
    await new Promise((r) => setTimeout(r, 80));
    arduino.drive(3, 1);
    await waitFor(
      () => arduino.lcd.lines()[0]?.startsWith('Merci ! -1') === true,
      5000,
      'thanks on the LCD',
    );
    await new Promise((r) => setTimeout(r, 300));
    // Assess
    expect(votes.map((v) => [v.seq, v.value])).toEqual([[1, -1]]);
    expect(ledDuringFlash).toBe(1);
    expect(arduino.modes[3]).toBe(0x0b); // the button's pull-up was enabled through Firmata
    expect(outbox.depth).toBe(1);
  });
});
