import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startBroker } from '@likebox/broker';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { startAckStandIn, waitFor } from '../helpers/ackStandIn.js';
import { PW, tempDir, virtualBox, writeUsers } from '../helpers/rig.js';

const run = promisify(execFile);

/** A test CA and a certificate it signed for 127.0.0.1, made with openssl. */
async function certificates(dir: string) {
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    ...['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem')],
    ...['-days', '1', '-subj', '/CN=LikeBox test CA'],
  ]);
  await run('openssl', [
    ...['req', ...ec, '-keyout', file('key.pem'), '-out', file('req.csr')],
    ...['-subj', '/CN=broker'],
  ]);
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', [
    ...['x509', '-req', '-in', file('req.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key')],
    ...['-CAcreateserial', '-out', file('cert.pem'), '-days', '1', '-extfile', file('san.ext')],
  ]);
  return {
    caFile: file('ca.pem'),
    tls: { cert: await readFile(file('cert.pem')), key: await readFile(file('key.pem')) },
  };
}

describe('box over TLS', () => {
  it('counts votes through a broker whose certificate its LIKEBOX_MQTT_CA signed, over mqtts:// and wss://', async () => {
    // Prepare
    const dir = tempDir();
    const { caFile, tls } = await certificates(dir);
    const usersFile = await writeUsers(dir);
    const b = await startBroker({
      usersFile,
      mqttPort: 0,
      tls,
      tlsPort: 0,
      wsPort: 0,
      wsTls: true,
    });
    onTestFinished(() => b.close());
    const standIn = await startAckStandIn({
      url: b.mqttUrl,
      event: 'demo',
      username: 'ingest',
      password: PW.ingest,
    });
    onTestFinished(() => standIn.close());
    // Act
    const boxes = [];
    for (const url of [b.mqttsUrl!, b.wsUrl!]) {
      const box = await virtualBox(tempDir(), url, { LIKEBOX_MQTT_CA: caFile });
      await waitFor(() => box.box.publisher.connected, 10_000, `connected to ${url}`);
      const outcome = await box.buttons.click('like');
      await waitFor(() => box.outbox.depth === 0, 10_000, `acked through ${url}`);
      boxes.push({ url, outcome, epoch: box.outbox.epoch });
      await box.stop();
    }
    // Assess
    expect(b.mqttsUrl).toMatch(/^mqtts:/);
    expect(b.wsUrl).toMatch(/^wss:/);
    for (const { outcome, epoch } of boxes) {
      expect(outcome).toMatchObject({ counted: { seq: 1, epoch } });
      expect([...standIn.stored('box-1', epoch).keys()]).toEqual([1]);
    }
  });

  it('does not connect to that broker without the CA, and refuses to start with an unreadable CA file', async () => {
    // Prepare
    const dir = tempDir();
    const { tls } = await certificates(dir);
    const usersFile = await writeUsers(dir);
    const b = await startBroker({ usersFile, mqttPort: 0, tls, tlsPort: 0 });
    onTestFinished(() => b.close());
    // Act
    const untrusting = await virtualBox(tempDir(), b.mqttsUrl!);
    await new Promise((r) => setTimeout(r, 1500));
    const missing = await virtualBox(tempDir(), b.mqttsUrl!, {
      LIKEBOX_MQTT_CA: join(dir, 'no-such.pem'),
    }).catch((err: unknown) => err);
    // Assess
    expect(untrusting.box.publisher.connected).toBe(false);
    expect(await untrusting.buttons.click('like')).toMatchObject({ counted: { seq: 1 } });
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toMatch(/CA file/);
  });
});
