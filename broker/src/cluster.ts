import { Readable } from 'node:stream';
import { loadRedisPersistence, type RedisPersistence } from './aedes/internals.js';

/** The Aedes parts that make several brokers act as one. */
export interface ClusterParts {
  /** The message emitter shared through Redis pub/sub. */
  mq: unknown;
  /** The persistence (retained, sessions, QoS 1 queues, wills) shared in Redis. */
  persistence: unknown;
  /** Disconnects from Redis (the emitter is closed by Aedes itself). */
  close(): Promise<void>;
}

/**
 * aedes-persistence-redis 12.0.0 returns an async generator from `createRetainedStreamCombi`,
 * while Aedes 1.2 calls `.pipe()` on it (lib/handlers/subscribe.js): the first SUBSCRIBE with a
 * retained match would throw an uncaught TypeError. Aedes' own in-memory persistence returns
 * `Readable.from(...)`, which this restores.
 */
function adaptRetainedStream(persistence: RedisPersistence): void {
  const original = persistence.createRetainedStreamCombi.bind(persistence);
  persistence.createRetainedStreamCombi = (patterns) => {
    const result = original(patterns);
    return result instanceof Readable ? result : Readable.from(result);
  };
}

/**
 * Cluster mode: mqemitter-redis plus aedes-persistence-redis on one Redis. The persistence is
 * the package's promise API (`loadRedisPersistence`): its main export wraps it in the callback API
 * of Aedes 0.x, which Aedes 1.x rejects ("persistence.setup() must be an async function").
 */
export async function createClusterParts(redisUrl: string): Promise<ClusterParts> {
  const AsyncRedisPersistence = loadRedisPersistence();
  // Loaded only in cluster mode: the Redis clients add ~15 MB to the RSS of every broker.
  const [{ Redis }, { default: MQEmitterRedis }] = await Promise.all([
    import('ioredis'),
    import('mqemitter-redis'),
  ]);
  const conn = new Redis(redisUrl, { lazyConnect: true });
  await conn.connect();
  const persistence = new AsyncRedisPersistence({ conn });
  adaptRetainedStream(persistence);
  // The subscriber connection gets no ready check: ioredis 5.8.2+ can send its INFO after the
  // emitter's SUBSCRIBE on a fresh connection, which Redis refuses in subscriber mode and ioredis
  // throws as an uncaught error (redis/ioredis#2037, fixed in 6.0); INFO is pointless there anyway.
  const subConn = new Redis(redisUrl, { enableReadyCheck: false });
  const mq = MQEmitterRedis({ connectionString: redisUrl, subConn });
  return {
    mq,
    persistence,
    close: () => persistence.destroy().catch(() => undefined),
  };
}
