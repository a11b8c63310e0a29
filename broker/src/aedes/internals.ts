import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Aedes, Client } from 'aedes';
import type { OutgoingPacket } from '../outgoingStore.js';

/*
 * The one module of the broker that reaches past the typed, documented API of Aedes 1.2 and of
 * aedes-persistence 11 / aedes-persistence-redis 12: undeclared properties, a parser's private
 * methods, behaviour inside a hook, files required by path. Each export states what it assumes;
 * test/integration/aedesInternals.test.ts checks every assumption against the installed versions,
 * so an upgrade that breaks one fails there, by name. The three packages are pinned with `~`.
 */

const require = createRequire(import.meta.url);

// ---- Aedes instance -------------------------------------------------------------------------

/**
 * The clients connected to this broker. Aedes keeps them in `aedes.clients`, an object keyed by
 * client id (set when a client is registered after CONNACK, deleted on disconnect), which its
 * type declarations leave out.
 */
export function connectedClients(aedes: Aedes): Client[] {
  return Object.values((aedes as unknown as { clients: Record<string, Client> }).clients);
}

/** A retained message as an Aedes persistence streams it. */
export interface StoredRetained {
  /** Its topic. */
  topic: string;
  /** Its payload. */
  payload: Buffer;
}

/** The part of an Aedes persistence {@link retainedStore} exposes. */
export interface RetainedStore {
  /** The retained messages whose topics match any of `patterns` (MQTT filters). */
  createRetainedStreamCombi(patterns: string[]): AsyncIterable<StoredRetained>;
}

/**
 * The persistence Aedes was given (ours, or Redis' in a cluster), which it keeps as
 * `aedes.persistence` and its type declarations leave out.
 */
export function persistenceOf(aedes: Aedes): unknown {
  return (aedes as unknown as { persistence: unknown }).persistence;
}

/**
 * The retained messages of {@link persistenceOf}: every Aedes 1.x persistence has
 * `createRetainedStreamCombi`, whose result Aedes pipes: a `Readable` (object mode), which is
 * async iterable.
 */
export function retainedStore(aedes: Aedes): RetainedStore {
  return persistenceOf(aedes) as RetainedStore;
}

// ---- Aedes client ---------------------------------------------------------------------------

/** The mqtt-packet 9 `Parser` fields that the packet size guard uses. */
export interface PacketParser {
  /** The packet being read; `length` is its remaining length once `_parseLength()` is true. */
  packet: { length: number };
  /**
   * Reads the remaining length from the buffered bytes; true once it is complete. The parser
   * calls it right after the fixed header's first byte, before it waits for the body.
   */
  _parseLength(): boolean;
  /** Fails the parse with `err`: the parser emits `error`, Aedes closes the connection. */
  _emitError(err: Error): void;
}

/**
 * The mqtt-packet parser that reads the packets of `client`: Aedes creates one per client in its
 * `Client` constructor (`client._parser`, undeclared). Take it right after `aedes.handle()`.
 */
export function packetParserOf(client: Client): PacketParser {
  return (client as unknown as { _parser: PacketParser })._parser;
}

/**
 * Changes the id under which Aedes registers `client`. Call it only inside the `authenticate`
 * hook: Aedes sets `client.id` from the CONNECT before the hook and reads it again after it, for
 * the session it resumes or cleans, the persistence, the takeover of a connected client with the
 * same id and `aedes.clients`.
 */
export function renameClient(client: Client, id: string): void {
  (client as { id: string }).id = id;
}

// ---- aedes-persistence ----------------------------------------------------------------------

/** A subscription as Aedes passes it to `outgoingEnqueue`: whose queue the packet goes to. */
export interface OutgoingSubscription {
  /** Id of the subscribing client. */
  clientId: unknown;
}

/** A client as Aedes passes it to the outgoing methods. */
export interface PersistenceClient {
  /** Id of the client (the key of its queue). */
  id: unknown;
}

/** The outgoing methods of aedes-persistence 11's promise-API memory persistence. */
export interface MemoryPersistenceMethods {
  /** Queues a copy of `packet` for the client of `sub`. */
  outgoingEnqueue(sub: OutgoingSubscription, packet: object): Promise<void>;
  /** Queues a copy of `packet` for the client of each subscription, in order. */
  outgoingEnqueueCombi(subs: readonly OutgoingSubscription[], packet: object): Promise<void>;
  /** Records the message id a queued packet was sent with (or a PUBREL replacing it). */
  outgoingUpdate(client: PersistenceClient, packet: OutgoingPacket): Promise<void>;
  /** Removes and returns the queued packet acknowledged with `packet.messageId`. */
  outgoingClearMessageId(
    client: PersistenceClient,
    packet: OutgoingPacket,
  ): Promise<OutgoingPacket | undefined>;
  /** Streams the client's queue, to send it again when its session resumes. */
  outgoingStream(client: PersistenceClient): Readable;
  /** Called once by Aedes 1.x, which refuses a persistence whose `setup` is not an AsyncFunction. */
  setup(broker: unknown): Promise<void>;
  /** Called by Aedes on close. */
  destroy(): Promise<void>;
}

/** The class exported by `aedes-persistence/asyncPersistence.js`, as far as we use it. */
export interface MemoryPersistenceClass {
  new (options?: { broadcastSubscriptions?: boolean }): MemoryPersistenceMethods;
  /** aedes-packet's `Packet`: copies a message for a queue, with `messageId` unset. */
  Packet: new (
    original: object,
  ) => OutgoingPacket;
}

/**
 * aedes-persistence's in-memory persistence with the promise API of Aedes 1.x. The package has no
 * `exports` map, so its files can be required by path; `asyncPersistence.js` holds the promise API
 * (the main export wraps it in the callback API of Aedes 0.x, which Aedes 1.x rejects).
 */
export const MemoryPersistence =
  require('aedes-persistence/asyncPersistence.js') as MemoryPersistenceClass;

// ---- aedes-persistence-redis ----------------------------------------------------------------

/** The promise-API Redis persistence, as far as cluster mode uses it. */
export interface RedisPersistence {
  /** Closes its Redis connection. */
  destroy(): Promise<void>;
  /** An async generator in 12.0.0, while Aedes 1.2 pipes it: `cluster.ts` adapts it. */
  createRetainedStreamCombi(patterns: string[]): AsyncIterable<unknown> | Readable;
}

/** The class exported by `aedes-persistence-redis/asyncPersistence.js`. */
export type RedisPersistenceClass = new (options: { conn: unknown }) => RedisPersistence;

/**
 * Loads aedes-persistence-redis' promise-API class from `asyncPersistence.js` (no `exports` map;
 * the main export is the Aedes 0.x callback wrapper, as in aedes-persistence). Loaded on demand:
 * only cluster mode needs it.
 */
export function loadRedisPersistence(): RedisPersistenceClass {
  return require('aedes-persistence-redis/asyncPersistence.js') as RedisPersistenceClass;
}
