import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { check, type Health, healthOf, startHttpServer } from '../../src/index.js';

async function server(health: () => Health) {
  const registry = new Registry();
  const http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    health,
    registries: [registry],
    routes: (req, res) => {
      if (req.url !== '/own') return false;
      res.end('own route');
      return true;
    },
  });
  onTestFinished(() => http.close());
  return http;
}

describe('healthOf', () => {
  it('takes the worst status of the checks', () => {
    // Act
    const healths = [
      healthOf({}),
      healthOf({ a: { status: 'ok' }, b: check(false, 'degraded', 'slow') }),
      healthOf({ a: check(false, 'failing', 'down'), b: check(false, 'degraded', 'slow') }),
    ];

    // Assess
    expect(healths.map((health) => health.status)).toEqual(['ok', 'degraded', 'failing']);
    expect(healths[1]?.checks.b).toEqual({ status: 'degraded', reason: 'slow' });
  });
});

describe('startHttpServer', () => {
  it('answers /healthz and /health with 200 when ok, 503 with the reasons otherwise', async () => {
    // Prepare
    let connected = true;
    const http = await server(() =>
      healthOf({ mqtt: check(connected, 'failing', 'no broker', { connected }) }),
    );

    // Act
    const ok = await fetch(`${http.url}/healthz`);
    connected = false;
    const failing = await fetch(`${http.url}/health`);

    // Assess
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: 'ok',
      checks: { mqtt: { status: 'ok', connected: true } },
    });
    expect(failing.status).toBe(503);
    expect(await failing.json()).toEqual({
      status: 'failing',
      checks: { mqtt: { status: 'failing', reason: 'no broker', connected: false } },
    });
  });

  it('serves /metrics, then its own routes, and 404 for anything else', async () => {
    // Prepare
    const http = await server(() => healthOf({}));

    // Act
    const [metrics, own, missing] = await Promise.all(
      ['/metrics', '/own', '/nope'].map((path) => fetch(`${http.url}${path}`)),
    );

    // Assess
    expect([metrics?.status, own?.status, missing?.status]).toEqual([200, 200, 404]);
    expect(await own?.text()).toBe('own route');
  });
});
