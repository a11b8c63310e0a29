import { describe, expect, it } from 'vitest';
import {
  type Ack,
  decodePayload,
  encodePayload,
  epochOf,
  LEGACY_EPOCH,
  MAX_PAYLOAD_BYTES,
} from '../../src/index.js';

/* The codec: bytes to a typed payload and back, within each kind's size limit. */

const AT = 1_434_024_000_000; // 2015-06-11T12:00:00Z
const huge = 'x'.repeat(100_000);

describe('decodePayload', () => {
  it('returns the typed payload when the bytes are a valid payload', () => {
    // Prepare
    const bytes = Buffer.from(
      JSON.stringify({ seq: 7, value: -1, at: AT, room: 'groix', synced: true }),
    );

    // Act
    const decoded = decodePayload('vote', bytes);

    // Assess
    expect(decoded).toEqual({
      success: true,
      data: { seq: 7, value: -1, at: AT, room: 'groix', synced: true },
    });
  });

  it('explains every problem when the payload is invalid, without throwing', () => {
    // Prepare
    const bytes = Buffer.from(
      JSON.stringify({ seq: 0, value: 5, at: AT, room: 'groix', synced: true }),
    );

    // Act
    const decoded = decodePayload('vote', bytes);

    // Assess
    expect(decoded.success).toBe(false);
    if (!decoded.success) {
      expect(decoded.error).toMatch(/seq/);
      expect(decoded.error).toMatch(/value/);
    }
  });

  it('rejects bytes that are not JSON, not UTF-8, or too large', () => {
    // Prepare
    const cases = [
      Buffer.from('{"seq":'),
      Buffer.from([0xff, 0xfe, 0x7b]),
      Buffer.from(
        JSON.stringify({ seq: 1, value: 1, at: AT, room: 'groix', synced: true, pad: huge }),
      ),
      '',
    ];

    // Act, Assess
    for (const payload of cases) expect(decodePayload('vote', payload).success).toBe(false);
    expect(decodePayload('vote', cases[2]!)).toMatchObject({ error: /exceeds 1024/ });
  });
});

describe('encodePayload', () => {
  it('serialises a valid payload and refuses an invalid one', () => {
    // Prepare, Act, Assess
    expect(encodePayload('ack', { seq: 3 })).toBe('{"seq":3}');
    expect(() => encodePayload('ack', { seq: -3 })).toThrow();
  });
});

describe('epochOf', () => {
  it('gives the legacy epoch "" when a payload carries none, and the epoch otherwise', () => {
    // Prepare
    const legacy: Ack = { seq: 3 };
    const current: Ack = { seq: 3, epoch: 'k3v9x0a1b2c4' };

    // Act
    const epochs = [epochOf(legacy), epochOf(current)];

    // Assess
    expect(epochs).toEqual([LEGACY_EPOCH, 'k3v9x0a1b2c4']);
    expect(LEGACY_EPOCH).toBe('');
  });

  it('keeps the largest ack and vote within their size limits', () => {
    // Prepare
    const epoch = 'z'.repeat(32);
    const ack = { seq: Number.MAX_SAFE_INTEGER, epoch, shared: false };
    const vote = {
      seq: Number.MAX_SAFE_INTEGER,
      epoch,
      value: -1 as const,
      at: AT,
      room: 'r'.repeat(63),
      synced: false,
    };

    // Act
    const sizes = [encodePayload('ack', ack).length, encodePayload('vote', vote).length];

    // Assess
    expect(sizes[0]).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES.ack);
    expect(sizes[1]).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES.vote);
  });
});
