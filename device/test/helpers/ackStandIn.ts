import {
  decodePayload,
  encodePayload,
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
}

/**
 * A stand-in for the ingest's ack publisher: records every vote by (device, seq), notes
 * duplicates and conflicts (one seq carrying two different votes), and publishes the retained
 * `ack` with the highest seq below which it holds every vote.
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
  const votes = new Map<string, Map<number, Vote>>();
  const acked = new Map<string, number>();
  const dirty = new Set<string>();
  const conflicts: Array<{ device: string; seq: number }> = [];
  let deliveries = 0;
  let lose = o.loseFirst ?? 0;
  let flush: NodeJS.Timeout | null = null;
  const publishAcks = () => {
    flush = null;
    for (const device of dirty) {
      const payload = encodePayload('ack', { seq: acked.get(device) ?? 0 });
      client
        .publishAsync(topics.ack(o.event, device), payload, TopicDelivery.ack)
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
    const byDevice = votes.get(device) ?? new Map<number, Vote>();
    votes.set(device, byDevice);
    const known = byDevice.get(vote.seq);
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(vote))
      conflicts.push({ device, seq: vote.seq });
    byDevice.set(vote.seq, vote);
    let high = acked.get(device) ?? 0;
    while (byDevice.has(high + 1)) high++;
    acked.set(device, high);
    if (o.ack === false) return;
    dirty.add(device);
    flush ??= setTimeout(publishAcks, 20);
  });
  await client.subscribeAsync(filters.device(o.event, '+', 'vote'), { qos: 1 });
  return {
    votes,
    conflicts,
    get deliveries() {
      return deliveries;
    },
    acked: (device: string) => acked.get(device) ?? 0,
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
