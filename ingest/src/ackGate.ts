import type { MqttClient } from 'mqtt';
import { interceptSendPacket, writeRawPackets } from './mqttInternals.js';

/** First byte of an MQTT 3.1.1 PUBACK (type 4, no flags) and its remaining length (§3.4). */
const PUBACK_HEADER = 0x40;
const PUBACK_REMAINING = 2;
/** State of a message id in {@link AckGate}'s table: not held, marked to hold, PUBACK held. */
const FREE = 0;
const WAITING = 1;
const HELD = 2;

/**
 * Holds the PUBACKs of chosen QoS 1 messages until the caller releases them, without stalling the
 * client's packet processing.
 *
 * MQTT.js only delays a PUBACK through `customHandleAcks` on MQTT 5, and Aedes speaks 3.1.1. On
 * 3.1.1 MQTT.js sends the PUBACK when `handleMessage`'s callback is called, and does not read the
 * next packet before that: delaying the callback until the journal commit would handle one message
 * per commit. Instead `handleMessage` calls back at once and this gate intercepts the PUBACK on its
 * way out (`interceptSendPacket`), sending it only once the vote is durably stored. A crash before the
 * release leaves the message un-acked: with `clean: false` and the same client id the broker
 * redelivers it after the restart [MQTT-4.4.0-1], and the journal makes the redelivery a no-op.
 *
 * A release writes the PUBACKs of a whole commit as one buffer on the socket (4 bytes each): sent
 * one by one through MQTT.js, each costs three `stream.write` calls (header, length, id), which
 * took a tenth of the ingest's CPU during a flood. The state of each message id lives in a table
 * indexed by the 16-bit id (64 KiB, allocated once): sets growing and shrinking by thousands of ids
 * per commit were a fifth of the garbage V8 promoted to its old space during a flood.
 */
export class AckGate {
  readonly #state = new Uint8Array(65_536);
  #count = 0;
  #client: MqttClient | undefined;
  #generation = 0;

  /**
   * Wraps the client's packet sending; call once, before `connect()`.
   *
   * A PUBACK never leaves on another connection than its message's. MQTT.js goes on handling the
   * packets it had parsed when the socket closed (until it reconnects), and queues what it sends
   * while disconnected to write it on the next connection; there the broker numbers messages
   * afresh, so a stale PUBACK may acknowledge another message before it arrived (lost if that
   * connection drops too). So a PUBACK produced while disconnected is dropped (the broker
   * redelivers its message, and the journal makes the redelivery a no-op), and a connection's
   * generation starts at its CONNACK as well as ending at its close: a message handled in between
   * belongs to neither.
   */
  install(client: MqttClient): void {
    this.#client = client;
    interceptSendPacket(client, (packet, cb) => {
      if (packet.cmd !== 'puback' || packet.messageId === undefined) return false;
      if (!client.connected) {
        cb?.();
        return true;
      }
      if (this.#state[packet.messageId] !== WAITING) return false;
      this.#state[packet.messageId] = HELD;
      cb?.();
      return true;
    });
    client.on('close', () => this.reset());
    // At the CONNACK itself: MQTT.js emits `connect` later (after resending its own store), and
    // the new connection's first messages may be handled before that; `packetreceive` comes before
    // them (checked in test/integration/mqttInternals.test.ts).
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'connack') this.reset();
    });
  }

  /** The current connection's number: a release from an earlier connection is ignored. */
  get generation(): number {
    return this.#generation;
  }

  /** Marks `messageId` so that its PUBACK is held; call before `handleMessage`'s callback. */
  hold(messageId: number): void {
    if (this.#state[messageId] === FREE) this.#count += 1;
    this.#state[messageId] = WAITING;
  }

  /** Sends the held PUBACKs of `messageIds` if they belong to connection `generation`. */
  release(messageIds: readonly number[], generation: number): void {
    if (generation !== this.#generation || this.#client === undefined) return;
    const ready: number[] = [];
    for (const messageId of messageIds) {
      // Still waiting: MQTT.js has not produced the PUBACK yet and will send it straight through.
      const state = this.#state[messageId];
      if (state === FREE) continue;
      if (state === HELD) ready.push(messageId);
      this.#state[messageId] = FREE;
      this.#count -= 1;
    }
    if (ready.length > 0) this.#write(ready);
  }

  /**
   * Writes the PUBACKs of `messageIds` in one buffer, or none when the connection is going (not
   * through MQTT.js, which would queue them for the next connection).
   */
  #write(messageIds: number[]): void {
    const bytes = Buffer.allocUnsafe(messageIds.length * 4);
    let offset = 0;
    for (const messageId of messageIds) {
      bytes[offset] = PUBACK_HEADER;
      bytes[offset + 1] = PUBACK_REMAINING;
      bytes.writeUInt16BE(messageId, offset + 2);
      offset += 4;
    }
    if (this.#client !== undefined) writeRawPackets(this.#client, bytes);
  }

  /** PUBACKs currently held. */
  get heldCount(): number {
    return this.#count;
  }

  /** Forgets every held PUBACK: the connection is gone and the broker will redeliver. */
  reset(): void {
    this.#state.fill(FREE);
    this.#count = 0;
    this.#generation += 1;
  }
}
