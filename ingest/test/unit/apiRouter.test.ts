import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ApiError, ApiRouter } from '../../src/apiRouter.js';

/** Serves `router` (then 404 text for anything it does not answer) on a free port. */
async function serve(router: ApiRouter): Promise<string> {
  const server = createServer((req, res) => {
    void router.handle(req, res).then((answered) => {
      if (!answered) res.writeHead(404).end('not mine');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    server.close();
    server.closeAllConnections();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('ApiRouter', () => {
  it('adds a route in one line and hands it decoded path parameters and the query', async () => {
    // Prepare
    const errors: unknown[] = [];
    const router = new ApiRouter(undefined, (err) => errors.push(err));
    router.get('/api/v1/talks/:talk', (req) => ({
      json: { talk: req.params.talk, raw: req.query.get('raw') },
    }));
    router.get('/api/v1/boom', () => {
      throw new Error('secret stack');
    });
    router.get('/api/v1/teapot', () => {
      throw new ApiError(400, 'bad teapot', { field: 'tea' });
    });
    const url = await serve(router);

    // Act
    const talk = await fetch(`${url}/api/v1/talks/talk%2F12?raw=1`);
    const boom = await fetch(`${url}/api/v1/boom`);
    const teapot = await fetch(`${url}/api/v1/teapot`);
    const badEncoding = await fetch(`${url}/api/v1/talks/%E0%A4%A`);
    const post = await fetch(`${url}/api/v1/talks/t1`, { method: 'POST' });
    const elsewhere = await fetch(`${url}/live`);

    // Assess
    expect(await talk.json()).toEqual({ talk: 'talk/12', raw: '1' });
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('secret');
    expect(errors).toHaveLength(1);
    expect([teapot.status, await teapot.json()]).toEqual([
      400,
      { error: 'bad teapot', field: 'tea' },
    ]);
    expect(badEncoding.status).toBe(400);
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect(await elsewhere.text()).toBe('not mine');
  });
});
