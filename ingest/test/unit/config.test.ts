import { flagOf } from '@likebox/runtime';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { ingestCommand } from '../../src/ingestCommand.js';

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

  it('checks a programme URL every LIKEBOX_SCHEDULE_REFRESH_MINUTES, its copy in the data folder', () => {
    // Act
    const config = loadConfig({
      LIKEBOX_SCHEDULE_URL: 'https://pretalx.example.org/c/schedule.json',
      LIKEBOX_SCHEDULE_TZ: 'Europe/Paris',
      LIKEBOX_DATA_DIR: '/var/lib/likebox',
    });

    // Assess
    expect(config.scheduleUrl).toEqual({
      url: 'https://pretalx.example.org/c/schedule.json',
      everyMs: 300_000,
      dataDir: '/var/lib/likebox',
    });
    expect(config.scheduleTz).toBe('Europe/Paris');
  });

  it('refuses a programme file and a programme URL together', () => {
    // Act
    const load = () =>
      loadConfig({
        LIKEBOX_SCHEDULE_FILE: 'schedule.json',
        LIKEBOX_SCHEDULE_URL: 'http://x/s.json',
      });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('set LIKEBOX_SCHEDULE_FILE or LIKEBOX_SCHEDULE_URL, not both');
  });

  it('refuses a programme URL that is not http(s)', () => {
    // Act
    const load = () => loadConfig({ LIKEBOX_SCHEDULE_URL: 'ftp://example.org/schedule.xml' });

    // Assess
    expect(load).toThrow(/LIKEBOX_SCHEDULE_URL/);
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

describe('likebox ingest flags', () => {
  it('lets a flag win over its environment variable when both are given', () => {
    // Act
    const { env } = ingestCommand.parse(['--event', 'devoxx', '--influx-url=http://a:1'], {
      LIKEBOX_EVENT: 'demo',
    });

    // Assess
    expect(env).toMatchObject({ LIKEBOX_EVENT: 'devoxx', LIKEBOX_INFLUX_URL: 'http://a:1' });
  });

  it('refuses unknown flags and missing values all at once', () => {
    // Act
    const parse = () => ingestCommand.parse(['--nope', '--event'], {});

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/unknown option --nope[\s\S]*--event needs a value/);
  });

  it('turns off its HTTP server when the port is off', () => {
    // Act
    const config = loadConfig({ LIKEBOX_HTTP_PORT: 'off' });

    // Assess
    expect(config.http).toBeUndefined();
  });
});

describe('likebox ingest --help', () => {
  it('documents every variable and its flag when printed', () => {
    // Act
    const help = ingestCommand.help();

    // Assess
    for (const key of Object.keys(ConfigSchema.shape)) {
      expect(help).toContain(key);
      expect(help).toContain(`--${flagOf(key)}`);
    }
  });
});
