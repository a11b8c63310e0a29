import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/*
 * Contract test of src/quietDebug.ts, the one module that reaches into mqtt-packet: it assumes that
 * mqtt-packet, as Aedes and MQTT.js load it, creates its loggers when it loads, by calling the
 * export of the `debug` module that quietDebug finds, through the CommonJS module cache. An
 * upgrade that breaks this (ESM mqtt-packet, another logger, loggers made per call) fails here.
 */

/**
 * In a fresh node process: imports quietDebug first, records every logger created through the
 * `debug` modules it wrapped, then imports Aedes and MQTT.js as the services do; prints what it saw.
 */
const RECORD_LOGGERS_OF_AEDES_AND_MQTT = `
import { quietPacketDebug } from '@likebox/runtime/quiet-debug';
import { createRequire } from 'node:module';
quietPacketDebug(); // as the entry points do (a no-op when importing it already did)
const require = createRequire(import.meta.url);
const files = new Set();
for (const user of ['aedes', 'mqtt']) {
  const packet = createRequire(createRequire(require.resolve(user)).resolve('mqtt-packet'));
  files.add(packet.resolve('debug'));
}
const loggers = [];
for (const file of files) {
  const cached = require.cache[file];
  cached.exports = new Proxy(cached.exports, {
    apply(target, self, args) {
      const logger = Reflect.apply(target, self, args);
      loggers.push({ namespace: args[0], enabled: logger.enabled, real: 'useColors' in logger });
      return logger;
    },
  });
}
await import('aedes');
await import('mqtt');
const fromPacket = loggers.filter((logger) => logger.namespace.startsWith('mqtt-packet:'));
console.log(JSON.stringify({ fromPacket }));
`;

describe('mqtt-packet as quietPacketDebug patches it', () => {
  it('creates its loggers at load, through the `debug` module quietDebug wrapped', async () => {
    // Prepare
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => name !== 'DEBUG'),
    );

    // Act
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', RECORD_LOGGERS_OF_AEDES_AND_MQTT],
      { env, cwd: import.meta.dirname },
    );

    // Assess
    const seen = JSON.parse(stdout) as {
      fromPacket: { namespace: string; enabled: boolean; real: boolean }[];
    };
    const namespaces = new Set(seen.fromPacket.map((logger) => logger.namespace));
    expect([...namespaces].sort()).toEqual(['mqtt-packet:parser', 'mqtt-packet:writeToStream']);
    for (const logger of seen.fromPacket)
      expect(logger).toMatchObject({ enabled: false, real: false });
  });
});
