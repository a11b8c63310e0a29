import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * A process logging 300 lines through `logDestination(1)` (its stdout), then saying on stderr that
 * it is still alive: a failing log must neither end it nor stop it.
 */
const CHILD = `
import { logDestination, prettyDestination } from '@likebox/runtime';
import { pino } from 'pino';
const destination = logDestination(1);
const log = pino({}, process.argv.includes('pretty') ? prettyDestination(destination, false) : destination);
let n = 0;
const timer = setInterval(() => {
  log.info({ n, padding: 'x'.repeat(200) }, 'a line');
  if (++n < 300) return;
  clearInterval(timer);
  process.stderr.write('still alive\\n');
}, 1);
`;

async function runChild(stdout: number | 'pipe', closeStdout: boolean, format = 'json') {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, format], {
    stdio: ['ignore', stdout, 'pipe'],
  });
  if (closeStdout) child.stdout?.destroy();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  return { code: code as number, stderr };
}

describe('logDestination', () => {
  it('keeps the process running and says so once when its output is a full disk (ENOSPC)', async () => {
    // Prepare: /dev/full answers every write with ENOSPC, as a log file on a full disk does.
    const full = openSync('/dev/full', 'w');

    // Act
    const result = await runChild(full, false);
    closeSync(full);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('still alive');
    expect(result.stderr.match(/log output failed \(ENOSPC\)/g)).toHaveLength(1);
  });

  it('keeps the process running when the reader of its output went away (EPIPE)', async () => {
    // Act
    const result = await runChild('pipe', true);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('still alive');
    expect(result.stderr).toContain('log output failed (EPIPE)');
  });

  it('survives a full disk and a closed pipe as well behind readable lines (LIKEBOX_LOG_FORMAT=pretty)', async () => {
    // Prepare
    const full = openSync('/dev/full', 'w');

    // Act
    const onFullDisk = await runChild(full, false, 'pretty');
    closeSync(full);
    const onClosedPipe = await runChild('pipe', true, 'pretty');

    // Assess
    expect(onFullDisk.code).toBe(0);
    expect(onFullDisk.stderr).toContain('still alive');
    expect(onFullDisk.stderr).toContain('log output failed (ENOSPC)');
    expect(onClosedPipe.code).toBe(0);
    expect(onClosedPipe.stderr).toContain('still alive');
  });
});
