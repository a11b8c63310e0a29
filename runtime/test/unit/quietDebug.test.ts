import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Runs `body` as an ES module in a fresh node process (the CommonJS module cache is per process,
 * and this test's own process may have loaded mqtt-packet already), with `DEBUG` set or not.
 * `body` sees `quiet` (the module under test, imported first), `wrapped` (what calling it first
 * did, as every entry point does) and `mqttPacket`, loaded after it.
 */
function inFreshNode(body: string, debug?: string) {
  const code = [
    "import * as quiet from '@likebox/runtime/quiet-debug';",
    "import { createRequire } from 'node:module';",
    'const wrapped = quiet.quietPacketDebug();',
    'const require = createRequire(import.meta.url);',
    "const mqttPacket = require('mqtt-packet');",
    body,
  ].join('\n');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DEBUG'));
  if (debug !== undefined) env.DEBUG = debug;
  return run(process.execPath, ['--input-type=module', '-e', code], {
    env,
    cwd: import.meta.dirname,
  });
}

/** Parses a PUBLISH with mqtt-packet and prints what it got, as JSON on stdout. */
const PARSE_A_PUBLISH = `
const packet = mqttPacket.generate({ cmd: 'publish', topic: 'a/b', payload: 'hi', qos: 1, messageId: 7 });
const parser = mqttPacket.parser();
parser.on('packet', (p) => console.log(JSON.stringify({ wrapped, topic: p.topic, messageId: p.messageId, payload: p.payload.toString() })));
parser.parse(packet);
`;

describe('quietPacketDebug', () => {
  it('replaces the disabled loggers of mqtt-packet with no-ops; packets still parse', async () => {
    const { stdout, stderr } = await inFreshNode(
      `${PARSE_A_PUBLISH}
const fromPacket = createRequire(require.resolve('mqtt-packet'));
const logger = fromPacket('debug')('mqtt-packet:parser');
console.log(JSON.stringify({ enabled: logger.enabled, real: 'useColors' in logger }));`,
    );
    const [parsed, logger] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(parsed).toEqual({ wrapped: 1, topic: 'a/b', messageId: 7, payload: 'hi' });
    expect(logger).toEqual({ enabled: false, real: false });
    expect(stderr).toBe('');
  });

  it('keeps the real loggers of namespaces enabled by DEBUG', async () => {
    const { stdout, stderr } = await inFreshNode(PARSE_A_PUBLISH, 'mqtt-packet:*');
    expect(JSON.parse(stdout)).toMatchObject({ wrapped: 1, topic: 'a/b' });
    expect(stderr).toContain('mqtt-packet:parser');
  });

  it('wraps nothing once mqtt-packet is loaded, and never twice', async () => {
    const { stdout } = await inFreshNode('console.log(quiet.quietPacketDebug());');
    expect(stdout.trim()).toBe('0');
  });

  it('does nothing on import: importing it alone leaves the loggers of mqtt-packet real', async () => {
    const code = [
      "import '@likebox/runtime/quiet-debug';",
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      "const fromPacket = createRequire(require.resolve('mqtt-packet'));",
      "const logger = fromPacket('debug')('mqtt-packet:parser');",
      "console.log('useColors' in logger);",
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
      cwd: import.meta.dirname,
    });
    expect(stdout.trim()).toBe('true');
  });
});
