import { randomInt } from 'node:crypto';
import { LEGACY_EPOCH } from '@likebox/protocol';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Characters of a new epoch: 36^12 ≈ 2^62 values, so two boxes never draw the same one. */
export const EPOCH_LENGTH = 12;

/** A new random outbox epoch: 12 base36 characters (`crypto.randomInt`, no modulo bias). */
export function newEpoch(): string {
  return Array.from({ length: EPOCH_LENGTH }, () => BASE36[randomInt(36)]).join('');
}

/**
 * The MQTT client id of a box: `{device}-{epoch}`, so two boxes configured with the same id hold
 * two sessions instead of taking each other's over (MQTT-3.1.4-2: a second CONNECT with a client
 * id disconnects the first). A box with the legacy epoch keeps its old client id, the device id.
 */
export function clientIdOf(device: string, epoch: string): string {
  return epoch === LEGACY_EPOCH ? device : `${device}-${epoch}`;
}
