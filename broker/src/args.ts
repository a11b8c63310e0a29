import { parseArgs } from 'node:util';
import { ConfigError } from './errors.js';

/** A command-line option mapped to an environment variable. */
export interface FlagSpec {
  /** The environment variable the flag overrides. */
  variable: string;
  /** True for flags without a value (`--allow-anonymous`). */
  boolean?: boolean;
}

/** What {@link parseCommandLine} found. */
export interface CommandLine {
  /** `env` with every given flag applied as its variable. */
  env: Record<string, string | undefined>;
  /** Arguments that are not flags. */
  positionals: string[];
  /** `--help` or `-h` was given. */
  help: boolean;
  /** Flags that are not variables (e.g. `--role`), by name. */
  extra: Record<string, string | boolean | undefined>;
  /** Problems with the flags themselves (unknown flag, missing value), all of them. */
  problems: string[];
}

/**
 * Parses `argv`: each `--flag` of `flags` overrides its `LIKEBOX_*` variable, `extra` holds the
 * command's own options. Unknown flags throw {@link ConfigError}.
 */
export function parseCommandLine(
  argv: string[],
  env: Record<string, string | undefined>,
  flags: Record<string, FlagSpec>,
  extra: Record<string, 'string' | 'boolean'> = {},
): CommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(flags))
    options[name] = { type: spec.boolean ? 'boolean' : 'string' };
  for (const [name, type] of Object.entries(extra)) options[name] = { type };
  const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: false });
  const overlay = { ...env };
  const own: CommandLine['extra'] = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(parsed.values)) {
    const spec = flags[name];
    const type = options[name]?.type;
    if (type === undefined) problems.push(`unknown option --${name}`);
    else if (type !== typeof value) {
      problems.push(`option --${name} ${type === 'string' ? 'needs a value' : 'takes no value'}`);
    } else if (spec !== undefined) overlay[spec.variable] = String(value);
    else if (name !== 'help') own[name] = value as string | boolean;
  }
  return {
    env: overlay,
    positionals: parsed.positionals,
    help: parsed.values.help === true,
    extra: own,
    problems,
  };
}

/** Throws {@link ConfigError} listing the flag problems and `more` (e.g. config errors) together. */
export function assertNoProblems(problems: string[], more?: unknown): void {
  const lines = problems.map((p) => `✖ ${p}`);
  if (more instanceof ConfigError) lines.push(more.message);
  else if (more !== undefined) throw more;
  if (lines.length > 0) throw new ConfigError(lines.join('\n'));
}
