import { flagOf } from '../args.js';
import { CONFIG_KEYS } from '../config.js';
import { ConfigError } from '../errors.js';
import { UP_CONFIG_KEYS } from './upConfig.js';

/** The result of {@link parseUpArgs}. */
export interface UpArgs {
  /** `--help` or `-h` was given. */
  help: boolean;
  /** The environment with the flags applied on top (a flag wins over its variable). */
  env: Record<string, string | undefined>;
}

/**
 * `likebox up` flags: every variable of `up` and of the ingest has its `--flag` (`--x-y` for
 * `LIKEBOX_X_Y`, as in `likebox ingest`), given as `--flag value` or `--flag=value`. Throws
 * {@link ConfigError} listing every unknown flag or missing value at once.
 */
export function parseUpArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): UpArgs {
  const keys = new Set<string>([...UP_CONFIG_KEYS, ...CONFIG_KEYS]);
  const byFlag = new Map([...keys].map((key) => [flagOf(key), key]));
  const out = { ...env };
  const problems: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const key = byFlag.get(flag);
    if (key === undefined) {
      problems.push(`unknown argument ${JSON.stringify(arg)}`);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) problems.push(`${flag} needs a value`);
    else out[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `✖ ${p}`).join('\n'));
  return { help, env: out };
}
