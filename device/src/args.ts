import { ConfigError } from './errors.js';

/**
 * Turns `--flags` into the LIKEBOX_* variables they stand for: `--mqtt-url URL` or
 * `--mqtt-url=URL` sets LIKEBOX_MQTT_URL, `--log-level` sets LOG_LEVEL, a flag without a value
 * is `true`. Flags override the environment. Throws {@link ConfigError} on unknown flags.
 */
export function flagsToEnv(
  argv: readonly string[],
  known: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) {
      unknown.push(arg);
      continue;
    }
    const name = (match[1] ?? '').toUpperCase().replace(/-/g, '_');
    const key = name === 'LOG_LEVEL' ? name : `LIKEBOX_${name}`;
    if (!known.includes(key)) {
      unknown.push(arg);
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      } else value = 'true';
    }
    out[key] = value;
  }
  if (unknown.length > 0)
    throw new ConfigError(`unknown argument(s): ${unknown.join(' ')} (see --help)`);
  return out;
}

/** `--LIKEBOX_FOO_BAR` as a flag name: `--foo-bar`. */
export function flagName(key: string): string {
  return `--${key
    .replace(/^LIKEBOX_/, '')
    .toLowerCase()
    .replace(/_/g, '-')}`;
}
