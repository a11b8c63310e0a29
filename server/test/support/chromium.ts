import { mkdir } from 'node:fs/promises';
import { findChromium } from '@likebox/web';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../src/report/reportPdf.js';

/**
 * One Chromium for the tests of a `describe` (call it inside): launched before them, closed after,
 * with the screenshot folder `artifacts` made. Returns the browser's getter.
 */
export function useChromium(artifacts: string): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium((await findChromium()) ?? '/usr/bin/chromium');
    await mkdir(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('Chromium was not started');
    return browser;
  };
}
