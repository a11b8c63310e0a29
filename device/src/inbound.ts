import {
  type Ack,
  type DeviceConfig,
  decodePayload,
  type Now,
  parseTopic,
  type Schedule,
  type Tally,
} from '@likebox/protocol';

/** A validated message for the box, by kind. */
export type Inbound =
  | { kind: 'ack'; ack: Ack }
  | { kind: 'config'; config: DeviceConfig }
  | { kind: 'schedule'; schedule: Schedule }
  | { kind: 'now'; room: string; now: Now }
  | { kind: 'tally'; room: string; tally: Tally }
  /** A cleared retained message (empty payload): nothing to do. */
  | { kind: 'cleared' };

const WANTED = ['ack', 'config', 'schedule', 'now', 'tally'] as const;

/**
 * Takes apart a message received by the box `device` of `event`: the validated payload, or why it
 * is dropped (a topic the box did not subscribe to, another device's, an invalid payload). Pure.
 */
export function readInbound(
  event: string,
  device: string,
  topic: string,
  payload: Buffer,
): Inbound | { dropped: string } {
  const parsed = parseTopic(topic);
  if (parsed === null || parsed.event !== event) return { dropped: 'unexpected topic' };
  const kind = parsed.kind;
  if (!(WANTED as readonly string[]).includes(kind)) return { dropped: 'unexpected topic' };
  if ('device' in parsed && parsed.device !== device) return { dropped: 'another device' };
  if (payload.length === 0) return { kind: 'cleared' };
  const decoded = decodePayload(kind as (typeof WANTED)[number], payload);
  if (!decoded.success) return { dropped: decoded.error };
  const data = decoded.data;
  if (kind === 'ack') return { kind, ack: data as Ack };
  if (kind === 'config') return { kind, config: data as DeviceConfig };
  if (kind === 'schedule') return { kind, schedule: data as Schedule };
  if ('room' in parsed && kind === 'now') return { kind, room: parsed.room, now: data as Now };
  if ('room' in parsed) return { kind: 'tally', room: parsed.room, tally: data as Tally };
  return { dropped: 'unexpected topic' };
}
