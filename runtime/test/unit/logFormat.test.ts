import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logFormatOf, prettyDestination } from '../../src/logFormat.js';

describe('logFormatOf', () => {
  it('logs readable lines on a terminal and JSON elsewhere when auto or unset', () => {
    // Assess
    expect(logFormatOf('auto', true)).toBe('pretty');
    expect(logFormatOf(undefined, true)).toBe('pretty');
    expect(logFormatOf('auto', false)).toBe('json');
    expect(logFormatOf(undefined, false)).toBe('json');
  });

  it('does what LIKEBOX_LOG_FORMAT forces whatever the output', () => {
    // Assess
    expect(logFormatOf('json', true)).toBe('json');
    expect(logFormatOf('pretty', false)).toBe('pretty');
  });
});

describe('prettyDestination', () => {
  it('writes one readable line per entry, without colours off a terminal', () => {
    // Prepare
    const written: string[] = [];
    const destination = prettyDestination({ write: (line: string) => written.push(line) }, false);
    const log = pino({ name: 'up', level: 'info' }, destination);

    // Act
    log.child({ module: 'schedule' }).warn({ url: 'http://x/s.json' }, 'programme URL failed');

    // Assess
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\] WARN \(up\): programme URL failed \{"module":"schedule","url":"http:\/\/x\/s.json"\}\n$/,
    );
  });
});
