import { startBroker } from '@likebox/broker';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { type Config, loadSimConfig } from '../../src/config.js';
import { type SimOptions, Simulator } from '../../src/sim.js';
import { startAckStandIn } from './ackStandIn.js';
import { PW, tempDir, writeUsers } from './rig.js';

/**
 * What a simulator test stands on: a real broker with the boxes' device users, an ack stand-in in
 * the ingest's place, and `likebox sim`'s box configuration for them (a short boot guard, silent;
 * `env` adds to it). Closed after the test.
 */
export async function simRig(devices: string[], env: Record<string, string> = {}) {
  const dir = tempDir();
  const usersFile = await writeUsers(dir, devices);
  const broker = await startBroker({ usersFile, mqttPort: 0 });
  onTestFinished(() => broker.close());
  const standIn = await startAckStandIn({
    ...{ url: broker.mqttUrl, event: 'demo', username: 'ingest', password: PW.ingest },
  });
  onTestFinished(() => standIn.close());
  const { box } = loadSimConfig({
    ...{ LIKEBOX_MQTT_URL: broker.mqttUrl, LIKEBOX_MQTT_PASSWORD: PW.device },
    ...{ LIKEBOX_DATA_DIR: dir, LIKEBOX_BOOT_MS: '50', LOG_LEVEL: 'silent', ...env },
  });
  return { url: broker.mqttUrl, standIn, box };
}

/** What a test says of its simulator; the rest is {@link simulator}'s default. */
type TestSimOptions = Pick<SimOptions, 'boxes' | 'schedule' | 'crowd'> & Partial<SimOptions>;

/**
 * A simulator of boxes configured as `box`, with `random` for its crowds, stopped after the test.
 * By default: ids `sim-1` …, seed 1, no scenario, real minutes, the programme as given, no burst at
 * start.
 */
export function simulator(box: Config, options: TestSimOptions, random: () => number): Simulator {
  const sim = new Simulator(
    {
      ...{ prefix: 'sim', shiftToToday: false, burstNow: false },
      ...{ seed: 1, scenarios: [], minuteMs: 60_000 },
      ...options,
    },
    box,
    pino({ level: 'silent' }),
    random,
  );
  onTestFinished(() => sim.stop());
  return sim;
}
