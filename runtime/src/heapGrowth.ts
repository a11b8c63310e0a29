import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the heap grow to up to four times what survived the last full collection before the
 * next one; during a vote flood that left 170-210 MB of mostly garbage resident for a ~30 MB live
 * set in `likebox ingest`, and 216 MB in `likebox up`. 20 % keeps the peaks at 135-144 MB and
 * 164 MB at the same CPU per vote (bench/ingest.ts). The flag is not allowed in NODE_OPTIONS, so
 * `likebox ingest` and `likebox up` set it at start, unless given on node's command line.
 */
export const HEAP_GROWING_PERCENT = 20;

/** Sets {@link HEAP_GROWING_PERCENT} unless node's command line has its own. */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
