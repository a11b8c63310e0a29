import { z } from 'zod';
import { type PayloadOf, type TopicKind, TopicPayloads } from './topics.js';

/** Largest payload accepted for each kind of topic, in bytes; a schedule is the only large one. */
export const MAX_PAYLOAD_BYTES: Readonly<Record<TopicKind, number>> = {
  vote: 1024,
  status: 4096,
  ack: 256,
  config: 4096,
  schedule: 4 * 1024 * 1024,
  now: 16 * 1024,
  tally: 1024,
  votes: 1024,
  delay: 256,
  lease: 512,
  notice: 4096,
  result: 1024,
  headcount: 256,
};

/** The outcome of {@link decodePayload}: the typed payload, or a message saying what is wrong. */
export type Decoded<K extends TopicKind> =
  | { success: true; data: PayloadOf<K> }
  | { success: false; error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and validates a payload received on a topic of kind `kind`. Never throws: too large, not
 * UTF-8, not JSON or not valid for the schema all give `success: false` with a readable message
 * listing every problem.
 */
export function decodePayload<K extends TopicKind>(
  kind: K,
  payload: Uint8Array | string,
): Decoded<K> {
  const size = typeof payload === 'string' ? payload.length : payload.byteLength;
  if (size > MAX_PAYLOAD_BYTES[kind]) {
    return { success: false, error: `payload of ${size} bytes exceeds ${MAX_PAYLOAD_BYTES[kind]}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : utf8.decode(payload));
  } catch (err) {
    return { success: false, error: `not JSON: ${(err as Error).message}` };
  }
  const result = TopicPayloads[kind].safeParse(json);
  if (!result.success) return { success: false, error: z.prettifyError(result.error) };
  return { success: true, data: result.data as PayloadOf<K> };
}

/** Validates an outgoing payload and serialises it; throws a `ZodError` when it breaks the contract. */
export function encodePayload<K extends TopicKind>(kind: K, payload: PayloadOf<K>): string {
  return JSON.stringify(TopicPayloads[kind].parse(payload));
}
