import type { MqttClient } from 'mqtt';

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void) => void;

/**
 * Holds the PUBACKs of chosen QoS 1 messages until the caller releases them, without stalling the
 * client's packet processing.
 *
 * MQTT.js only delays a PUBACK through `customHandleAcks` on MQTT 5, and Aedes speaks 3.1.1. On
 * 3.1.1 MQTT.js sends the PUBACK when `handleMessage`'s callback is called, and does not read the
 * next packet before that: delaying the callback until the journal commit would handle one message
 * per commit. Instead `handleMessage` calls back at once and this gate intercepts the PUBACK on its
 * way out (`_sendPacket`), sending it only once the vote is durably stored. A crash before the
 * release leaves the message un-acked: with `clean: false` and the same client id the broker
 * redelivers it after the restart [MQTT-4.4.0-1], and the journal makes the redelivery a no-op.
 */
export class AckGate {
  readonly #held = new Set<number>();
  readonly #waiting = new Set<number>();
  #send: SendPacket | undefined;
  #generation = 0;

  /** Wraps the client's packet sending; call once, before `connect()`. */
  install(client: MqttClient): void {
    const internal = client as unknown as { _sendPacket: SendPacket };
    const original = internal._sendPacket.bind(client);
    this.#send = original;
    internal._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd === 'puback' && packet.messageId !== undefined) {
        if (this.#waiting.delete(packet.messageId)) {
          this.#held.add(packet.messageId);
          cb?.();
          return;
        }
      }
      (original as (...args: unknown[]) => void)(packet, cb, ...rest);
    };
    client.on('close', () => this.reset());
  }

  /** The current connection's number: a release from an earlier connection is ignored. */
  get generation(): number {
    return this.#generation;
  }

  /** Marks `messageId` so that its PUBACK is held; call before `handleMessage`'s callback. */
  hold(messageId: number): void {
    this.#waiting.add(messageId);
  }

  /** Sends the held PUBACKs of `messageIds` if they belong to connection `generation`. */
  release(messageIds: readonly number[], generation: number): void {
    if (generation !== this.#generation || this.#send === undefined) return;
    for (const messageId of messageIds) {
      // Still waiting: MQTT.js has not produced the PUBACK yet and will send it straight through.
      if (this.#held.delete(messageId)) this.#send({ cmd: 'puback', messageId });
      else this.#waiting.delete(messageId);
    }
  }

  /** PUBACKs currently held. */
  get heldCount(): number {
    return this.#held.size + this.#waiting.size;
  }

  /** Forgets every held PUBACK: the connection is gone and the broker will redeliver. */
  reset(): void {
    this.#held.clear();
    this.#waiting.clear();
    this.#generation += 1;
  }
}
