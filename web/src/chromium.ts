import { access, constants } from 'node:fs/promises';

/** Where Debian, Ubuntu and Fedora install Chromium or Chrome, in order of preference. */
export const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * Flags of a Chromium run without a display, as a service user or in a CI container, offline:
 * headless, no sandbox (containers lack the namespaces it needs), nothing phoning home.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The first Chromium found: `preferred` when given (it must exist), else {@link CHROMIUM_PATHS}. */
export async function findChromium(preferred?: string): Promise<string | null> {
  for (const path of preferred === undefined ? CHROMIUM_PATHS : [preferred]) {
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // not there: the next one
    }
  }
  return null;
}
