import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** What {@link readDotEnv} did. */
export interface DotEnv {
  /** The file read, absolute. */
  file: string;
  /** The variables it set (those the environment did not have already). */
  keys: string[];
}

/**
 * Reads `.env` in `cwd`, when there is one, into `env`: a variable already set in `env` wins over
 * the file's, as `process.loadEnvFile` (and `node --env-file`) do. Node's own parser
 * (`util.parseEnv`, the one behind `loadEnvFile`) reads it; unlike `loadEnvFile` it lets the
 * caller pass its own `env` (a test's), and tells which variables came from the file, so that a
 * bad value can be traced to it.
 */
export function readDotEnv(env: Record<string, string | undefined>, cwd: string): DotEnv | null {
  const file = join(cwd, '.env');
  if (!existsSync(file)) return null;
  const keys: string[] = [];
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    keys.push(key);
  }
  return { file, keys };
}
