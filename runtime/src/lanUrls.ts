import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';

/**
 * The URLs a client on the LAN can open for a listener, for the banner of a command. A listener
 * bound to every address (`0.0.0.0`, or `::` which also takes IPv4 on Linux) prints as
 * `http://0.0.0.0:8080/`, which no phone or TV can open: it is listed instead at each address of
 * the machine's interfaces.
 */

/** Interfaces as `os.networkInterfaces()` gives them. */
export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Whether `bind` is a wildcard address (every interface). */
export function bindsEverywhere(bind: string): boolean {
  return bind === '0.0.0.0' || bind === '::' || bind === '[::]';
}

/**
 * The addresses a LAN client can reach a listener bound to `bind` at: every non-internal IPv4
 * address for `0.0.0.0`; and every non-internal IPv6 one too for `::`, except link-local ones
 * (`fe80::/10`, which a URL can only name with the interface's zone, and browsers refuse). Empty
 * when `bind` is one address (the listener's own URL is then the one to open).
 */
export function lanAddresses(bind: string, interfaces: Interfaces = networkInterfaces()): string[] {
  if (!bindsEverywhere(bind)) return [];
  const withV6 = bind !== '0.0.0.0';
  const found: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4') found.push(info.address);
      else if (withV6 && !/^fe[89ab]/i.test(info.address)) found.push(info.address);
    }
  }
  // IPv4 first (what people type), each address once (an address on two interfaces).
  const v4 = found.filter((address) => !address.includes(':'));
  const v6 = found.filter((address) => address.includes(':'));
  return [...new Set([...v4, ...v6])];
}

/**
 * The URLs to print for a listener at `url` bound to `bind`: `url` at each LAN address when bound
 * everywhere (loopback when the machine has no other address), else `url` itself. `url` is read
 * as text, scheme, port and path, since a listener's URL made of its bind address
 * (`http://:::8080`) is no URL `new URL` reads.
 */
export function lanUrls(url: string, bind: string, interfaces?: Interfaces): string[] {
  const parts = /^([a-z][a-z0-9+.-]*):\/\/.*:(\d+)(\/.*)?$/i.exec(url);
  if (!bindsEverywhere(bind) || parts === null) return [url];
  const [, scheme, port, path] = parts;
  const addresses = lanAddresses(bind, interfaces);
  return (addresses.length > 0 ? addresses : ['127.0.0.1']).map((address) => {
    const host = address.includes(':') ? `[${address}]` : address;
    return `${scheme}://${host}:${port}${path ?? ''}`;
  });
}
