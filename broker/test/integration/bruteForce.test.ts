import { execFile } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eventually, rawConnect } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { type AuthPolicy, type RunningBroker, setPassword } from '../../src/index.js';
import { brokerWith, PASSWORD, usersFileWith } from '../helpers.js';

/** A policy that never locks: to measure the password check alone. */
const NO_LOCKS: Partial<AuthPolicy> = {
  pairFreeFailures: 1e6,
  accountFreeFailures: 1e6,
  addressFreeAccounts: 1e6,
};

/** Connections refused for `reason`, from the broker's metrics. */
async function refused(broker: RunningBroker, reason: string): Promise<number> {
  const metric = broker.metrics.getSingleMetric('likebox_broker_refused_connections_total');
  const values = (await metric?.get())?.values ?? [];
  return values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

/** Runs test/junkFlood.ts in its own process: resolves with the CONNACK codes the junk got. */
async function junkFlood(port: number, count: number, addresses: number): Promise<number[]> {
  const script = fileURLToPath(new URL('../junkFlood.ts', import.meta.url));
  const args = ['--import', 'tsx', script, String(port), String(count), String(addresses)];
  const { stdout } = await promisify(execFile)(process.execPath, args);
  return JSON.parse(stdout) as number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('broker against password guessing', () => {
  it('lets only a few guesses of an account be checked, even from loopback', async () => {
    // Prepare
    const auth = { pairFreeFailures: 3, lockBaseMs: 200, lockMaxMs: 800, maxHoldMs: 100 };
    const broker = await brokerWith({ 'box-1': 'device' }, { auth });
    const codes: number[] = [];

    // Act: guess as fast as the broker answers for 3 s
    const end = Date.now() + 3000;
    for (let i = 0; Date.now() < end; i++) {
      codes.push((await rawConnect(broker.mqttPort, 'box-1', `guess-${i}`)).code);
    }

    // Assess: 3 free, then one per lock window (200, 400, 800, 800 ms)
    const checked = await refused(broker, 'credentials');
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(8);
    expect(await refused(broker, 'locked')).toBe(codes.length - checked);
    expect(new Set(codes)).toEqual(new Set([4]));
  });

  it('refuses the right password while locked and accepts it once the lock has passed', async () => {
    // Prepare
    const auth = { pairFreeFailures: 2, lockBaseMs: 1000, maxHoldMs: 50 };
    const broker = await brokerWith({ 'box-1': 'device' }, { auth });
    for (const guess of ['guess-1', 'guess-2']) await rawConnect(broker.mqttPort, 'box-1', guess);

    // Act
    const during = await rawConnect(broker.mqttPort, 'box-1', PASSWORD);
    await sleep(1100);
    const after = await rawConnect(broker.mqttPort, 'box-1', PASSWORD);

    // Assess
    expect(during.code).toBe(4);
    expect(after.code).toBe(0);
  });

  it('gives an account its free failures back after a success', async () => {
    // Prepare
    const auth = { pairFreeFailures: 2, lockBaseMs: 60_000, maxHoldMs: 50 };
    const broker = await brokerWith({ 'box-1': 'device' }, { auth });
    await rawConnect(broker.mqttPort, 'box-1', 'guess-1');

    // Act
    const success = await rawConnect(broker.mqttPort, 'box-1', PASSWORD);
    for (const guess of ['guess-2', 'guess-3']) await rawConnect(broker.mqttPort, 'box-1', guess);
    const again = await rawConnect(broker.mqttPort, 'box-1', PASSWORD);

    // Assess: two failures after the success locked again, not one
    expect(success.code).toBe(0);
    expect(await refused(broker, 'credentials')).toBe(3);
    expect(again.code).toBe(4);
    expect(await refused(broker, 'locked')).toBe(1);
  });

  it('keeps a box logging in from where it did before while others guess its password', async () => {
    // Prepare
    const auth = { pairFreeFailures: 2, accountFreeFailures: 3, lockBaseMs: 60_000, maxHoldMs: 20 };
    const broker = await brokerWith({ 'box-1': 'device' }, { auth });
    expect((await rawConnect(broker.mqttPort, 'box-1', PASSWORD, '127.0.0.1')).code).toBe(0);
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
      for (const guess of ['guess-1', 'guess-2', 'guess-3']) {
        await rawConnect(broker.mqttPort, 'box-1', guess, address);
      }
    }

    // Act
    const elsewhere = await rawConnect(broker.mqttPort, 'box-1', PASSWORD, '127.0.0.5');
    const box = await rawConnect(broker.mqttPort, 'box-1', PASSWORD, '127.0.0.1');

    // Assess
    expect(elsewhere.code).toBe(4);
    expect(box.code).toBe(0);
  });

  it('lets a locked box in at once when its password is changed', async () => {
    // Prepare
    const usersFile = await usersFileWith({ 'box-1': 'device' });
    const auth = { pairFreeFailures: 1, lockBaseMs: 60_000, maxHoldMs: 20 };
    const broker = await brokerWith({}, { usersFile, auth });
    await rawConnect(broker.mqttPort, 'box-1', 'guess-1');

    // Act
    await setPassword(usersFile, 'box-1', 'a-new-password-2718');

    // Assess
    await eventually(async () => {
      const { code } = await rawConnect(broker.mqttPort, 'box-1', 'a-new-password-2718');
      return code === 0 ? true : undefined;
    }, 5000);
  });

  it('answers a wrong password in the same time whether the user exists or not', async () => {
    // Prepare
    const broker = await brokerWith({ 'box-1': 'device' }, { auth: NO_LOCKS });
    const [known, unknown]: [number[], number[]] = [[], []];

    // Act: alternate, so that load on the machine hits both alike
    for (let i = 0; i < 21; i++) {
      known.push((await rawConnect(broker.mqttPort, 'box-1', `guess-${i}`)).ms);
      unknown.push((await rawConnect(broker.mqttPort, `nobody-${i}`, `guess-${i}`)).ms);
    }

    // Assess: before, 100 ms against 3 ms (medians); now one scrypt each
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.4);
  });

  it('logs a box in within a second under a flood of 400 junk CONNECTs', async () => {
    // Prepare
    // Default policy but a short hold, so that the junk's refusals come back sooner
    const broker = await brokerWith(
      { 'box-1': 'device', 'box-2': 'device' },
      { auth: { maxHoldMs: 300 } },
    );
    const flood = junkFlood(broker.mqttPort, 400, 4);
    await eventually(async () => ((await refused(broker, 'busy')) > 0 ? true : undefined));

    // Act
    const box = await rawConnect(broker.mqttPort, 'box-2', PASSWORD);

    // Assess: a second on a 2-core machine that is not overcommitted; other processes' load
    // stretches every CPU step of the broker alike (0.9-3.8 s measured at a load average of 8)
    expect(box.code).toBe(0);
    expect(box.ms).toBeLessThan(1000 * Math.max(1, loadavg()[0]! / availableParallelism()));
    const codes = await flood;
    expect(codes.filter((c) => c === 3).length).toBeGreaterThan(200);
    expect(codes.every((c) => c === 3 || c === 4)).toBe(true);
  });

  it('makes a box wait for a turn per flooding address, not for the queued flood', async () => {
    // Prepare: no locks, so that every junk CONNECT costs a password check
    const users = { 'box-1': 'device', 'box-2': 'device' } as const;
    const broker = await brokerWith(users, { auth: NO_LOCKS });
    const junk = Array.from({ length: 200 }, (_, i) =>
      rawConnect(broker.mqttPort, 'box-1', `junk-${i}`, `127.0.0.${2 + (i % 4)}`),
    );
    await eventually(async () => ((await refused(broker, 'busy')) > 100 ? true : undefined));
    const before = await refused(broker, 'credentials');

    // Act
    const box = await rawConnect(broker.mqttPort, 'box-2', PASSWORD);

    // Assess: the 2 checks running when it came, one per address's turn, and those running beside
    // its own; first come, first served, it would have waited for the 32 queued before it
    expect(box.code).toBe(0);
    expect((await refused(broker, 'credentials')) - before).toBeLessThanOrEqual(12);
    await Promise.all(junk);
  });
});
