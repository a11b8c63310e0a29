import { connect, type Socket } from 'node:net';
import { topics } from '@likebox/protocol';
import { eventually, rawConnect } from '@likebox/runtime/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, startBroker } from '../../src/index.js';
import {
  brokerWith,
  connectAs,
  nextMessage,
  PASSWORD,
  selfSigned,
  usersFileWith,
} from '../helpers.js';

/** Opens `count` TCP sockets to `port` that never send a byte; resolves once all are open. */
async function silentSockets(port: number, count: number): Promise<Socket[]> {
  const sockets = Array.from({ length: count }, () => connect(port, '127.0.0.1'));
  onTestFinished(() => {
    for (const socket of sockets) socket.destroy();
  });
  await Promise.all(
    sockets.map(
      (s) => new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject)),
    ),
  );
  return sockets;
}

describe('broker listeners', () => {
  it('answers a plain HTTP request on the WebSocket port with 426 naming the live page', async () => {
    // Prepare
    const broker = await brokerWith({}, { wsPort: 0, livePagePort: 8080 });

    // Act
    const response = await fetch(`http://127.0.0.1:${broker.wsPort}/`);

    // Assess
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    expect(await response.text()).toContain('The live page is at http://127.0.0.1:8080/');
  });

  it('closes WebSocket-port sockets that never upgrade, and keeps the MQTT clients on it', async () => {
    // Prepare
    const broker = await brokerWith(
      { organiser: 'organiser' },
      { wsPort: 0, handshakeTimeoutMs: 500 },
    );
    const client = await connectAs(broker.wsUrl!, 'organiser');
    const silent = await silentSockets(broker.wsPort!, 500);

    // Act
    await eventually(() => (silent.every((s) => s.closed) ? true : undefined), 10_000);

    // Assess: the upgraded client outlived the deadline and still works
    await client.subscribeAsync(topics.schedule('demo'), { qos: 1 });
    const received = nextMessage(client);
    await client.publishAsync(topics.schedule('demo'), '{}', { qos: 1 });
    expect((await received).topic).toBe(topics.schedule('demo'));
  });

  it('closes a TLS socket that does not finish its handshake in time', async () => {
    // Prepare
    const tls = await selfSigned();
    const broker = await brokerWith({}, { tls, tlsPort: 0, handshakeTimeoutMs: 300 });
    const [socket] = await silentSockets(broker.tlsPort!, 1);

    // Act
    await eventually(() => (socket!.closed ? true : undefined), 5000);

    // Assess
    expect(socket!.closed).toBe(true);
  });

  it('serves MQTT over TLS alone when the MQTT port is off', async () => {
    // Prepare
    const tls = await selfSigned();

    // Act
    const broker = await brokerWith(
      { organiser: 'organiser' },
      { mqttPort: null, tls, tlsPort: 0 },
    );
    const client = await connectAs(broker.mqttUrl, 'organiser', { ca: tls.cert });

    // Assess: the main URL is the TLS one, and plain MQTT finds no listener there
    expect(client.connected).toBe(true);
    expect(broker.mqttUrl).toBe(broker.mqttsUrl);
    expect(broker.mqttPort).toBe(broker.tlsPort);
    expect((await rawConnect(broker.mqttPort, 'organiser', PASSWORD)).code).toBe(-1);
  });

  it('refuses to start with the MQTT port off and no other listener', async () => {
    // Prepare
    const usersFile = await usersFileWith({});

    // Act
    const start = startBroker({ usersFile, mqttPort: null, wsPort: null });

    // Assess
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/LIKEBOX_MQTT_PORT/);
  });
});
