import type { z } from 'zod';
import { ConfigError } from './errors.js';

/** Where the value of a variable came from, for a problem about it. */
export interface ValueSource {
  /** `--mqtt-port`, the `.env` file, or undefined for the environment. */
  from: string | undefined;
  /** The value, or undefined when it must not be shown (a password, a token). */
  value: string | undefined;
}

/** Variables whose values never appear in a message. */
const SECRET = /PASSWORD|TOKEN|SECRET/;

/** Shows a value unless its name says it is a secret. */
export function shownValue(key: string, value: string | undefined): string | undefined {
  return value === undefined || SECRET.test(key) ? undefined : value;
}

function where(source: ValueSource | undefined): string {
  if (source === undefined) return '';
  const value = source.value === undefined ? '' : JSON.stringify(source.value);
  const parts = [source.from, value].filter((part) => part !== undefined && part !== '');
  return parts.length === 0 ? '' : ` (${parts.join(' ')})`;
}

/**
 * One line per zod issue: the variable or flag it is about, what is wrong, and where the bad value
 * came from (`LIKEBOX_MQTT_PORT: Too big: expected number to be <=65535 (--mqtt-port "99999")`).
 */
export function issueLines(
  error: z.ZodError,
  label: (key: string) => string,
  source: (key: string) => ValueSource | undefined = () => undefined,
): string[] {
  return error.issues.map((issue) => {
    const key = issue.path[0] === undefined ? '' : String(issue.path[0]);
    const rest = issue.path.slice(1).map(String).join('.');
    const name = key === '' ? 'configuration' : `${label(key)}${rest === '' ? '' : `.${rest}`}`;
    return `${name}: ${issue.message}${key === '' ? '' : where(source(key))}`;
  });
}

/** The {@link ConfigError} listing `problems`, one `✖` line each. */
export function configError(problems: readonly string[]): ConfigError {
  return new ConfigError(problems.map((problem) => `✖ ${problem}`).join('\n'));
}

/**
 * Parses `env` with a command's variables schema (as `likebox <command>` does, without flags):
 * for `loadConfig(env)` functions and tests. Throws {@link ConfigError} listing every problem.
 */
export function parseVariables<S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const source = (key: string) => ({ from: undefined, value: shownValue(key, env[key]) });
  throw configError(issueLines(parsed.error, (key) => key, source));
}
