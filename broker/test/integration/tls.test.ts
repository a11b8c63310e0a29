import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { brokerWith, connectAs, nextMessage, tempDir } from '../helpers.js';

const run = promisify(execFile);

async function selfSigned(): Promise<{ cert: Buffer; key: Buffer }> {
  const dir = await tempDir();
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { cert: await readFile(cert), key: await readFile(key) };
}

describe('broker over TLS', () => {
  it('serves MQTT over TLS and WebSocket over TLS when a certificate and key are given', async () => {
    // Prepare
    const tls = await selfSigned();
    const broker = await brokerWith(
      { organiser: 'organiser' },
      { tls, tlsPort: 0, wsPort: 0, wsTls: true },
    );

    // Act
    const overTls = await connectAs(broker.mqttsUrl!, 'organiser', {
      ca: tls.cert,
      clientId: 'tls',
    });
    const overWss = await connectAs(broker.wsUrl!, 'organiser', { ca: tls.cert, clientId: 'wss' });
    await overWss.subscribeAsync(topics.schedule('demo'), { qos: 1 });
    const received = nextMessage(overWss);
    await overTls.publishAsync(topics.schedule('demo'), '{}', { qos: 1 });

    // Assess
    expect((await received).topic).toBe(topics.schedule('demo'));
    expect(broker.wsUrl).toMatch(/^wss:/);
  });
});
