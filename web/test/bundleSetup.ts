import { buildBundle } from '../scripts/bundle.js';

/**
 * Vitest global setup: builds the bundle as `npm run build` does before the web tests run, so they
 * drive the browser code as it is now, never a bundle left by an earlier build.
 */
export async function setup(): Promise<void> {
  await buildBundle();
}
