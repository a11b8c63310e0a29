import { createRequire } from 'node:module';

/** The part of the `debug` package's API that this module relies on. */
type CreateDebug = (namespace: string) => Logger;

/** A `debug` logger: callable, with its namespace and whether it is on. */
interface Logger {
  (...args: unknown[]): void;
  enabled: boolean;
  namespace: string;
  extend: (namespace: string, delimiter?: string) => Logger;
}

/** Packages whose copies of mqtt-packet get quiet loggers: the broker's engine and MQTT.js. */
const PACKET_USERS = ['aedes', 'mqtt'];

const require = createRequire(import.meta.url);

/** The `debug` module files that the copies of mqtt-packet of {@link PACKET_USERS} load. */
function debugModulesOfMqttPacket(): string[] {
  const files = new Set<string>();
  for (const user of PACKET_USERS) {
    const fromUser = createRequire(require.resolve(user));
    const packet = createRequire(fromUser.resolve('mqtt-packet'));
    files.add(packet.resolve('debug'));
  }
  return [...files];
}

/** Marks a wrapped `debug` module, so that it is never wrapped twice. */
const QUIET = Symbol('likebox.quietDebug');

function isQuiet(createDebug: CreateDebug): boolean {
  return (createDebug as unknown as Record<symbol, unknown>)[QUIET] === true;
}

/** A logger that does nothing, standing in for a disabled one. */
function quietLogger(disabled: Logger): Logger {
  const logger = (() => undefined) as unknown as Logger;
  logger.enabled = false;
  logger.namespace = disabled.namespace;
  logger.extend = disabled.extend.bind(disabled);
  return logger;
}

/**
 * Makes mqtt-packet's disabled `debug` loggers free. mqtt-packet, which parses and writes every
 * MQTT packet for Aedes and MQTT.js, calls its loggers a dozen times per packet, and a disabled
 * logger of the `debug` package still allocates an array of its arguments on every call
 * (`function debug(...args)`): 14 % of everything the broker allocated during a flood. With
 * quiet loggers the broker delivered 10 % more QoS 0 and QoS 1 messages per second (bench/README.md).
 *
 * It wraps, in the CommonJS module cache, the `debug` module those copies of mqtt-packet load, so
 * that a logger created while its namespace is disabled is a function that does nothing. `DEBUG`
 * still works: a namespace enabled when mqtt-packet loads (`DEBUG=mqtt-packet:*`) gets the real
 * logger. What it gives up: enabling such a namespace later, at run time, with `debug.enable()`.
 *
 * It only works before mqtt-packet is loaded, so the entry points (`server/bin/likebox.js`, each
 * workspace's `main.js`) call it first, before they load anything that loads mqtt-packet.
 *
 * @returns the number of `debug` module files wrapped (0 when mqtt-packet was already loaded).
 */
export function quietPacketDebug(): number {
  const loaded = Object.keys(require.cache).some((file) => /[/\\]mqtt-packet[/\\]/.test(file));
  if (loaded) return 0;
  let wrapped = 0;
  for (const file of debugModulesOfMqttPacket()) {
    const createDebug = require(file) as CreateDebug;
    const cached = require.cache[file];
    if (cached === undefined || isQuiet(createDebug)) continue;
    cached.exports = new Proxy(createDebug, {
      apply(target, self, args: [string]) {
        const logger = Reflect.apply(target, self, args) as Logger;
        return logger.enabled ? logger : quietLogger(logger);
      },
      get(target, property, receiver) {
        return property === QUIET ? true : Reflect.get(target, property, receiver);
      },
    });
    wrapped += 1;
  }
  return wrapped;
}
