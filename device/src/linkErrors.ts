import type { Status } from '@likebox/protocol';
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type PublisherOptions, RECONNECT_MS } from './mqttOptions.js';

/** The box's link to the broker, as the status and the screen show it. */
export type LinkState = NonNullable<Status['link']>;

/** The longest wait between two logins the broker refused: 5 minutes. */
export const LOGIN_RETRY_MAX_MS = 300_000;
/** Default first wait after a refused login: 5 s. */
export const LOGIN_RETRY_MS = 5000;

/**
 * CONNACK codes of a refused login: 4 "bad username or password" and 5 "not authorized" (MQTT
 * 3.1.1, [MQTT-3.2.2.3]); 134 and 135, the same in MQTT 5. MQTT.js sets them as the `code` of
 * the error it emits.
 */
const LOGIN_REFUSED = new Set([4, 5, 134, 135]);

/** Whether an MQTT.js error is the broker refusing the login (not a network failure). */
export function isLoginRefused(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && LOGIN_REFUSED.has(code);
}

/**
 * The errors of a box's MQTT client, told apart. A network failure is logged once per outage at
 * warn (a box offline for hours would otherwise log every retry). A refused login (a wrong
 * password, an unknown box) is logged once per run of refusals at error level, and retried after
 * the first wait, then twice as long after each refusal up to {@link LOGIN_RETRY_MAX_MS}, so a box
 * never hammers the broker (which throttles failed logins anyway). MQTT.js retries a refused login
 * only with `reconnectOnConnackError`, and sets that retry up with `options.reconnectPeriod` right
 * after emitting the error (its connack handler): setting the period from here paces it.
 */
export class LinkErrors {
  readonly #o: PublisherOptions;
  readonly #log: Logger;
  readonly #firstMs: number;
  #nextMs: number;
  #refused = false;
  #logged = false;

  constructor(options: PublisherOptions, log: Logger) {
    this.#o = options;
    this.#log = log;
    this.#firstMs = options.loginRetryMs ?? LOGIN_RETRY_MS;
    this.#nextMs = this.#firstMs;
  }

  /** Whether the last login was refused (and none succeeded since). */
  get loginRefused(): boolean {
    return this.#refused;
  }

  /** An error of the client: true when it starts a run of refused logins (the screen changes). */
  onError(client: MqttClient, err: Error): boolean {
    if (!isLoginRefused(err)) {
      if (this.#logged) this.#log.debug({ err }, 'mqtt error');
      else this.#log.warn({ err }, 'mqtt error');
      this.#logged = true;
      return false;
    }
    const retryMs = this.#nextMs;
    client.options.reconnectPeriod = retryMs;
    this.#nextMs = Math.min(retryMs * 2, LOGIN_RETRY_MAX_MS);
    if (this.#refused) {
      this.#log.debug({ err, retryMs }, 'login refused again');
      return false;
    }
    this.#refused = true;
    const { url, username, device } = this.#o;
    this.#log.error(
      { err, url, username: username ?? device, retryMs },
      'the broker refused the login: check LIKEBOX_MQTT_PASSWORD, and that the broker has this ' +
        'box (likebox users add NAME --role device)',
    );
    return true;
  }

  /** Logged in: the next error is logged again, network failures get their own period back. */
  onConnect(client: MqttClient): void {
    this.#refused = false;
    this.#logged = false;
    this.#nextMs = this.#firstMs;
    client.options.reconnectPeriod = this.#o.reconnectMs ?? RECONNECT_MS;
  }
}
