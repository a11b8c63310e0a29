import { describe, expect, it } from 'vitest';
import { configOf, loadConfig } from '../../src/config.js';
import { deviceCommand } from '../../src/deviceCommand.js';
import { ConfigError } from '../../src/errors.js';

describe('loadConfig', () => {
  it('lists every problem at once when several variables are wrong', () => {
    // Prepare
    const env = { LIKEBOX_IO: 'gpio', LIKEBOX_LCD: '40x2', LIKEBOX_PRESS_MS: '-1' };
    // Act
    const error = (() => {
      try {
        loadConfig(env);
      } catch (err) {
        return err as Error;
      }
      return null;
    })();
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    for (const key of ['LIKEBOX_DEVICE_ID', 'LIKEBOX_IO', 'LIKEBOX_LCD', 'LIKEBOX_PRESS_MS']) {
      expect(error?.message).toContain(key);
    }
  });

  it('uses BCM pin names when the IO is raspi', () => {
    // Act
    const config = loadConfig({
      LIKEBOX_DEVICE_ID: 'box-1',
      LIKEBOX_IO: 'raspi',
      LIKEBOX_PIN_BUZZER: 'none',
    });
    // Assess
    expect(config.pins).toEqual({ like: 'GPIO17', dislike: 'GPIO27', led: 'GPIO22', buzzer: null });
  });

  it('reads the LCD address in hex and pins as numbers when given as flags', () => {
    // Prepare
    const argv = ['--device-id', 'box-2', '--lcd-address=0x3f', '--pin-like', '7', '--keyboard'];
    // Act
    const config = configOf(deviceCommand.parse(argv, {}).env);
    // Assess
    expect([config.LIKEBOX_LCD_ADDRESS, config.pins.like, config.LIKEBOX_KEYBOARD]).toEqual([
      0x3f,
      7,
      true,
    ]);
  });

  it('refuses an unknown flag', () => {
    // Act / Assess
    expect(() => deviceCommand.parse(['--device-id', 'b', '--colour', 'red'], {})).toThrow(
      ConfigError,
    );
  });

  it('reads its log level from LIKEBOX_LOG_LEVEL, as every command does', () => {
    // Act
    const config = loadConfig({ LIKEBOX_DEVICE_ID: 'box-1', LIKEBOX_LOG_LEVEL: 'debug' });
    // Assess
    expect(config.LIKEBOX_LOG_LEVEL).toBe('debug');
  });
});
