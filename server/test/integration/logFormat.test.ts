import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { LIKEBOX, upEnv } from '../../src/testing.js';

const run = promisify(execFile);

/** A command line whose config is refused: it logs one fatal entry, then exits. */
const BROKER = `${process.execPath} ${LIKEBOX} broker --mqtt-port 99999`;

/** Runs `command` under a real pseudo-terminal (util-linux `script`): what a person at a console sees. */
async function onTerminal(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run('script', ['-qfec', command, '/dev/null'], { env }).catch(
    (err: { stdout: string }) => err,
  );
  return stdout;
}

/** Runs `command` with its output on a pipe: what journald, Docker or a test reads. */
async function onPipe(env: NodeJS.ProcessEnv): Promise<string> {
  const [node, likebox, ...args] = BROKER.split(' ');
  const { stdout } = await run(node ?? '', [likebox ?? '', ...args], { env }).catch(
    (err: { stdout: string }) => err,
  );
  return stdout;
}

describe('log format of a command', () => {
  it('logs readable lines on a terminal and JSON lines on a pipe', async () => {
    // Prepare
    const env = upEnv(await tempDir('likebox-log-format-'));

    // Act
    const terminal = await onTerminal(BROKER, env);
    const pipe = await onPipe(env);

    // Assess
    expect(terminal).toMatch(/\[\d\d:\d\d:\d\d\] .*FATAL.* \(broker\): .*invalid configuration/);
    expect(terminal).not.toContain('{"level":');
    const first = JSON.parse(pipe.split('\n')[0] ?? '') as { level: number; msg: string };
    expect(first).toMatchObject({ level: 60, name: 'broker', msg: 'invalid configuration' });
  });

  it('does what LIKEBOX_LOG_FORMAT forces: JSON on a terminal, readable lines on a pipe', async () => {
    // Prepare
    const dir = await tempDir('likebox-log-format-');

    // Act
    const terminal = await onTerminal(BROKER, upEnv(dir, { LIKEBOX_LOG_FORMAT: 'json' }));
    const pipe = await onPipe(upEnv(dir, { LIKEBOX_LOG_FORMAT: 'pretty' }));

    // Assess
    expect(terminal).toContain('{"level":60,');
    expect(pipe).toMatch(/^\[\d\d:\d\d:\d\d\] FATAL \(broker\): invalid configuration/);
  });
});
