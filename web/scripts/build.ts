import { buildBundle } from './bundle.js';

// `npm run build -w web` (and the root `npm run build`, after `tsc -b`): builds the live page's
// bundle into dist/assets/, where `createWebHandler` reads it.
const { manifest, sizes, ms } = await buildBundle();
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const lines = Object.entries(sizes).map(
  ([name, size]) => `  ${name}  ${kib(size.bytes)} (gzip ${kib(size.gzipBytes)})`,
);
process.stdout.write(
  `web: live page bundled in ${ms} ms (${manifest.script}, ${manifest.stylesheet})\n${lines.join('\n')}\n`,
);
