import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../scripts/bundle.js';
import { loadWebAssets } from '../../src/index.js';

describe('buildBundle', { timeout: 60_000 }, () => {
  it('writes content-hashed files, their gzip copies and the manifest the server reads', async () => {
    // Prepare
    const dir = await tempDir('likebox-web-bundle-');

    // Act
    const report = await buildBundle(dir);
    const assets = await loadWebAssets(dir);

    // Assess
    expect(assets.manifest).toEqual(report.manifest);
    expect(report.manifest.script).toMatch(/^app\.[A-Z0-9]{8,}\.js$/);
    expect(report.manifest.stylesheet).toMatch(/^style\.[A-Z0-9]{8,}\.css$/);
    expect([...assets.files.keys()]).toEqual([
      `/assets/${report.manifest.script}`,
      `/assets/${report.manifest.stylesheet}`,
    ]);
    for (const asset of assets.files.values()) {
      expect(gunzipSync(asset.gzip).equals(asset.body)).toBe(true);
    }
  });

  it('keeps the files of an unchanged build and removes those of an earlier one', async () => {
    // Prepare
    const dir = await tempDir('likebox-web-bundle-');
    await writeFile(join(dir, 'app.OLDBUILD.js'), 'stale');
    await writeFile(join(dir, 'app.OLDBUILD.js.gz'), 'stale');
    const first = await buildBundle(dir);
    const written = await stat(join(dir, first.manifest.script));

    // Act
    const second = await buildBundle(dir);

    // Assess
    expect(second.manifest).toEqual(first.manifest);
    expect((await stat(join(dir, second.manifest.script))).mtimeMs).toBe(written.mtimeMs);
    expect((await readdir(dir)).sort()).toEqual(
      [
        'manifest.json',
        first.manifest.script,
        `${first.manifest.script}.gz`,
        first.manifest.stylesheet,
        `${first.manifest.stylesheet}.gz`,
      ].sort(),
    );
  });
});
