import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Where `npm run build` puts the page's bundle: `dist/assets/` of this workspace, found from this
 * module's own place (`src/` under tsx and vitest, `dist/` once compiled; both one level down).
 */
export const ASSETS_DIR = fileURLToPath(new URL('../dist/assets/', import.meta.url));

/** Name of the manifest in {@link ASSETS_DIR}, written last by the build. */
export const MANIFEST_FILE = 'manifest.json';

/** Suffix of the gzip copy the build writes beside each file. */
export const GZIP_SUFFIX = '.gz';

/** The URL path under which every bundle file is served: `/assets/{file}`. */
export const ASSETS_PATH = '/assets/';

/** The command that builds the bundle, named by the error when it is missing. */
export const BUILD_COMMAND = 'npm run build (at the repository root; or: npm run build -w web)';

/**
 * A bundle file's name: `{entry}.{content hash}.{js|css}`. A name says what its content is, so a
 * browser may keep it for a year; the pattern also keeps a manifest from pointing outside the
 * assets directory.
 */
const HashedFileName = z.string().regex(/^[a-z]+\.[A-Z0-9]{8,}\.(js|css)$/);

/** `dist/assets/manifest.json`: which hashed files the page shell loads. */
export const AssetManifest = z.strictObject({
  /** The page's script (its code, MQTT.js's browser build, uPlot, zod, the protocol), ESM. */
  script: HashedFileName,
  /** The page's stylesheet (its own and uPlot's). */
  stylesheet: HashedFileName,
});

/** The parsed manifest. */
export type AssetManifest = z.infer<typeof AssetManifest>;
