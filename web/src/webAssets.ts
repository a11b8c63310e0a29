import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** One static file of the live page, ready to send. */
export interface WebAsset {
  /** `Content-Type` header. */
  contentType: string;
  /** The file as served without compression. */
  body: Buffer;
  /** The body compressed with gzip, sent to browsers that accept it. */
  gzip: Buffer;
  /** Strong validator: a hash of the body, quoted. */
  etag: string;
}

/**
 * The browser sources, found from this module's own place: `src/web/` in development and tests,
 * `dist/web/` after `tsc -b`; both sit two levels under the workspace root.
 */
const BROWSER_DIR = fileURLToPath(new URL('../src/browser/', import.meta.url));

/** Browsers the bundle targets: browsers of 2021 on (native private fields), as on TVs and phones. */
const TARGETS = ['es2022', 'chrome94', 'firefox93', 'safari15'];

/** Wraps a body as an asset: hash, gzip. */
export function staticAsset(contentType: string, body: Uint8Array | string): WebAsset {
  const buffer = Buffer.from(body);
  const hash = createHash('sha256').update(buffer).digest('base64url').slice(0, 22);
  return { contentType, body: buffer, gzip: gzipSync(buffer), etag: `"${hash}"` };
}

/**
 * Bundles the page's script (its code, MQTT.js's browser build, uPlot, zod and the protocol) and
 * stylesheet with esbuild, in memory, minified. Everything the page loads comes from this server:
 * no CDN, so it works on a closed conference network. Takes ~1 s; call it once at startup.
 *
 * @returns the assets keyed by URL path (`/assets/app.js`, `/assets/app.css`).
 */
export async function buildWebAssets(): Promise<Map<string, WebAsset>> {
  const result = await build({
    entryPoints: { app: `${BROWSER_DIR}main.ts`, style: `${BROWSER_DIR}styles.css` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: TARGETS,
    outdir: '/assets',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const assets = new Map<string, WebAsset>();
  for (const file of result.outputFiles) {
    if (file.path.endsWith('/app.js')) {
      assets.set('/assets/app.js', staticAsset('text/javascript; charset=utf-8', file.contents));
    } else if (file.path.endsWith('/style.css')) {
      assets.set('/assets/app.css', staticAsset('text/css; charset=utf-8', file.contents));
    }
  }
  return assets;
}
