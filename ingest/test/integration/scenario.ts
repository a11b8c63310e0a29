import { type Ack, decodePayload, epochOf, topics, type Vote } from '@likebox/protocol';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { onTestFinished } from 'vitest';
import { influxRows, PASSWORD } from './harness.js';

/** A box as the ingest sees it: votes of one epoch over QoS 1, and the acks it receives. */
export interface TestBox {
  /** Its device id. */
  device: string;
  /** Its epoch (undefined: a box from before epochs, the legacy epoch ""). */
  epoch: string | undefined;
  /** Every ack received on its ack topic (any epoch), in order. */
  acks: Ack[];
  /** Publishes votes `from`…`from + n - 1` and waits for every PUBACK. */
  publish(from: number, n: number): Promise<void>;
  /** Publishes one vote with any seq and waits for its PUBACK. */
  publishSeq(seq: number): Promise<void>;
  /** Highest seq an ack for its own epoch confirmed (0: none). */
  confirmed(): number;
  /** Whether an ack for its epoch said the id is shared. */
  toldShared(): boolean;
}

/** The vote `seq` of a box: +1 for even seqs, -1 for odd, pressed a minute ago. */
export function epochVote(seq: number, epoch: string | undefined, room = 'amphi'): Vote {
  const at = Date.now() - 60_000;
  const vote: Vote = { seq, value: seq % 2 === 0 ? 1 : -1, at, room, synced: true };
  return epoch === undefined ? vote : { ...vote, epoch };
}

/** Connects a box as device user `device` (a client id of its own per epoch, as real boxes do). */
export async function testBox(url: string, device: string, epoch?: string): Promise<TestBox> {
  const client = await mqtt.connectAsync(url, {
    username: device,
    password: PASSWORD,
    clientId: `${device}-${epoch ?? 'legacy'}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => client.endAsync(true));
  const acks: Ack[] = [];
  client.on('message', (_topic, payload) => {
    const decoded = decodePayload('ack', payload);
    if (decoded.success) acks.push(decoded.data);
  });
  await client.subscribeAsync(topics.ack('test', device), { qos: 1 });
  const own = (ack: Ack) => ack.epoch !== undefined && epochOf(ack) === (epoch ?? '');
  const publishSeq = async (seq: number) => {
    const payload = JSON.stringify(epochVote(seq, epoch));
    await client.publishAsync(topics.vote('test', device), payload, { qos: 1 });
  };
  return {
    device,
    epoch,
    acks,
    publish: async (from, n) => {
      await Promise.all(Array.from({ length: n }, (_, i) => publishSeq(from + i)));
    },
    publishSeq,
    confirmed: () => Math.max(0, ...acks.filter(own).map((ack) => ack.seq)),
    toldShared: () => acks.some((ack) => own(ack) && ack.shared === true),
  };
}

/** The seqs of (device, epoch) in a closed journal file, in row order. */
export function journalSeqs(file: string, device: string, epoch: string | undefined): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('SELECT seq FROM votes WHERE device = ? AND epoch = ? ORDER BY id')
      .pluck()
      .all(device, epoch ?? '') as number[];
  } finally {
    db.close();
  }
}

/** The seqs of (device, epoch) InfluxDB holds in `db`, sorted (an absent epoch tag is `""`). */
export async function influxSeqs(
  url: string,
  db: string,
  device: string,
  epoch: string | undefined,
): Promise<number[]> {
  const q = `SELECT "seq" FROM "vote" WHERE "device" = '${device}' AND "epoch" = '${epoch ?? ''}'`;
  const rows = await influxRows(url, db, q);
  return rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
}

/** 1…n. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/**
 * Nothing lost, nothing doubled, for one box: every confirmed seq is stored, every stored seq
 * once, and the stored ones are exactly `sent`.
 */
export function lossAndDoubles(sent: number[], confirmed: number, stored: number[]) {
  const unique = new Set(stored);
  return {
    lost: sent.filter((seq) => seq <= confirmed && !unique.has(seq)).length,
    doubled: stored.length - unique.size,
    missing: sent.filter((seq) => !unique.has(seq)).length,
    extra: stored.filter((seq) => !sent.includes(seq)).length,
  };
}
