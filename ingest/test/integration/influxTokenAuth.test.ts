import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import {
  basicAuth,
  connectAs,
  eventually,
  publishVotes,
  startTestBroker,
  tempDir,
  testConfig,
  votes,
} from './harness.js';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: string;
}

/**
 * The v1 compatibility surface of InfluxDB 2.x/3.x as the ingest uses it: `/ping`, and `/write`
 * that requires the token (as the v1 password) and refuses InfluxQL (2.x answers 4xx to `CREATE`).
 * No 2.x or 3.x server can run here; this checks what goes over the wire.
 */
async function startCompatServer(token: string): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const accepted = [basicAuth('likebox', token)];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const entry = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(entry);
      if (url.pathname === '/ping') {
        res.writeHead(204, { 'x-influxdb-version': 'v2.7.11' }).end();
      } else if (!accepted.includes(entry.authorization ?? '')) {
        res.writeHead(401).end('{"code":"unauthorized"}');
      } else if (url.pathname === '/write') {
        res.writeHead(204).end();
      } else {
        res.writeHead(422).end('{"code":"unprocessable entity"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('InfluxWriter with a token', () => {
  it('writes with the token as v1 password and creates nothing when configured for 2.x or 3.x', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const influx = await startCompatServer('s3cr3t-token');
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influx.url,
      LIKEBOX_INFLUX_TOKEN: 's3cr3t-token',
      LIKEBOX_INFLUX_DATABASE: 'likebox',
    });
    const ingest = await startIngest(config);
    onTestFinished(() => ingest.stop());
    const box = await connectAs(broker.mqttUrl, 'box-1');

    // Act
    await publishVotes(box, 'test', 'box-1', votes(1, 3, Date.now() - 1000));

    // Assess
    const writes = await eventually(() => {
      const found = influx.seen.filter((s) => s.path === '/write');
      return found.some((w) => w.body.includes('seq=3i')) ? found : undefined;
    });
    expect(
      writes.every((w) => w.query.get('db') === 'likebox' && w.query.get('precision') === 'ns'),
    ).toBe(true);
    const basic = basicAuth('likebox', 's3cr3t-token');
    expect(writes.every((w) => w.authorization === basic)).toBe(true);
    expect(writes.some((w) => /^vote_1m,/m.test(w.body))).toBe(true);
    const queries = influx.seen.filter((s) => s.path === '/query');
    expect(queries.filter((q) => /CREATE/i.test(q.body))).toEqual([]);
    expect(ingest.health().influx).toEqual({ configured: true, reachable: true });
  });
});
