import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../../bin/likebox.js', import.meta.url).pathname;

/** Runs `likebox ...args` and returns its exit code and output, whatever the exit code. */
async function likebox(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('likebox', () => {
  it('lists every command of the architecture when asked for help', async () => {
    // Prepare, Act
    const help = await likebox('--help');

    // Assess
    expect(help.code).toBe(0);
    for (const command of [
      'up',
      'broker',
      'ingest',
      'device',
      'sim',
      'users',
      'schedule',
      'dashboards',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    }
  });

  it('refuses an unknown command with the usage and exit code 2', async () => {
    // Prepare, Act
    const result = await likebox('launch-rockets');

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "launch-rockets"/);
    expect(result.stderr).toMatch(/Commands:/);
  });

  it('prints the version', async () => {
    // Prepare, Act
    const result = await likebox('--version');

    // Assess
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
