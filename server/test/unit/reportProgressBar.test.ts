import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/report/progressBar.js';

/** A stream that says it is a terminal (or not) and keeps what is written. */
function stream(isTTY: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const out = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return Object.assign(out, { text: () => chunks.join('') });
}

describe('progressBar', () => {
  it('redraws one line in place on a terminal and clears it when done', async () => {
    // Prepare
    const out = stream(true);
    const bar = progressBar(out, 40, 'talks');

    // Act
    for (let done = 1; done <= 40; done++) bar.update(done);
    bar.done();
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    const text = out.text();
    expect(text).toContain(`\r[${'#'.repeat(30)}] 40/40 talks`);
    expect(text.match(/\r\[/g)?.length).toBeLessThanOrEqual(31); // once per step of the bar
    expect(text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('writes nothing on a pipe or for a small event', async () => {
    // Prepare
    const pipe = stream(false);
    const small = stream(true);

    // Act
    progressBar(pipe, 500, 'talks').update(250);
    progressBar(small, 5, 'talks').update(3);
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(pipe.text()).toBe('');
    expect(small.text()).toBe('');
  });
});
