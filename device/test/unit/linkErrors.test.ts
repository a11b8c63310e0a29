import { Writable } from 'node:stream';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isLoginRefused, LinkErrors } from '../../src/linkErrors.js';
import type { PublisherOptions } from '../../src/mqttOptions.js';

const OPTIONS: PublisherOptions = {
  ...{ url: 'mqtt://broker:1883', event: 'demo', device: 'box-1' },
  ...{ maxInflight: 10, ackTimeoutMs: 30_000, heartbeatMs: 30_000, loginRetryMs: 5000 },
};

/** A real pino logger whose lines are kept. */
function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

/** The one part of an MQTT.js client LinkErrors touches: its options. */
const clientOptions = () => ({ options: { reconnectPeriod: 2000 } }) as unknown as MqttClient;

/** An error as MQTT.js emits it for a refused CONNACK (`ErrorWithReasonCode`). */
const refused = (code: number) => Object.assign(new Error('Connection refused'), { code });

describe('LinkErrors', () => {
  it('tells refused logins (3.1.1 and 5 codes) from network errors', () => {
    // Assess
    for (const code of [4, 5, 134, 135]) expect(isLoginRefused(refused(code))).toBe(true);
    expect(isLoginRefused(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isLoginRefused(refused(3))).toBe(false);
  });

  it('logs a run of refused logins once at error and doubles the wait up to 5 minutes', () => {
    // Prepare
    const { log, lines } = capturedLog();
    const errors = new LinkErrors(OPTIONS, log);
    const client = clientOptions();
    const waits: number[] = [];

    // Act
    const first = errors.onError(client, refused(4));
    waits.push(client.options.reconnectPeriod ?? 0);
    for (let i = 0; i < 9; i++) {
      errors.onError(client, refused(5));
      waits.push(client.options.reconnectPeriod ?? 0);
    }
    const refusedBefore = errors.loginRefused;
    errors.onConnect(client);

    // Assess
    expect(first).toBe(true);
    expect(waits).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000,
    ]);
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
    expect(lines[0]?.msg).toContain('LIKEBOX_MQTT_PASSWORD');
    expect(refusedBefore).toBe(true);
    expect(errors.loginRefused).toBe(false);
    expect(client.options.reconnectPeriod).toBe(2000);
  });

  it('logs a network outage once at warn and leaves the reconnection period alone', () => {
    // Prepare
    const { log, lines } = capturedLog();
    const errors = new LinkErrors(OPTIONS, log);
    const client = clientOptions();
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

    // Act
    const changed = [errors.onError(client, outage), errors.onError(client, outage)];

    // Assess
    expect(changed).toEqual([false, false]);
    expect(lines.map((line) => line.level)).toEqual([40, 20]);
    expect(client.options.reconnectPeriod).toBe(2000);
    expect(errors.loginRefused).toBe(false);
  });
});
