import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  ASSETS_DIR,
  ASSETS_PATH,
  AssetManifest,
  BUILD_COMMAND,
  GZIP_SUFFIX,
  MANIFEST_FILE,
} from './assetManifest.js';
import { BundleMissingError } from './errors.js';

/** One static file of the live page, ready to send. */
export interface WebAsset {
  /** `Content-Type` header. */
  contentType: string;
  /** `Cache-Control` header: a year for a content-hashed name, else revalidate with the ETag. */
  cacheControl: string;
  /** The file as served without compression. */
  body: Buffer;
  /** The body compressed with gzip, sent to browsers that accept it. */
  gzip: Buffer;
  /** Strong validator: a hash of the body, quoted. */
  etag: string;
}

/** The files of the live page: the bundle by URL path, and the manifest naming them. */
export interface WebAssets {
  /** Which hashed files the page shell loads. */
  manifest: AssetManifest;
  /** Each bundle file by its URL path (`/assets/app.{hash}.js`, ...). */
  files: Map<string, WebAsset>;
}

/** A name that changes whenever the content does may be kept by browsers and proxies for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Anything else is revalidated (ETag): a restarted server may serve another build. */
const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Wraps a body built at run time (the page shell) as an asset: hash, gzip, revalidated. */
export function staticAsset(contentType: string, body: Uint8Array | string): WebAsset {
  const buffer = Buffer.from(body);
  return {
    contentType,
    cacheControl: REVALIDATE,
    body: buffer,
    gzip: gzipSync(buffer),
    etag: etagOf(buffer),
  };
}

function missing(dir: string, what: string, cause: unknown): BundleMissingError {
  return new BundleMissingError(
    `the live page's bundle in ${dir} ${what}; build it with: ${BUILD_COMMAND}`,
    { cause },
  );
}

async function readManifest(dir: string): Promise<AssetManifest> {
  const text = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch((err: unknown) => {
    throw missing(dir, `has no ${MANIFEST_FILE}`, err);
  });
  try {
    return AssetManifest.parse(JSON.parse(text));
  } catch (err) {
    throw missing(dir, `has an unreadable ${MANIFEST_FILE}`, err);
  }
}

async function readHashedFile(dir: string, name: string): Promise<WebAsset> {
  const extension = name.slice(name.lastIndexOf('.') + 1);
  const [body, gzip] = await Promise.all(
    [name, name + GZIP_SUFFIX].map((file) =>
      readFile(join(dir, file)).catch((err: unknown) => {
        throw missing(dir, `lacks ${file}, named by ${MANIFEST_FILE}`, err);
      }),
    ),
  );
  return {
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    cacheControl: IMMUTABLE,
    body: body as Buffer,
    gzip: gzip as Buffer,
    etag: etagOf(body as Buffer),
  };
}

/**
 * Reads the live page's bundle that `npm run build` wrote to `dir` (default: this workspace's
 * `dist/assets/`): nothing is bundled or compressed when the server starts. Everything the page
 * loads comes from this server: no CDN, so it works on a closed conference network.
 *
 * @throws BundleMissingError when the manifest or a file it names is missing (only `tsc -b` ran),
 *   naming the command that builds it.
 */
export async function loadWebAssets(dir = ASSETS_DIR): Promise<WebAssets> {
  const manifest = await readManifest(dir);
  const files = new Map<string, WebAsset>();
  for (const name of [manifest.script, manifest.stylesheet]) {
    files.set(ASSETS_PATH + name, await readHashedFile(dir, name));
  }
  return { manifest, files };
}
