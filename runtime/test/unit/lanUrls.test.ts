import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { type Interfaces, lanAddresses, lanUrls } from '../../src/lanUrls.js';

function v4(address: string, internal = false): NetworkInterfaceInfo {
  const base = { netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null };
  return { ...base, address, family: 'IPv4', internal };
}

function v6(address: string, internal = false): NetworkInterfaceInfo {
  const base = { netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', cidr: null };
  return { ...base, address, family: 'IPv6', internal, scopeid: 0 };
}

/** A Pi on Wi-Fi and Ethernet, as `os.networkInterfaces()` gives it. */
const PI: Interfaces = {
  lo: [v4('127.0.0.1', true), v6('::1', true)],
  eth0: [v4('192.168.1.20'), v6('fe80::1e69:7aff:fe00:1'), v6('2001:db8::20')],
  wlan0: [v4('10.0.0.7')],
};

describe('lanAddresses', () => {
  it('lists every non-internal IPv4 address when bound on 0.0.0.0', () => {
    // Act
    const addresses = lanAddresses('0.0.0.0', PI);

    // Assess
    expect(addresses).toEqual(['192.168.1.20', '10.0.0.7']);
  });

  it('adds the IPv6 addresses but link-local ones when bound on ::', () => {
    // Act
    const addresses = lanAddresses('::', PI);

    // Assess
    expect(addresses).toEqual(['192.168.1.20', '10.0.0.7', '2001:db8::20']);
  });

  it('lists none when bound to one address', () => {
    // Assess
    expect(lanAddresses('127.0.0.1', PI)).toEqual([]);
    expect(lanAddresses('192.168.1.20', PI)).toEqual([]);
  });
});

describe('lanUrls', () => {
  it('gives the URLs a LAN client opens instead of the wildcard', () => {
    // Act
    const http = lanUrls('http://0.0.0.0:8080/', '0.0.0.0', PI);
    const mqtt = lanUrls('mqtt://0.0.0.0:1883', '0.0.0.0', PI);
    const ws = lanUrls('ws://[::]:9001', '::', PI);
    const odd = lanUrls('http://:::8080/', '::', PI);

    // Assess
    expect(http).toEqual(['http://192.168.1.20:8080/', 'http://10.0.0.7:8080/']);
    expect(mqtt).toEqual(['mqtt://192.168.1.20:1883', 'mqtt://10.0.0.7:1883']);
    expect(ws).toEqual([
      'ws://192.168.1.20:9001',
      'ws://10.0.0.7:9001',
      'ws://[2001:db8::20]:9001',
    ]);
    expect(odd.at(-1)).toBe('http://[2001:db8::20]:8080/');
  });

  it('keeps the URL when bound to one address, and falls back to loopback without a LAN', () => {
    // Act
    const one = lanUrls('http://192.168.1.20:8080/', '192.168.1.20', PI);
    const alone = lanUrls('mqtt://0.0.0.0:1883', '0.0.0.0', { lo: [v4('127.0.0.1', true)] });

    // Assess
    expect(one).toEqual(['http://192.168.1.20:8080/']);
    expect(alone).toEqual(['mqtt://127.0.0.1:1883']);
  });
});
