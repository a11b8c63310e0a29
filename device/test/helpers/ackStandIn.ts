import {
  type Ack,
  decodePayload,
  encodePayload,
  epochOf,
  filters,
  parseTopic,
  TopicDelivery,
  topics,
  type Vote,
} from '@likebox/protocol';
import mqtt from 'mqtt';

/** Options of the ack stand-in. */
export interface StandInOptions {
  url: string;
  event: string;
  username: string;
  password: string;
  /** Deliveries to drop without recording or acking (simulates an ingest that lost them). */
  loseFirst?: number;
  /** Whether to publish acks at all. */
  ack?: boolean;
  /**
   * Whether acks carry the epoch they are for (the contract of an ingest that knows epochs, the
   * default); false: acks as an ingest from before epochs sent them, `{ seq }` per device.
   */
  epochs?: boolean;
}

/** Two epochs of one device id seen within this long: the id is shared (`ack.shared`). */
const SHARED_WINDOW_MS = 60_000;

/**
 * A stand-in for the ingest's ack publisher, following ARCHITECTURE.md: records every vote by its
 * identity (device, epoch, seq), notes conflicts (one identity carrying two different votes), and
 * after each batch publishes the retained `ack` of each (device, epoch) it heard from: the highest
 * seq below which it holds every vote of that epoch, the epoch, and `shared` when another epoch
 * of the same device id voted recently. A duplicate gets the current ack again. Without epochs it
 * acks per device, `{ seq }`, as an ingest from before epochs did (seqs of all epochs mixed).
 */
export async function startAckStandIn(o: StandInOptions) {
  const client = await mqtt.connectAsync(o.url, {
    protocolVersion: 4,
    clientId: `ack-stand-in-${process.pid}-${Math.random().toString(36).slice(2)}`,
    clean: true,
    username: o.username,
    password: o.password,
    reconnectPeriod: 200,
  });
  let epochs = o.epochs ?? true;
  /** Votes by stream (`device` + ` ` + epoch), then seq; and by device alone, as without epochs. */
  const streams = new Map<string, Map<number, Vote>>();
  const devices = new Map<string, Map<number, Vote>>();
  const acked = new Map<string, number>();
  const lastHeard = new Map<string, Map<string, number>>();
  const dirty = new Map<string, { device: string; epoch: string }>();
  const conflicts: Array<{ device: string; epoch: string; seq: number }> = [];
  let deliveries = 0;
  let acking = o.ack ?? true;
  let lose = o.loseFirst ?? 0;
  let flush: NodeJS.Timeout | null = null;
  const shared = (device: string, epoch: string) => {
    const now = Date.now();
    const heard = lastHeard.get(device) ?? new Map<string, number>();
    return [...heard].some(([other, at]) => other !== epoch && now - at < SHARED_WINDOW_MS);
  };
  /** Adds a vote to `map[key]` and returns the new watermark of that key. */
  const store = (map: Map<string, Map<number, Vote>>, key: string, vote: Vote) => {
    const votes = map.get(key) ?? new Map<number, Vote>();
    map.set(key, votes);
    if (!votes.has(vote.seq)) votes.set(vote.seq, vote);
    let high = acked.get(key) ?? 0;
    while (votes.has(high + 1)) high++;
    acked.set(key, high);
  };
  const publishAcks = () => {
    flush = null;
    for (const [stream, { device, epoch }] of dirty) {
      const ack: Ack = epochs
        ? { seq: acked.get(stream) ?? 0, epoch, shared: shared(device, epoch) }
        : { seq: acked.get(device) ?? 0 };
      client
        .publishAsync(topics.ack(o.event, device), encodePayload('ack', ack), TopicDelivery.ack)
        .catch(() => undefined);
    }
    dirty.clear();
  };
  client.on('message', (topic, payload) => {
    const parsed = parseTopic(topic);
    const decoded = decodePayload('vote', payload);
    if (parsed === null || !('device' in parsed) || !decoded.success) return;
    deliveries++;
    if (lose > 0) {
      lose--;
      return;
    }
    const device = parsed.device;
    const vote = decoded.data;
    const epoch = epochOf(vote);
    const stream = `${device} ${epoch}`;
    const heard = lastHeard.get(device) ?? new Map<string, number>();
    lastHeard.set(device, heard.set(epoch, Date.now()));
    const known = streams.get(stream)?.get(vote.seq);
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(vote))
      conflicts.push({ device, epoch, seq: vote.seq });
    store(streams, stream, vote);
    store(devices, device, vote);
    if (!acking) return;
    dirty.set(stream, { device, epoch });
    flush ??= setTimeout(publishAcks, 20);
  });
  await client.subscribeAsync(filters.device(o.event, '+', 'vote'), { qos: 1 });
  return {
    conflicts,
    get deliveries() {
      return deliveries;
    },
    /** The votes stored for one epoch of a device. */
    stored: (device: string, epoch: string) =>
      streams.get(`${device} ${epoch}`) ?? new Map<number, Vote>(),
    /** Every vote stored for a device, all epochs. */
    all: (device: string) =>
      [...streams]
        .filter(([stream]) => stream.startsWith(`${device} `))
        .flatMap(([, votes]) => [...votes.values()]),
    /** The ack watermark of one epoch of a device. */
    acked: (device: string, epoch: string) => acked.get(`${device} ${epoch}`) ?? 0,
    /** Starts or stops publishing acks (votes are recorded either way). */
    setAcking(on: boolean) {
      acking = on;
    },
    /** Switches between acks with epochs and acks per device, as an ingest from before epochs. */
    setEpochs(on: boolean) {
      epochs = on;
    },
    async close() {
      if (flush !== null) clearTimeout(flush);
      await client.endAsync(true);
    },
  };
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(
  check: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
