import { type AddressInfo, connect, createServer } from 'node:net';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import mqtt, { type IClientOptions, type IConnackPacket } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  connectedClients,
  loadRedisPersistence,
  MemoryPersistence,
  packetParserOf,
  persistenceOf,
  renameClient,
  retainedStore,
} from '../../src/aedes/internals.js';
import { LikeboxMemoryPersistence } from '../../src/memoryPersistence.js';
import { closed } from '../helpers.js';

/*
 * Contract tests of src/aedes/internals.ts: each checks one thing the broker assumes of Aedes,
 * aedes-persistence or aedes-persistence-redis beyond their typed API, against the installed
 * versions. A failure here after an upgrade names the assumption that broke.
 */

/** A bare Aedes (none of our hooks) on a free loopback port; `onClient` sees each new client. */
async function bareAedes(options: AedesOptions = {}, onClient?: (client: Client) => void) {
  const aedes = await Aedes.createBroker(options);
  const server = createServer((socket) => {
    const client = aedes.handle(socket);
    onClient?.(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  /** Connects a client; `sessionPresent` is its CONNACK's flag. */
  const client = async (options: IClientOptions) => {
    const connection = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      ...options,
    });
    onTestFinished(() => connection.endAsync(true));
    const connack = await new Promise<IConnackPacket>((resolve, reject) => {
      connection.once('connect', resolve);
      connection.once('error', reject);
    });
    return { connection, sessionPresent: connack.sessionPresent };
  };
  return { aedes, port, client };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ids = (aedes: Aedes) => connectedClients(aedes).map((client) => client.id);

describe('Aedes internals (src/aedes/internals.ts)', () => {
  it('keeps the connected clients in `aedes.clients`, keyed by client id, until they leave', async () => {
    // Prepare
    const { aedes, client } = await bareAedes();
    const one = await client({ clientId: 'one' });
    await client({ clientId: 'two' });

    // Act
    const both = ids(aedes).sort();
    await one.connection.endAsync();
    await until(() => ids(aedes).length === 1);

    // Assess
    expect(both).toEqual(['one', 'two']);
    expect(ids(aedes)).toEqual(['two']);
    expect(connectedClients(aedes)[0]?.close).toBeTypeOf('function');
  });

  it('keeps the persistence it was given as `aedes.persistence`, retained stream iterable', async () => {
    // Prepare
    const persistence = new LikeboxMemoryPersistence();
    const { aedes, client } = await bareAedes({ persistence });
    const { connection: publisher } = await client({ clientId: 'publisher' });
    await publisher.publishAsync('r/a', 'kept', { qos: 1, retain: true });

    // Act
    const retained: { topic: string; payload: string }[] = [];
    for await (const message of retainedStore(aedes).createRetainedStreamCombi(['r/#'])) {
      retained.push({ topic: message.topic, payload: message.payload.toString() });
    }

    // Assess
    expect(persistenceOf(aedes)).toBe(persistence);
    expect(retained).toEqual([{ topic: 'r/a', payload: 'kept' }]);
  });

  it("reads a packet's length in `client._parser._parseLength` before its body; `_emitError` closes", async () => {
    // Prepare
    const lengths: number[] = [];
    const { aedes, port } = await bareAedes({}, (client) => {
      const parser = packetParserOf(client);
      const parseLength = parser._parseLength;
      parser._parseLength = function recorded(this: typeof parser) {
        const complete = parseLength.call(this);
        if (complete) {
          lengths.push(this.packet.length);
          this._emitError(new Error('refused by the test'));
          return false;
        }
        return complete;
      };
    });
    const errors: string[] = [];
    aedes.on('connectionError', (_client, err) => errors.push(err.message));
    const socket = connect(port, '127.0.0.1');
    onTestFinished(() => {
      socket.destroy();
    });
    socket.on('error', () => undefined);
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    // Act: a CONNECT header announcing 1 MiB (remaining length 0x80 0x80 0x40), and no body.
    socket.write(Buffer.from([0x10, 0x80, 0x80, 0x40]));
    await ended;

    // Assess
    expect(lengths).toEqual([1_048_576]);
    expect(errors).toEqual(['refused by the test']);
  });

  it('registers, resumes and takes over sessions under an id renamed in `authenticate`', async () => {
    // Prepare
    const { aedes, client } = await bareAedes({
      authenticate: (connecting, username, _password, done) => {
        renameClient(connecting, `${username}:${connecting.id}`);
        done(null, true);
      },
    });
    const session = { clientId: 'box', clean: false } as const;
    const first = await client({ ...session, username: 'alice' });
    await first.connection.subscribeAsync('a/b', { qos: 1 });
    const other = await client({ ...session, username: 'bob' });
    await first.connection.endAsync();

    // Act
    const resumed = await client({ ...session, username: 'alice' });
    const evicted = closed(resumed.connection);
    await client({ ...session, username: 'alice' });
    await evicted;

    // Assess: bob's client with the same raw id neither resumed alice's session nor evicted her.
    expect(other.sessionPresent).toBe(false);
    expect(resumed.sessionPresent).toBe(true);
    expect(other.connection.connected).toBe(true);
    await until(() => ids(aedes).length === 2);
    expect(ids(aedes).sort()).toEqual(['alice:box', 'bob:box']);
  });
});

describe('aedes-persistence internals (src/aedes/internals.ts)', () => {
  it('exports the promise-API memory persistence from asyncPersistence.js, methods on its prototype', () => {
    // Prepare
    const methods = [
      'outgoingEnqueue',
      'outgoingEnqueueCombi',
      'outgoingUpdate',
      'outgoingClearMessageId',
      'outgoingStream',
      'createRetainedStreamCombi',
      'destroy',
    ];

    // Act
    const prototype = MemoryPersistence.prototype as unknown as Record<string, unknown>;

    // Assess: Aedes 1.x refuses a persistence whose setup is not an AsyncFunction.
    expect(prototype.setup?.constructor.name).toBe('AsyncFunction');
    for (const method of methods) expect(prototype[method], method).toBeTypeOf('function');
  });

  it('copies a message for a queue with `Packet`, keeping broker id and counter, no message id', () => {
    // Prepare
    const original = {
      cmd: 'publish',
      topic: 't',
      payload: Buffer.from('x'),
      qos: 1,
      retain: false,
      messageId: 42,
      brokerId: 'b',
      brokerCounter: 7,
    };

    // Act
    const copy = new MemoryPersistence.Packet(original);

    // Assess
    expect(copy).not.toBe(original);
    expect(copy).toMatchObject({ topic: 't', brokerId: 'b', brokerCounter: 7 });
    expect(copy.messageId).toBeUndefined();
  });
});

describe('aedes-persistence-redis internals (src/aedes/internals.ts)', () => {
  it('exports the promise-API Redis persistence from asyncPersistence.js', () => {
    // Act
    const RedisPersistence = loadRedisPersistence();

    // Assess
    const prototype = RedisPersistence.prototype as unknown as Record<string, unknown>;
    expect(prototype.setup?.constructor.name).toBe('AsyncFunction');
    expect(prototype.createRetainedStreamCombi).toBeTypeOf('function');
    expect(prototype.destroy).toBeTypeOf('function');
  });
});
