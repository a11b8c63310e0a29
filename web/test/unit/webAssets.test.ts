import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { BundleMissingError, loadWebAssets } from '../../src/index.js';

describe('loadWebAssets', () => {
  it('names the command to run when only tsc ran (no bundle)', async () => {
    // Prepare
    const dir = await tempDir('likebox-web-assets-');

    // Act
    const loading = loadWebAssets(dir);

    // Assess
    await expect(loading).rejects.toThrow(BundleMissingError);
    await expect(loading).rejects.toThrow(/has no manifest\.json; build it with: npm run build/);
  });

  it('refuses a manifest that names a file the directory lacks', async () => {
    // Prepare
    const dir = await tempDir('likebox-web-assets-');
    const manifest = { script: 'app.AAAAAAAA.js', stylesheet: 'style.BBBBBBBB.css' };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));

    // Act
    const loading = loadWebAssets(dir);

    // Assess
    await expect(loading).rejects.toThrow(/lacks app\.AAAAAAAA\.js/);
  });

  it('refuses a manifest whose names could leave the directory', async () => {
    // Prepare
    const dir = await tempDir('likebox-web-assets-');
    const manifest = { script: '../../etc/passwd', stylesheet: 'style.BBBBBBBB.css' };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));

    // Act
    const loading = loadWebAssets(dir);

    // Assess
    await expect(loading).rejects.toThrow(/unreadable manifest\.json/);
  });
});
