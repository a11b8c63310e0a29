import type { IncomingMessage, ServerResponse } from 'node:http';
import { Slug } from '@likebox/protocol';
import { ConfigError } from '@likebox/runtime';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PageConfig } from './pageConfig.js';
import { pageShell } from './pageShell.js';
import { parseRoute } from './routes.js';
import { loadWebAssets, staticAsset, type WebAsset } from './webAssets.js';

/** Options of {@link createWebHandler}. */
export const WebHandlerOptions = z
  .strictObject({
    /** The event slug whose rooms the page shows. */
    event: Slug,
    /**
     * The broker's MQTT-over-WebSocket port. The page connects to it on the host name it was
     * loaded from (`ws://{location.hostname}:{port}{path}`), so a phone that opened
     * `http://192.168.1.10:8080/` reaches the broker at 192.168.1.10, never at 127.0.0.1.
     */
    mqttWsPort: z.int().min(1).max(65_535).optional(),
    /** A fixed broker URL instead (`wss://live.example.org/mqtt` behind a reverse proxy). */
    mqttWsUrl: z.url({ protocol: /^wss?$/ }).optional(),
    /** Path of the broker's WebSocket endpoint with `mqttWsPort`. Default `/`. */
    mqttWsPath: z.string().startsWith('/').default('/'),
    /**
     * A `public`-role account handed to every browser, for a broker that refuses anonymous clients
     * (`LIKEBOX_ALLOW_ANONYMOUS=false`). It is read-only by role; anyone who loads the page sees it.
     */
    publicCredentials: z
      .strictObject({ username: z.string().min(1), password: z.string() })
      .optional(),
  })
  .refine((options) => (options.mqttWsPort === undefined) !== (options.mqttWsUrl === undefined), {
    message: 'give exactly one of mqttWsPort and mqttWsUrl',
  });

/** Options of {@link createWebHandler} as written by the caller. */
export type WebHandlerOptionsInput = z.input<typeof WebHandlerOptions>;

/** Answers a request for the live page; resolves false when the path is not one of its own. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Only `/embed` may be framed by other sites; the other views only by this server's pages. */
function contentSecurityPolicy(embeddable: boolean): string {
  return [
    "default-src 'self'",
    "connect-src 'self' ws: wss:",
    "img-src 'self' data:",
    // MQTT.js runs its keepalive timers in a worker made from a blob, so background tabs keep them.
    "worker-src 'self' blob:",
    // uPlot positions its canvas and axes with inline styles.
    "style-src 'self' 'unsafe-inline'",
    `frame-ancestors ${embeddable ? '*' : "'self'"}`,
  ].join('; ');
}

function send(req: IncomingMessage, res: ServerResponse, asset: WebAsset, headers = {}): void {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const common = {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': asset.contentType,
    'cache-control': asset.cacheControl,
    etag: asset.etag,
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, common).end();
    return;
  }
  const body = gzip ? asset.gzip : asset.body;
  res.writeHead(200, {
    ...common,
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function pageConfig(options: z.output<typeof WebHandlerOptions>): Omit<PageConfig, 'serverTime'> {
  return {
    event: options.event,
    mqtt: {
      url: options.mqttWsUrl ?? null,
      port: options.mqttWsPort ?? null,
      path: options.mqttWsPath,
      ...options.publicCredentials,
    },
  };
}

/**
 * Reads the live page's prebuilt bundle (`npm run build` writes it to `dist/assets/`) and returns
 * the handler that serves it. Mount it on the HTTP server of `likebox up` next to `/health` and
 * `/metrics`: `if (!(await web(req, res))) { ...404 }`. Paths: `/`, `/rooms/{room}`,
 * `/talks/{talk}`, `/embed`, `/config.json`, and the bundle's `/assets/{name}.{hash}.{js,css}`.
 *
 * @throws ConfigError listing every invalid option.
 * @throws BundleMissingError when the bundle was not built, naming the command that builds it.
 */
export async function createWebHandler(
  input: WebHandlerOptionsInput,
  log?: Logger,
): Promise<WebHandler> {
  const parsed = WebHandlerOptions.safeParse(input);
  if (!parsed.success) throw new ConfigError(z.prettifyError(parsed.error));
  const options = parsed.data;
  const { manifest, files: assets } = await loadWebAssets();
  log?.info({ script: manifest.script, stylesheet: manifest.stylesheet }, 'live page loaded');
  const shell = staticAsset('text/html; charset=utf-8', pageShell(manifest));
  const config = pageConfig(options);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const asset = assets.get(url.pathname);
    const route = asset === undefined ? parseRoute(url.pathname, url.search) : null;
    if (asset === undefined && route === null && url.pathname !== '/config.json') {
      return Promise.resolve(false);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return Promise.resolve(true);
    }
    if (asset !== undefined) send(req, res, asset);
    else if (route !== null) {
      send(req, res, shell, {
        'content-security-policy': contentSecurityPolicy(route.view === 'embed'),
      });
    } else {
      const body = JSON.stringify({ ...config, serverTime: Date.now() });
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
    return Promise.resolve(true);
  };
}
