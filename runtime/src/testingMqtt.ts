/*
 * A raw MQTT 3.1.1 CONNECT for tests (`@likebox/runtime/testing`): password guessing and junk
 * logins, lighter than an MQTT.js client. Shared by the broker tests and the fault suite.
 */

import { connect } from 'node:net';

/** What a raw CONNECT got: the CONNACK return code (-1 = closed without one) and the time. */
export interface RawConnack {
  /** CONNACK return code: 0 accepted, 3 server unavailable, 4 bad user name or password, 5 not authorized. */
  code: number;
  /** Ms from opening the socket to the CONNACK (or the close). */
  ms: number;
}

/** An MQTT 3.1.1 string: 2-byte length, UTF-8 bytes. */
function mqttString(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 255]), bytes]);
}

/** A CONNECT packet (MQTT 3.1.1, clean session, keepalive 60 s). */
export function connectPacket(clientId: string, username?: string, password?: string): Buffer {
  let flags = 0x02;
  const payload = [mqttString(clientId)];
  if (username !== undefined) {
    flags |= 0x80;
    payload.push(mqttString(username));
  }
  if (password !== undefined) {
    flags |= 0x40;
    payload.push(mqttString(password));
  }
  const body = Buffer.concat([mqttString('MQTT'), Buffer.from([4, flags, 0, 60]), ...payload]);
  const length: number[] = [];
  let rest = body.length;
  do {
    const digit = rest % 128;
    rest = Math.floor(rest / 128);
    length.push(rest > 0 ? digit | 128 : digit);
  } while (rest > 0);
  return Buffer.concat([Buffer.from([0x10, ...length]), body]);
}

let sequence = 0;

/**
 * Opens a TCP socket to the broker on 127.0.0.1 (from `localAddress`, another loopback address
 * such as 127.0.0.2 to play another machine), sends one CONNECT and resolves with its CONNACK;
 * closes the socket. Lighter than an MQTT.js client, so hundreds can run in parallel.
 */
export function rawConnect(
  port: number,
  username: string,
  password: string,
  localAddress = '127.0.0.1',
): Promise<RawConnack> {
  return new Promise((resolve) => {
    const start = performance.now();
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let received = Buffer.alloc(0);
    const finish = (code: number) => {
      socket.destroy();
      resolve({ code, ms: performance.now() - start });
    };
    socket.on('connect', () =>
      socket.write(connectPacket(`raw-${sequence++}`, username, password)),
    );
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4) finish(received[3] ?? -1);
    });
    socket.on('error', () => finish(-1));
    socket.on('close', () => finish(-1));
  });
}
