import type { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryPersistence } from '../../src/aedes/internals.js';
import { LikeboxMemoryPersistence } from '../../src/memoryPersistence.js';

/** The outgoing API both persistences share (loosely typed: we feed them odd packets on purpose). */
interface Outgoing {
  setup(broker: object): Promise<void>;
  outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: object): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: object): Promise<object | undefined>;
  outgoingStream(client: { id: string }): Readable;
}

const BaseMemoryPersistence = MemoryPersistence as unknown as new () => Outgoing;

const CLIENTS = ['c0', 'c1', 'c2'];
const brokerIds = fc.constantFrom('A', 'B');
/** Small ranges so that counters and message ids collide; NaN and undefined as odd values. */
const counters = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(undefined, Number.NaN));
const messageIds = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(undefined, Number.NaN));
const client = fc.nat({ max: CLIENTS.length - 1 });

const message = fc.record({
  brokerId: brokerIds,
  brokerCounter: fc.integer({ min: 0, max: 5 }),
  qos: fc.constantFrom(1, 2),
  topic: fc.constantFrom('t/a', 't/b'),
});
/** An update: a delivery (same broker), a PUBREL (no broker id), or another broker's packet. */
const update = fc.record({
  cmd: fc.constantFrom('publish', 'pubrel'),
  brokerId: fc.constantFrom('A', 'B', undefined),
  brokerCounter: counters,
  messageId: messageIds,
});

type Message = { brokerId: string; brokerCounter: number; qos: number; topic: string };
type Op =
  | { kind: 'enqueue'; clients: number[]; message: Message }
  | { kind: 'update'; client: number; packet: object }
  | { kind: 'updateAgain'; client: number; index: number }
  | { kind: 'updateWithStored'; client: number; index: number }
  | { kind: 'clear'; client: number; messageId: number | undefined };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('enqueue' as const),
    clients: fc.array(client, { minLength: 1, maxLength: 3 }), // duplicates = overlapping subs
    message,
  }),
  fc.record({ kind: fc.constant('update' as const), client, packet: update }),
  fc.record({ kind: fc.constant('updateAgain' as const), client, index: fc.nat() }),
  // A queued packet given back to an update, in its own or another client's queue (aliasing).
  fc.record({ kind: fc.constant('updateWithStored' as const), client, index: fc.nat() }),
  fc.record({ kind: fc.constant('clear' as const), client, messageId: messageIds }),
);

/** One persistence under test, with the objects it was given or gave out, tagged by identity. */
class Side {
  readonly updates: object[] = [];
  stored: object[] = [];
  readonly #tags = new Map<object, string>();
  constructor(readonly persistence: Outgoing) {}

  /** A packet as plain data plus where the object came from (so aliasing is compared too). */
  view(packet: object | undefined): unknown {
    if (packet === undefined) return undefined;
    let tag = this.#tags.get(packet);
    if (tag === undefined) {
      tag = `seen${this.#tags.size}`;
      this.#tags.set(packet, tag);
    }
    return { ...packet, tag };
  }

  /** Registers an update packet given to the persistence. */
  given(packet: object): object {
    this.updates.push(packet);
    this.#tags.set(packet, `update${this.updates.length - 1}`);
    return packet;
  }

  /** Runs one operation; its outcome as comparable data. */
  async run(step: Op): Promise<unknown> {
    const p = this.persistence;
    const id = CLIENTS[step.kind === 'enqueue' ? 0 : step.client] ?? 'c0';
    const outcome = async (): Promise<unknown> => {
      switch (step.kind) {
        case 'enqueue': {
          const subs = step.clients.map((c) => ({ clientId: CLIENTS[c] ?? 'c0' }));
          const packet = { cmd: 'publish', payload: Buffer.from('v'), ...step.message };
          if (subs.length === 1) return p.outgoingEnqueue(subs[0]!, packet);
          return p.outgoingEnqueueCombi(subs, packet);
        }
        case 'update':
          return p.outgoingUpdate({ id }, this.given({ ...step.packet }));
        case 'updateAgain': {
          const again = this.updates[step.index % Math.max(1, this.updates.length)];
          return again === undefined ? 'none' : p.outgoingUpdate({ id }, again);
        }
        case 'updateWithStored': {
          const stored = this.stored[step.index % Math.max(1, this.stored.length)];
          return stored === undefined ? 'none' : p.outgoingUpdate({ id }, stored);
        }
        case 'clear':
          return this.view(await p.outgoingClearMessageId({ id }, { messageId: step.messageId }));
      }
    };
    try {
      return { resolved: await outcome() };
    } catch (err) {
      return { rejected: (err as Error).message };
    }
  }

  /** Every client's stream, in client order; remembers the entries for `updateWithStored`. */
  async streams(): Promise<unknown[][]> {
    const queues = await Promise.all(
      CLIENTS.map((id) => this.persistence.outgoingStream({ id }).toArray() as Promise<object[]>),
    );
    this.stored = queues.flat();
    return queues.map((queue) => queue.map((packet) => this.view(packet)));
  }
}

/** Runs the same operations on the base and on ours, comparing outcomes and streams each step. */
async function compare(ops: Op[]): Promise<void> {
  const sides = [new Side(new BaseMemoryPersistence()), new Side(new LikeboxMemoryPersistence())];
  for (const side of sides) await side.persistence.setup({ id: 'A', counter: 0 });
  const [base, ours] = sides as [Side, Side];
  for (const [index, step] of ops.entries()) {
    const expected = await base.run(step);
    const actual = await ours.run(step);
    expect(actual, `outcome of step ${index}`).toEqual(expected);
    expect(await ours.streams(), `streams after step ${index}`).toEqual(await base.streams());
  }
}

describe('LikeboxMemoryPersistence', () => {
  it('behaves as aedes-persistence MemoryPersistence when given random outgoing operations', async () => {
    // Prepare
    const sequences = fc.array(op, { maxLength: 60 });

    // Act
    const run = fc.assert(fc.asyncProperty(sequences, compare), { numRuns: 500 });

    // Assess
    await expect(run).resolves.toBeUndefined();
  });

  it('replaces a QoS 2 PUBLISH with its PUBREL and clears it on PUBCOMP', async () => {
    // Prepare
    const persistence = new LikeboxMemoryPersistence();
    const client = { id: 'ingest' };
    const publish = { cmd: 'publish', topic: 't', qos: 2, brokerId: 'A', brokerCounter: 7 };
    await persistence.outgoingEnqueue({ clientId: 'ingest' }, publish);
    await persistence.outgoingUpdate(client, { ...publish, messageId: 42 });
    const pubrel = { cmd: 'pubrel', messageId: 42 };

    // Act
    await persistence.outgoingUpdate(client, pubrel);
    const queued = await persistence.outgoingStream(client).toArray();
    const cleared = await persistence.outgoingClearMessageId(client, { messageId: 42 });

    // Assess
    expect(queued).toEqual([pubrel]);
    expect(cleared).toBe(pubrel);
    expect(await persistence.outgoingStream(client).toArray()).toEqual([]);
    await expect(persistence.outgoingUpdate(client, pubrel)).rejects.toThrow('no such packet');
  });

  it('follows a packet into every queue it was given to when its message id changes', async () => {
    // Prepare: X is queued for c0 with id 5, then replaces c1's packet of broker B with id 5.
    const sides = [new BaseMemoryPersistence(), new LikeboxMemoryPersistence()];
    const outcomes = sides.map(async (persistence) => {
      await persistence.outgoingEnqueue({ clientId: 'c0' }, { topic: 't', qos: 1, brokerId: 'A' });
      await persistence.outgoingUpdate(
        { id: 'c0' },
        { brokerId: 'A', brokerCounter: 0, messageId: 5 },
      );
      const [x] = (await persistence.outgoingStream({ id: 'c0' }).toArray()) as [object];
      await persistence.outgoingEnqueue({ clientId: 'c1' }, { topic: 't', qos: 1, brokerId: 'B' });
      await persistence.outgoingUpdate(
        { id: 'c1' },
        { brokerId: 'B', brokerCounter: 0, messageId: 5 },
      );
      await persistence.outgoingUpdate({ id: 'c1' }, x);

      // Act: X gets id 9 through c0, which the base's shared object shows in c1 too.
      await persistence.outgoingUpdate(
        { id: 'c0' },
        { brokerId: 'A', brokerCounter: 0, messageId: 9 },
      );
      const byOldId = await persistence.outgoingClearMessageId({ id: 'c1' }, { messageId: 5 });
      const byNewId = await persistence.outgoingClearMessageId({ id: 'c1' }, { messageId: 9 });
      return { byOldId, byNewIdIsX: byNewId === x };
    });

    // Assess
    const [base, ours] = await Promise.all(outcomes);
    expect(base).toEqual({ byOldId: undefined, byNewIdIsX: true });
    expect(ours).toEqual(base);
  });
});
