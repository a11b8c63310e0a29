import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { build } from 'esbuild';
import {
  ASSETS_DIR,
  type AssetManifest,
  GZIP_SUFFIX,
  MANIFEST_FILE,
} from '../src/assetManifest.js';

const gzipAsync = promisify(gzip);

/** The browser sources of the page. */
const BROWSER_DIR = fileURLToPath(new URL('../src/browser/', import.meta.url));

/** Browsers the bundle targets: browsers of 2021 on (native private fields), as on TVs and phones. */
const TARGETS = ['es2022', 'chrome94', 'firefox93', 'safari15'];

/** What {@link buildBundle} wrote. */
export interface BundleReport {
  /** The manifest it wrote. */
  manifest: AssetManifest;
  /** Size of each file, raw and gzipped, by file name. */
  sizes: Record<string, { bytes: number; gzipBytes: number }>;
  /** How long it took, ms. */
  ms: number;
}

/** Writes `body` to `file` through a temporary file and a rename: a reader never sees half of it. */
async function writeAtomically(file: string, body: Uint8Array | string): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, file);
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Bundles the script and the stylesheet in memory, minified, named by their content hash. */
async function bundle(outDir: string) {
  const result = await build({
    entryPoints: { app: `${BROWSER_DIR}main.ts`, style: `${BROWSER_DIR}styles.css` },
    entryNames: '[name].[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: TARGETS,
    outdir: outDir,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const file = (suffix: string) => {
    const found = result.outputFiles.find((output) => output.path.endsWith(suffix));
    if (found === undefined) throw new Error(`esbuild wrote no ${suffix} file`);
    return found;
  };
  return { script: file('.js'), stylesheet: file('.css') };
}

/**
 * Builds the live page's bundle into `outDir` (default `dist/assets/`): `app.{hash}.js` (the
 * page's code, MQTT.js's browser build, uPlot, zod and the protocol), `style.{hash}.css`, a
 * `.gz` copy of each (gzip level 9: compressed once here, not on every start) and
 * `manifest.json`, written last. A file whose name already exists is kept (same name, same
 * content), the rest go through a rename, and files of earlier builds are removed once the new
 * manifest is in place: a server reading the directory meanwhile sees one whole build or the other.
 */
export async function buildBundle(outDir = ASSETS_DIR): Promise<BundleReport> {
  const started = Date.now();
  await mkdir(outDir, { recursive: true });
  const outputs = await bundle(outDir);
  const manifest: AssetManifest = {
    script: basename(outputs.script.path),
    stylesheet: basename(outputs.stylesheet.path),
  };
  const sizes: BundleReport['sizes'] = {};
  for (const output of [outputs.script, outputs.stylesheet]) {
    const name = basename(output.path);
    const compressed = await gzipAsync(output.contents, { level: constants.Z_BEST_COMPRESSION });
    sizes[name] = { bytes: output.contents.length, gzipBytes: compressed.length };
    if (await exists(join(outDir, name + GZIP_SUFFIX))) continue;
    await writeAtomically(join(outDir, name), output.contents);
    await writeAtomically(join(outDir, name + GZIP_SUFFIX), compressed);
  }
  await writeAtomically(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const keep = new Set([MANIFEST_FILE, ...Object.keys(sizes).flatMap((n) => [n, n + GZIP_SUFFIX])]);
  for (const entry of await readdir(outDir)) {
    if (!keep.has(entry)) await rm(join(outDir, entry), { force: true });
  }
  return { manifest, sizes, ms: Date.now() - started };
}
