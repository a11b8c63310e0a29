import type { MqttClient } from 'mqtt';

/*
 * The one module of the ingest that reaches past MQTT.js 5's documented API. Each export states
 * what it assumes; test/integration/mqttInternals.test.ts checks every assumption against the
 * installed version, so an upgrade that breaks one fails there, by name. `mqtt` is pinned with `~`.
 */

/** A packet on its way out of MQTT.js, as far as the ingest reads it. */
export interface OutgoingMqttPacket {
  /** Packet type: `puback`, `publish`, `subscribe`, `pingreq`... */
  cmd: string;
  /** Packet identifier, for the packets that carry one. */
  messageId?: number;
}

/**
 * Decides what becomes of a packet MQTT.js is about to send: true = taken (the interceptor must
 * call `cb` itself, at once if MQTT.js is to go on reading), false = sent as usual.
 */
export type PacketInterceptor = (packet: OutgoingMqttPacket, cb?: (err?: Error) => void) => boolean;

/**
 * Puts `intercept` in front of every packet MQTT.js sends on `client` through its private
 * `MqttClient#_sendPacket(packet, cb, cbStorePut, noStore)`, which it replaces by an own property
 * of the client: MQTT.js sends everything through it, looked up on the client at each call (its
 * packet handlers call `client['_sendPacket'](...)`). On MQTT 3.1.1, the PUBACK of a QoS 1 message
 * goes through it once `handleMessage` called back, as `{ cmd: 'puback', messageId }` with a
 * callback, and MQTT.js reads the next packet only after that callback.
 */
export function interceptSendPacket(client: MqttClient, intercept: PacketInterceptor): void {
  const internal = client as unknown as { _sendPacket: (...args: unknown[]) => void };
  const original = internal._sendPacket.bind(client);
  internal._sendPacket = (packet, cb, ...rest) => {
    if (intercept(packet as OutgoingMqttPacket, cb as (err?: Error) => void)) return;
    original(packet, cb, ...rest);
  };
}

/**
 * Writes ready-made MQTT packets (`bytes`, whole packets only) straight to the client's socket,
 * bypassing MQTT.js; false, writing nothing, when the client is not connected. Safe between
 * MQTT.js's own packets: MQTT.js writes each packet with synchronous writes to `client.stream`
 * (mqtt-packet's `writeToStream`), so no write of ours can land inside one of them.
 */
export function writeRawPackets(client: MqttClient, bytes: Uint8Array): boolean {
  if (!client.connected || client.stream.writable !== true) return false;
  client.stream.write(bytes);
  return true;
}
