import { describe, expect, it } from 'vitest';
import { brokerUrl, type PageConfig } from '../../src/pageConfig.js';
import { parseRoute, routePath, type WebRoute } from '../../src/routes.js';

describe('parseRoute', () => {
  it.each<[string, string, WebRoute]>([
    ['/', '', { view: 'overview' }],
    ['/rooms/belle-ile', '', { view: 'room', room: 'belle-ile' }],
    ['/rooms/groix/', '', { view: 'room', room: 'groix' }],
    ['/talks/KHP-2295', '', { view: 'talk', talk: 'KHP-2295' }],
    ['/talks/a%2Fb%20c', '', { view: 'talk', talk: 'a/b c' }],
    ['/embed', '', { view: 'embed', rooms: null }],
    ['/embed', '?rooms=groix,,Bad,brehat', { view: 'embed', rooms: ['groix', 'brehat'] }],
    ['/results', '?day=2026-06-12', { view: 'results' }],
    ['/organiser/', '', { view: 'organiser' }],
  ])('finds the view of %s%s', (path, search, route) => {
    expect(parseRoute(path, search)).toEqual(route);
  });

  it.each(['/health', '/metrics', '/rooms/Groix', '/rooms/a/b', '/talks/%E0', '/rooms', '/x'])(
    'leaves %s to other handlers when it is not a view',
    (path) => {
      expect(parseRoute(path)).toBeNull();
    },
  );

  it('gives back the path of every view when routed again', () => {
    // Prepare
    const routes: WebRoute[] = [
      { view: 'overview' },
      { view: 'room', room: 'groix' },
      { view: 'talk', talk: 'a/b?c' },
      { view: 'embed', rooms: ['groix', 'brehat'] },
      { view: 'results' },
      { view: 'organiser' },
    ];

    // Act
    const again = routes.map((route) => {
      const url = new URL(routePath(route), 'http://x');
      return parseRoute(url.pathname, url.search);
    });

    // Assess
    expect(again).toEqual(routes);
  });
});

describe('brokerUrl', () => {
  const config: PageConfig = {
    event: 'demo',
    mqtt: { url: null, port: 9001, path: '/' },
    serverTime: 1_750_000_000_000,
  };

  it('uses the host the page was loaded from when no URL is fixed', () => {
    expect(brokerUrl(config, { protocol: 'http:', hostname: '192.168.1.10' })).toBe(
      'ws://192.168.1.10:9001/',
    );
    expect(brokerUrl(config, { protocol: 'https:', hostname: '[::1]' })).toBe('wss://[::1]:9001/');
  });

  it('uses the fixed URL when one is configured', () => {
    const fixed = { ...config, mqtt: { ...config.mqtt, url: 'wss://live.example.org/mqtt' } };
    expect(brokerUrl(fixed, { protocol: 'http:', hostname: 'x' })).toBe(
      'wss://live.example.org/mqtt',
    );
  });
});
