import { describe, expect, it } from 'vitest';
import { brokerCommand } from '../../src/brokerCommand.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('loadConfig', () => {
  it('gives the documented defaults when the environment is empty', () => {
    // Prepare
    const env = {};

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toMatchObject({
      LIKEBOX_EVENT: 'demo',
      LIKEBOX_BIND: '127.0.0.1',
      LIKEBOX_MQTT_PORT: 1883,
      LIKEBOX_WS_PORT: 9001,
      LIKEBOX_HTTP_PORT: 8080,
      LIKEBOX_ALLOW_ANONYMOUS: false,
      LIKEBOX_USERS_FILE: 'data/users.json',
    });
  });

  it('lists every problem at once when several variables are wrong', () => {
    // Prepare
    const env = {
      LIKEBOX_EVENT: 'Not A Slug',
      LIKEBOX_MQTT_PORT: '70000',
      LIKEBOX_TLS_CERT: 'cert.pem',
    };

    // Act
    const load = () => loadConfig(env);

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/LIKEBOX_EVENT[\s\S]*LIKEBOX_MQTT_PORT/);
  });

  it('turns a port of off into null and a flag into its variable', () => {
    // Prepare
    const argv = ['--ws-port', 'off', '--allow-anonymous', '--event', 'bzh'];

    // Act
    const config = brokerCommand.parse(argv, { LIKEBOX_MQTT_PORT: 'off' }).env;

    // Assess
    expect(config).toMatchObject({
      LIKEBOX_MQTT_PORT: null,
      LIKEBOX_WS_PORT: null,
      LIKEBOX_ALLOW_ANONYMOUS: true,
      LIKEBOX_EVENT: 'bzh',
    });
  });

  it('reports the TLS certificate without its key', () => {
    // Prepare
    const env = { LIKEBOX_TLS_CERT: 'cert.pem' };

    // Act
    const load = () => loadConfig(env);

    // Assess
    expect(load).toThrow(/LIKEBOX_TLS_CERT and LIKEBOX_TLS_KEY/);
  });
});
