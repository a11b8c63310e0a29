import { flagOf, parseArgs } from '@likebox/runtime';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { INGEST_HELP } from '../../src/ingestCommand.js';

describe('loadConfig', () => {
  it('runs on the journal alone with loopback defaults when nothing is set', () => {
    // Act
    const config = loadConfig({});

    // Assess
    expect(config).toMatchObject({
      event: 'demo',
      influx: undefined,
      mqtt: { url: 'mqtt://127.0.0.1:1883', username: 'ingest', clientId: 'likebox-ingest-demo' },
      http: { host: '127.0.0.1', port: 8080 },
    });
    expect(config.journalFile).toMatch(/data\/ingest-journal\.sqlite$/);
  });

  it('sends a 2.x/3.x token as the v1 password when a token is given', () => {
    // Act
    const config = loadConfig({
      LIKEBOX_INFLUX_URL: 'http://influx:8086',
      LIKEBOX_INFLUX_TOKEN: 'tok',
    });

    // Assess
    expect(config.influx).toMatchObject({
      username: 'likebox',
      password: 'tok',
      token: true,
      database: 'likebox',
    });
  });

  it('lists every problem at once when several settings are wrong', () => {
    // Act
    const load = () =>
      loadConfig({
        LIKEBOX_EVENT: 'Not A Slug',
        LIKEBOX_HTTP_PORT: '99999',
        LIKEBOX_INFLUX_URL: 'ftp://x',
        LIKEBOX_INFLUX_RETENTION: 'forever',
      });

    // Assess
    expect(load).toThrow(ConfigError);
    const message = (() => {
      try {
        load();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    for (const key of [
      'LIKEBOX_EVENT',
      'LIKEBOX_HTTP_PORT',
      'LIKEBOX_INFLUX_URL',
      'LIKEBOX_INFLUX_RETENTION',
    ]) {
      expect(message).toContain(key);
    }
  });
});

describe('parseArgs', () => {
  it('lets a flag win over its environment variable when both are given', () => {
    // Act
    const args = parseArgs(
      ['--event', 'devoxx', '--influx-url=http://a:1'],
      {
        LIKEBOX_EVENT: 'demo',
      },
      CONFIG_KEYS,
    );

    // Assess
    expect(args.env).toMatchObject({ LIKEBOX_EVENT: 'devoxx', LIKEBOX_INFLUX_URL: 'http://a:1' });
    expect(args.help).toBe(false);
  });

  it('refuses unknown flags and missing values all at once', () => {
    // Act
    const parse = () => parseArgs(['--nope', '--event'], {}, CONFIG_KEYS);

    // Assess
    expect(parse).toThrow(/unknown argument "--nope"[\s\S]*--event needs a value/);
  });
});

describe('INGEST_HELP', () => {
  it('documents every variable and its flag when printed', () => {
    // Assess
    for (const key of CONFIG_KEYS) {
      expect(INGEST_HELP).toContain(key);
      expect(INGEST_HELP).toContain(flagOf(key));
    }
  });
});
