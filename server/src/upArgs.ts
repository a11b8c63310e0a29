import { CONFIG_KEYS } from '@likebox/ingest';
import { type ParsedArgs, parseArgs } from '@likebox/runtime';
import { UP_CONFIG_KEYS } from './upConfig.js';

/**
 * `likebox up` flags: every variable of `up` and of the ingest has its `--flag` (`--x-y` for
 * `LIKEBOX_X_Y`, as in `likebox ingest`), given as `--flag value` or `--flag=value`. Throws a
 * `ConfigError` listing every unknown flag or missing value at once.
 */
export function parseUpArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ParsedArgs {
  return parseArgs(argv, env, [...new Set([...UP_CONFIG_KEYS, ...CONFIG_KEYS])]);
}
