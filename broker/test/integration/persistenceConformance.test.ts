import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/** Exit code and TAP output of `node --test` on one file. */
function nodeTest(file: string): Promise<{ code: number; tap: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--test', '--test-reporter=tap', file],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, tap: stdout });
      },
    );
  });
}

/** The `# <name> <n>` summary figure of a TAP output. */
function tapCount(tap: string, name: string): number {
  const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
  return match === null ? Number.NaN : Number(match[1]);
}

describe('LikeboxMemoryPersistence', () => {
  it('passes the aedes-persistence conformance suite when run like the base class', async () => {
    // Prepare
    const ours = fileURLToPath(new URL('../persistenceConformance.mjs', import.meta.url));
    const base = require.resolve('aedes-persistence/test/test-directAsync.js');

    // Act
    const [result, reference] = await Promise.all([nodeTest(ours), nodeTest(base)]);

    // Assess
    expect(reference.code).toBe(0);
    expect(tapCount(reference.tap, 'pass')).toBeGreaterThanOrEqual(50); // 50 in 11.0.0
    expect(result.code).toBe(0);
    expect(tapCount(result.tap, 'fail')).toBe(0);
    expect(tapCount(result.tap, 'pass')).toBe(tapCount(reference.tap, 'pass'));
  });
});
