import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@likebox/runtime';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createWebHandler, PageConfig } from '../../src/index.js';

async function serve(options: Parameters<typeof createWebHandler>[0]): Promise<string> {
  const handler = await createWebHandler(options);
  const server = createServer((req, res) => {
    handler(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end('not ours');
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createWebHandler', { timeout: 30_000 }, () => {
  it('serves the page config for the host the browser came from', async () => {
    // Prepare
    const base = await serve({ event: 'demo', mqttWsPort: 9001 });

    // Act
    const response = await fetch(`${base}/config.json`);

    // Assess
    const config = PageConfig.parse(await response.json());
    expect(config).toMatchObject({ event: 'demo', mqtt: { url: null, port: 9001, path: '/' } });
    expect(Math.abs(config.serverTime - Date.now())).toBeLessThan(60_000);
  });

  it('serves each view, and lets only the embed be framed by other sites', async () => {
    // Prepare
    const base = await serve({ event: 'demo', mqttWsPort: 9001 });

    // Act
    const [overview, embed, room] = await Promise.all(
      ['/', '/embed?rooms=groix', '/rooms/groix'].map((path) => fetch(`${base}${path}`)),
    );

    // Assess
    expect(overview?.status).toBe(200);
    expect(await overview?.text()).toMatch(/src="\/assets\/app\.[A-Z0-9]+\.js"/);
    expect(embed?.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(room?.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });

  it('leaves other paths to the server it is mounted on', async () => {
    // Prepare
    const base = await serve({ event: 'demo', mqttWsPort: 9001 });

    // Act
    const responses = await Promise.all(
      ['/health', '/metrics', '/rooms/Not-A-Slug'].map((path) => fetch(`${base}${path}`)),
    );

    // Assess
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
  });

  it('serves the bundle the shell names, gzipped, cached for a year, 304 when the browser has it', async () => {
    // Prepare
    const base = await serve({ event: 'demo', mqttWsPort: 9001 });
    const shell = await fetch(`${base}/rooms/groix`);
    const html = await shell.text();
    const [script, stylesheet] = ['script type="module" src', 'link rel="stylesheet" href'].map(
      (tag) => new RegExp(`<${tag}="(/assets/[^"]+)"`).exec(html)?.[1] ?? 'none',
    );
    const first = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    const etag = first.headers.get('etag') ?? '';

    // Act
    const again = await fetch(`${base}${script}`, { headers: { 'if-none-match': etag } });
    const css = await fetch(`${base}${stylesheet}`, { headers: { 'accept-encoding': 'gzip' } });
    const unhashed = await fetch(`${base}/assets/app.js`);

    // Assess
    expect(script).toMatch(/^\/assets\/app\.[A-Z0-9]{8,}\.js$/);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    expect(first.headers.get('content-type')).toContain('javascript');
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(again.status).toBe(304);
    expect(css.headers.get('content-encoding')).toBe('gzip');
    expect(await css.text()).toContain('.uplot'); // fetch has gunzipped it
    expect(unhashed.status).toBe(404);
  });

  it('refuses to write', async () => {
    // Prepare
    const base = await serve({ event: 'demo', mqttWsPort: 9001 });

    // Act
    const response = await fetch(`${base}/`, { method: 'POST', body: 'x' });

    // Assess
    expect(response.status).toBe(405);
  });

  it('lists every bad option at once when the configuration is wrong', async () => {
    // Act
    const creating = createWebHandler({ event: 'Not A Slug', mqttWsUrl: 'http://x' });

    // Assess
    await expect(creating).rejects.toThrow(ConfigError);
    await expect(creating).rejects.toThrow(/event[\s\S]*mqttWsUrl/);
  });
});
