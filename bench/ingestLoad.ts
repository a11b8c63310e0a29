/**
 * Load parts of bench/ingest.ts: MQTT.js boxes publishing votes (QoS 1, bounded in flight), a
 * plain QoS 1 subscriber (the reference), raw line protocol writes, and a recording proxy in front
 * of influxd that notes when each vote's write was accepted (press → stored latency).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { filters, topics } from '@likebox/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { connectRetrying } from './mqttConnect.js';

/** Connects `n` boxes `{prefix}-1`…`{prefix}-n` (user name = device slug). */
export function connectBoxes(
  url: string,
  n: number,
  password: string,
  prefix = 'box',
): Promise<MqttClient[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      connectRetrying(url, {
        username: `${prefix}-${i + 1}`,
        password,
        clientId: `${prefix}-${i + 1}`,
        protocolVersion: 4,
      }),
    ),
  );
}

/** A box's device slug: its user name. */
function deviceOf(box: MqttClient): string {
  return box.options.username ?? '';
}

/** A vote's payload as a box sends it (legacy epoch), pressed at `at`. */
export function vote(seq: number, at: number): string {
  return `{"seq":${seq},"value":${seq % 3 === 0 ? -1 : 1},"at":${at},"room":"amphi","synced":true}`;
}

/** Each box publishes `perBox` votes (seq `from`…), at most `window` un-acked; resolves when all are acked. */
export async function flood(
  boxes: MqttClient[],
  event: string,
  perBox: number,
  window = 500,
  from = 1,
): Promise<void> {
  await Promise.all(
    boxes.map(
      (box) =>
        new Promise<void>((resolve, reject) => {
          const topic = topics.vote(event, deviceOf(box));
          let sent = 0;
          let acked = 0;
          const pump = () => {
            while (sent < perBox && sent - acked < window) {
              sent += 1;
              box.publish(topic, vote(from + sent - 1, Date.now()), { qos: 1 }, (err) => {
                if (err) return reject(err);
                acked += 1;
                if (acked === perBox) resolve();
                else pump();
              });
            }
          };
          pump();
        }),
    ),
  );
}

/**
 * Publishes `rate` votes/s spread over the boxes for `seconds` (each box's seqs from `from`),
 * each pressed (`at`) at its publish instant; returns `device/seq` → press time.
 */
export async function paced(
  boxes: MqttClient[],
  event: string,
  rate: number,
  seconds: number,
  from = 1,
): Promise<Map<string, number>> {
  const total = rate * seconds;
  const pressed = new Map<string, number>();
  const seqs = boxes.map(() => from - 1);
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const b = i % boxes.length;
    const seq = (seqs[b] ?? 0) + 1;
    seqs[b] = seq;
    const at = Date.now();
    const box = boxes[b] as MqttClient;
    pressed.set(`${deviceOf(box)}/${seq}`, at);
    box.publish(topics.vote(event, deviceOf(box)), vote(seq, at), { qos: 1 });
  }
  return pressed;
}

/**
 * Ends the stored session of `clientId`: a clean connection with the same client id discards it
 * [MQTT-3.1.2-6]. A persistent session left behind by a finished run would go on queueing every
 * vote of the later runs for a client that never comes back.
 */
export async function discardSession(
  url: string,
  username: string,
  password: string,
  clientId: string,
): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    username,
    password,
    clientId,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
  });
  await client.endAsync();
}

/**
 * A plain QoS 1 subscriber to every box's votes (PUBACK at once, nothing else); `persistent`:
 * `clean: false` with a fixed client id, the session kind the ingest uses. `done` resolves when
 * `expected` messages arrived; `close()` disconnects and, for a persistent session, discards it
 * (left behind, it once queued the 100,000 votes of the ingest's flood, and taxed the broker).
 */
export async function plainSubscriber(
  url: string,
  username: string,
  password: string,
  event: string,
  expected: number,
  persistent: boolean,
): Promise<{ done: Promise<number>; close: () => Promise<void> }> {
  const options = {
    username,
    password,
    protocolVersion: 4 as const,
    clientId: `plain-${persistent ? 'persistent' : 'clean'}`,
  };
  const client = await mqtt.connectAsync(url, { ...options, clean: !persistent });
  await client.subscribeAsync(filters.device(event, '+', 'vote'), { qos: 1 });
  let received = 0;
  const done = new Promise<number>((resolve) => {
    client.on('message', () => {
      received += 1;
      if (received === expected) resolve(performance.now());
    });
  });
  const close = async () => {
    await client.endAsync();
    if (persistent) await discardSession(url, username, password, options.clientId);
  };
  return { done, close };
}

/** Writes `total` points as raw line protocol in batches of `batch`; returns points/s. */
export async function rawLineProtocol(
  url: string,
  db: string,
  total: number,
  batch: number,
): Promise<number> {
  await fetch(`${url}/query?q=${encodeURIComponent(`CREATE DATABASE ${db}`)}`, { method: 'POST' });
  const base = Date.now() - 3_600_000;
  const start = performance.now();
  for (let i = 0; i < total; i += batch) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(total, i + batch); j += 1) {
      const seq = j + 1;
      lines.push(
        `vote,device=box-${(j % 10) + 1},event=demo,room=amphi,talk=none seq=${seq}i,value=1i ${base + j}${String(seq % 1e6).padStart(6, '0')}`,
      );
    }
    const response = await fetch(`${url}/write?db=${db}&precision=ns`, {
      method: 'POST',
      body: lines.join('\n'),
    });
    if (response.status !== 204) throw new Error(`raw write failed: ${response.status}`);
  }
  return total / ((performance.now() - start) / 1000);
}

/** A proxy to influxd that records, per `device/seq`, when InfluxDB first accepted the vote's write. */
export async function recordingProxy(
  target: string,
): Promise<{ url: string; stored: Map<string, number>; server: Server }> {
  const stored = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      fetch(`${target}${req.url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
        body: req.method === 'POST' ? body : undefined,
      })
        .then(async (response) => {
          const text = await response.text();
          if (req.url?.startsWith('/write') && response.status === 204) {
            const now = Date.now();
            // seq is an integer field (`12i`) from LikeBox, a float (`12`) from node-influx.
            for (const match of body
              .toString()
              .matchAll(/^vote,.*device=([^, ]+).*seq=(\d+)i?\b/gm)) {
              const key = `${match[1]}/${match[2]}`;
              // The first write counts: a vote written twice (a double) was stored the first time.
              if (!stored.has(key)) stored.set(key, now);
            }
          }
          const type = response.headers.get('content-type');
          res.writeHead(response.status, type === null ? {} : { 'content-type': type }).end(text);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, stored, server };
}

/** The p-th percentile of `values` (0–100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
