/// <reference lib="dom" />
import { filters } from '@likebox/protocol';
// The browser build of MQTT.js (dist/mqtt.esm.js, picked by the `browser` export condition) has
// only a default export.
import mqtt, { type MqttClient } from 'mqtt';
import type { LiveState } from './liveState.js';

/** State of the page's connection to the broker, shown by the indicator. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** Options of {@link startLiveFeed}. */
export interface LiveFeedOptions {
  /** WebSocket URL of the broker. */
  url: string;
  /** Username of a public-role account, when the broker refuses anonymous clients. */
  username?: string;
  /** Its password. */
  password?: string;
  /** Called on every change of the connection state. */
  onState: (state: ConnectionState) => void;
}

/** Delay between reconnection attempts: short, a display must come back quickly after a restart. */
const RECONNECT_MS = 1000;

/**
 * Connects to the broker over WebSocket with the public role and feeds every message of the event's
 * schedule and rooms into `state`. MQTT.js reconnects by itself, the page subscribes again and the broker then
 * sends the retained schedule, `now` and `tally` again, so the page catches up without polling.
 */
export function startLiveFeed(state: LiveState, options: LiveFeedOptions): MqttClient {
  const client = mqtt.connect(options.url, {
    protocolVersion: 4, // Aedes speaks MQTT 3.1.1 only.
    clean: true,
    reconnectPeriod: RECONNECT_MS,
    connectTimeout: 5000,
    keepalive: 30,
    resubscribe: false, // subscribed again on every connect below
    username: options.username,
    password: options.password,
  });
  options.onState('connecting');
  client.on('connect', () => {
    options.onState('live');
    // Subscribing on every connect (not only the first) also covers a broker that lost its
    // sessions, as a fresh broker after a restart has.
    client.subscribe([filters.schedule(state.event), filters.rooms(state.event)], { qos: 1 });
  });
  client.on('reconnect', () => options.onState('reconnecting'));
  client.on('close', () => options.onState('reconnecting'));
  client.on('error', () => options.onState('reconnecting'));
  client.on('message', (topic, payload) => state.handleMessage(topic, payload));
  return client;
}
