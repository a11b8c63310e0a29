import { ConfigError } from './errors.js';

/** `--mqtt-url` ↔ `LIKEBOX_MQTT_URL`. */
export function flagOf(key: string): string {
  return `--${key
    .replace(/^LIKEBOX_/, '')
    .toLowerCase()
    .replaceAll('_', '-')}`;
}

/** The result of {@link parseArgs}. */
export interface ParsedArgs {
  /** `--help` or `-h` was given. */
  help: boolean;
  /** The environment with the flags applied on top (a flag wins over its variable). */
  env: Record<string, string | undefined>;
}

/**
 * Applies `--flag value` / `--flag=value` arguments on top of `env`. Each `LIKEBOX_X_Y` variable of
 * `keys` has the flag `--x-y`. Throws {@link ConfigError} listing every
 * unknown flag or missing value.
 */
export function parseArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  keys: readonly string[],
): ParsedArgs {
  const byFlag = new Map(keys.map((key) => [flagOf(key), key]));
  const out = { ...env };
  const problems: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const key = byFlag.get(flag);
    if (key === undefined) {
      problems.push(`unknown argument ${JSON.stringify(arg)}`);
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined) problems.push(`${flag} needs a value`);
    else out[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `✖ ${p}`).join('\n'));
  return { help, env: out };
}
