import { EpochMs, Slug } from '@likebox/protocol';
import { z } from 'zod';

/**
 * `/config.json`: what the page needs to reach the broker. Served by the web handler, validated by
 * the browser before use.
 */
export const PageConfig = z.strictObject({
  /** The event slug: the page subscribes to this event's schedule and rooms. */
  event: Slug,
  /** How the browser reaches the broker's MQTT-over-WebSocket listener. */
  mqtt: z.strictObject({
    /**
     * A fixed `ws://` or `wss://` URL (behind a reverse proxy), or null: then the page connects to
     * the host it was loaded from, on `port` and `path`, so a phone on the LAN reaches the broker
     * at the address it typed, never 127.0.0.1.
     */
    url: z.url({ protocol: /^wss?$/ }).nullable(),
    /** The broker's WebSocket port on the page's host, used when `url` is null. */
    port: z.int().min(1).max(65_535).nullable(),
    /** The WebSocket path on the broker, used when `url` is null. */
    path: z.string().startsWith('/').max(200),
    /** Username of a `public`-role account, when the broker refuses anonymous clients. */
    username: z.string().min(1).max(200).optional(),
    /** Its password (public role: read-only, meant to be handed out). */
    password: z.string().max(200).optional(),
  }),
  /** The server's clock when it answered, epoch ms: the page corrects a TV's wrong clock with it. */
  serverTime: EpochMs,
});

/** The parsed `/config.json`. */
export type PageConfig = z.infer<typeof PageConfig>;

/** The part of `window.location` the broker URL depends on. */
export interface PageLocation {
  /** `http:` or `https:`. */
  protocol: string;
  /** Host name the page was loaded from (brackets included for IPv6). */
  hostname: string;
}

/** The WebSocket URL of the broker as seen from a page loaded at `location`. */
export function brokerUrl(config: PageConfig, location: PageLocation): string {
  if (config.mqtt.url !== null) return config.mqtt.url;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const port = config.mqtt.port === null ? '' : `:${config.mqtt.port}`;
  return `${scheme}://${location.hostname}${port}${config.mqtt.path}`;
}
