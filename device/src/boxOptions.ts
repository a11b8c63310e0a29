import type { HardwareOptions } from './board.js';
import type { Config } from './config.js';
import type { PublisherOptions } from './publisher.js';
import type { VoteGateOptions } from './voteGate.js';

/** Columns and rows of the LCD (16x2 when there is none: the screens are still computed). */
export function lcdGeometry(config: Config): { cols: number; rows: number } {
  if (config.LIKEBOX_LCD === 'none') return { cols: 16, rows: 2 };
  const [cols, rows] = config.LIKEBOX_LCD.split('x').map(Number);
  return { cols: cols ?? 16, rows: rows ?? 2 };
}

/** The VoteGate's timings from the configuration. */
export function gateOptions(c: Config): VoteGateOptions {
  return {
    pressMs: c.LIKEBOX_PRESS_MS,
    releaseMs: c.LIKEBOX_RELEASE_MS,
    minIntervalMs: c.LIKEBOX_MIN_INTERVAL_MS,
    bootMs: c.LIKEBOX_BOOT_MS,
  };
}

/** The hardware wiring from the configuration. */
export function hardwareOptions(c: Config): HardwareOptions {
  return {
    pins: c.pins,
    pullup: c.LIKEBOX_PULLUP,
    lcd: c.LIKEBOX_LCD === 'none' ? null : { address: c.LIKEBOX_LCD_ADDRESS, ...lcdGeometry(c) },
  };
}

/** The MQTT side's options from the configuration. */
export function publisherOptions(c: Config): PublisherOptions {
  return {
    url: c.LIKEBOX_MQTT_URL,
    username: c.LIKEBOX_MQTT_USERNAME,
    password: c.LIKEBOX_MQTT_PASSWORD,
    event: c.LIKEBOX_EVENT,
    device: c.LIKEBOX_DEVICE_ID,
    maxInflight: c.LIKEBOX_MAX_INFLIGHT,
    ackTimeoutMs: c.LIKEBOX_ACK_TIMEOUT_S * 1000,
    heartbeatMs: c.LIKEBOX_HEARTBEAT_S * 1000,
    keepaliveS: c.LIKEBOX_KEEPALIVE_S,
    caFile: c.LIKEBOX_MQTT_CA,
    loginRetryMs: c.LIKEBOX_LOGIN_RETRY_S * 1000,
  };
}
