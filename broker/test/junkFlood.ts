import { rawConnect } from '@likebox/runtime/testing';

/*
 * Run as a separate process (`node --import tsx test/junkFlood.ts PORT COUNT ADDRESSES`): sends
 * COUNT junk CONNECTs (wrong passwords for box-1) at once from ADDRESSES loopback addresses
 * (127.0.0.2, ...), as an attacker's machine would, then prints the CONNACK codes as JSON. Apart
 * from the broker's process, so that the flood's client work does not load the broker's event loop.
 */
const [port, count, addresses] = process.argv.slice(2).map(Number) as [number, number, number];
const junk = Array.from({ length: count }, (_, i) =>
  rawConnect(port, 'box-1', `junk-${i}`, `127.0.0.${2 + (i % addresses)}`),
);
process.stdout.write(`${JSON.stringify((await Promise.all(junk)).map((r) => r.code))}\n`);
