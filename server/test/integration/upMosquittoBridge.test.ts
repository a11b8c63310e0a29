import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { addUser, startBroker } from '@likebox/broker';
import { freePort } from '@likebox/influx';
import { encodePayload, TopicDelivery, topics } from '@likebox/protocol';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';

const BRIDGE_CONF = fileURLToPath(new URL('../../../infra/mosquitto/bridge.conf', import.meta.url));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-bridge-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The example with its CHANGE-ME values filled in, behind a loopback listener for the test. */
async function bridgeConfig(remotePort: number, localPort: number, password: string) {
  const example = await readFile(BRIDGE_CONF, 'utf8');
  const filled = example
    .replace(/^address .*$/m, `address 127.0.0.1:${remotePort}`)
    .replace(/^remote_clientid .*$/m, 'remote_clientid other-conf-bridge')
    .replace(/^remote_username .*$/m, 'remote_username other-conf')
    .replace(/^remote_password .*$/m, `remote_password ${password}`);
  const local = [`listener ${localPort} 127.0.0.1`, 'allow_anonymous true', 'persistence false'];
  return { example, conf: `${local.join('\n')}\n${filled}` };
}

/** Resolves once something accepts TCP connections on the port (mosquitto starting up). */
async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const socket = connect(port, '127.0.0.1');
    // events.once rejects on 'error': a refused connection means "not yet".
    const ok = await once(socket, 'connect').then(
      () => true,
      () => false,
    );
    socket.destroy();
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`nothing listens on port ${port}`);
}

function tally(likes: number) {
  return encodePayload('tally', { talk: 'CRS-9058', likes, dislikes: 1, at: Date.now() });
}

describe('infra/mosquitto/bridge.conf', () => {
  it('mirrors our public tallies into a Debian mosquitto when bridged with a public account', async () => {
    // Prepare
    const dir = await tempDir();
    const usersFile = join(dir, 'users.json');
    await addUser(usersFile, 'other-conf', 'public', 'mirror-secret-1');
    await addUser(usersFile, 'org', 'organiser', 'organiser-secret-1');
    const broker = await startBroker({ usersFile, mqttPort: 0, wsPort: null });
    onTestFinished(() => broker.close());
    const organiser = await mqtt.connectAsync(broker.mqttUrl, {
      protocolVersion: 4,
      username: 'org',
      password: 'organiser-secret-1',
    });
    onTestFinished(() => organiser.endAsync());
    const topic = topics.tally('breizhcamp', 'groix');
    const { qos, retain } = TopicDelivery.tally;
    await organiser.publishAsync(topic, tally(10), { qos, retain });
    const localPort = await freePort();
    const { example, conf } = await bridgeConfig(broker.mqttPort, localPort, 'mirror-secret-1');
    await writeFile(join(dir, 'mosquitto.conf'), conf);
    const mosquitto = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    onTestFinished(() => {
      mosquitto.kill('SIGTERM');
    });
    await once(mosquitto, 'spawn');
    await waitForPort(localPort);

    // Act
    const sub = spawn('mosquitto_sub', [
      ...['-h', '127.0.0.1', '-p', String(localPort), '-V', 'mqttv311'],
      ...['-t', 'likebox/v1/+/rooms/#', '-v', '-C', '2', '-W', '45'],
    ]);
    onTestFinished(() => {
      sub.kill('SIGTERM');
    });
    const lines: string[] = [];
    const reader = createInterface({ input: sub.stdout });
    reader.on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) {
        organiser.publishAsync(topic, tally(11), { qos, retain }).catch(() => undefined);
      }
    });
    const [code] = await once(sub, 'exit');

    // Assess
    expect(example).toMatch(/^topic likebox\/v1\/\+\/rooms\/# in 1$/m);
    expect(example).toMatch(/^topic likebox\/v1\/\+\/schedule in 1$/m);
    expect(example).not.toMatch(/^topic .* (out|both)\b/m);
    expect(code).toBe(0);
    expect(lines.map((line) => JSON.parse(line.slice(topic.length + 1)).likes)).toEqual([10, 11]);
    expect(lines.every((line) => line.startsWith(`${topic} `))).toBe(true);
    // The public role may not publish: a bridge that tried (notifications) would have been closed.
    expect(broker.health().clients).toBe(2); // the organiser and the bridge
  });
});
