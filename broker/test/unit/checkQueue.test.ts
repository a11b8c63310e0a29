import { describe, expect, it } from 'vitest';
import { FairCheckQueue } from '../../src/checkQueue.js';
import { AuthBusyError } from '../../src/errors.js';

/** A task that resolves when `finish()` is called, and records when it started. */
function gate(started: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: () => {
      started.push(name);
      return done;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A check that records its name and ends on the next turn of the event loop. */
const named = (started: string[], name: string) => () => {
  started.push(name);
  return tick();
};

describe('FairCheckQueue', () => {
  it('runs at most `concurrent` checks at once', async () => {
    // Prepare
    const queue = new FairCheckQueue({ concurrent: 2, perAddress: 10, total: 10 });
    const started: string[] = [];
    const gates = ['a', 'b', 'c'].map((name) => gate(started, name));

    // Act
    const runs = gates.map((g) => queue.run('10.0.0.1', g.task));
    await tick();
    const before = [...started];
    gates[0]!.finish();
    await tick();

    // Assess
    expect(before).toEqual(['a', 'b']);
    expect(started).toEqual(['a', 'b', 'c']);
    for (const g of gates) g.finish();
    await Promise.all(runs);
  });

  it('takes waiting checks from each address in turn', async () => {
    // Prepare
    const queue = new FairCheckQueue({ concurrent: 1, perAddress: 10, total: 100 });
    const started: string[] = [];
    const first = gate(started, 'first');
    const running = queue.run('junk', first.task);
    const waiting = [
      ...['j1', 'j2', 'j3', 'j4'].map((n) => queue.run('junk', named(started, n))),
      queue.run('box', named(started, 'box')),
    ];

    // Act
    first.finish();
    await Promise.all([running, ...waiting]);

    // Assess: the box waited for one junk check, not four
    expect(started).toEqual(['first', 'j1', 'box', 'j2', 'j3', 'j4']);
  });

  it('refuses at once a check beyond its address share or the total', async () => {
    // Prepare
    const queue = new FairCheckQueue({ concurrent: 1, perAddress: 2, total: 3 });
    const blocker = gate([], 'blocker');
    const running = queue.run('a', blocker.task);
    const queued = [queue.run('a', tick), queue.run('a', tick), queue.run('b', tick)];

    // Act
    const overAddress = queue.run('a', tick);
    const overTotal = queue.run('c', tick);

    // Assess
    await expect(overAddress).rejects.toThrow(AuthBusyError);
    await expect(overTotal).rejects.toThrow(AuthBusyError);
    expect(queue.queued).toBe(3);
    blocker.finish();
    await Promise.all([running, ...queued]);
    expect(queue.queued).toBe(0);
  });

  it('frees the slot of a check that throws', async () => {
    // Prepare
    const queue = new FairCheckQueue({ concurrent: 1, perAddress: 2, total: 2 });

    // Act
    const failed = queue.run('a', () => Promise.reject(new Error('scrypt failed')));
    const next = queue.run('a', () => Promise.resolve('ok'));

    // Assess
    await expect(failed).rejects.toThrow('scrypt failed');
    await expect(next).resolves.toBe('ok');
  });
});
