import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { InvalidMessages, reasonOf } from '../../src/invalidMessages.js';
import { Journal } from '../../src/journal.js';
import { createMetrics } from '../../src/metrics.js';

function setup() {
  const journal = new Journal(':memory:');
  onTestFinished(() => journal.close());
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const metrics = createMetrics();
  const invalid = new InvalidMessages(journal, metrics, pino(stream));
  return { journal, lines, metrics, invalid };
}

const letter = (received: number) => ({
  received,
  topic: 'likebox/v1/e/devices/box-1/vote',
  reason: 'not JSON: x',
  payload: new Uint8Array([120]),
});

describe('InvalidMessages', () => {
  it('logs a flooding box once per interval but counts and keeps every message', async () => {
    // Prepare
    const { journal, lines, metrics, invalid } = setup();

    // Act
    for (let i = 0; i < 50; i += 1) invalid.reject('vote', 'box-1', letter(1000 + i), 'not-json');
    invalid.reject('vote', 'box-1', letter(1000 + 10_001), 'not-json');
    invalid.reject('vote', 'box-2', letter(1000), 'not-json');

    // Assess
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ source: 'box-1', suppressed: 49 });
    expect(invalid.count).toBe(52);
    expect(journal.deadLetters(100)).toHaveLength(52);
    expect(await metrics.registry.metrics()).toMatch(
      /likebox_ingest_messages_invalid_total\{kind="vote",reason="not-json"\} 52/,
    );
  });

  it('names the reason of a decode error with a short label', () => {
    // Act
    const reasons = [
      'payload of 9000 bytes exceeds 1024',
      'not JSON: Unexpected token',
      '✖ Invalid input',
    ].map(reasonOf);

    // Assess
    expect(reasons).toEqual(['too-large', 'not-json', 'schema']);
  });
});
