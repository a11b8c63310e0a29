import { parseArgs } from 'node:util';
import { didYouMean } from './suggest.js';

/** One `--flag` a command accepts. */
export interface FlagSpec {
  /** The flag without its dashes: `mqtt-port`. */
  name: string;
  /** What it sets: a variable (`LIKEBOX_MQTT_PORT`) or one of the command's own flags. */
  target: string;
  /** True when it sets a variable rather than a flag of the command's own. */
  variable: boolean;
  /** A yes/no flag: `--x`, `--no-x`, `--x=false`, `--x false`. */
  boolean: boolean;
  /** May be given several times; its value is the list. */
  multiple: boolean;
}

/** What {@link parseFlags} found on a command line. */
export interface ParsedFlags {
  /** `-h` or `--help` was given. */
  help: boolean;
  /** The variables given as flags, as text. */
  variables: Record<string, string>;
  /** The command's own flags, as text (a list for a repeatable flag). */
  flags: Record<string, string | string[]>;
  /** The other arguments, in order (`-5` is one: a negative number, not a flag). */
  positionals: string[];
  /** Every problem: unknown flags (with a suggestion), missing values. */
  problems: string[];
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', '1', '0']);

type Token = ReturnType<typeof parseArgs>['tokens'] extends (infer T)[] | undefined ? T : never;
type OptionToken = Extract<Token, { kind: 'option' }>;

function tokensOf(argv: readonly string[], specs: readonly FlagSpec[]): Token[] {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    help: { type: 'boolean' },
  };
  for (const spec of specs) options[spec.name] = { type: spec.boolean ? 'boolean' : 'string' };
  // strict: false, so that every problem is collected here rather than the first one thrown.
  return parseArgs({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  }).tokens;
}

interface State {
  out: ParsedFlags;
  byName: Map<string, FlagSpec>;
}

function store(state: State, spec: FlagSpec, value: string): void {
  if (spec.variable) {
    state.out.variables[spec.target] = value;
    return;
  }
  const flags = state.out.flags;
  const previous = flags[spec.target];
  flags[spec.target] = spec.multiple
    ? [...(Array.isArray(previous) ? previous : []), value]
    : value;
}

/** Handles one option token; returns true when it took the next token as its value. */
function option(state: State, token: OptionToken, next: Token | undefined): boolean {
  const { out, byName } = state;
  const negated = token.rawName.startsWith('--no-') && !token.name.startsWith('no-');
  const spec = byName.get(token.name);
  if (token.name === 'help' && !negated) {
    out.help = true;
    return false;
  }
  if (spec === undefined || (token.rawName.length === 2 && token.rawName !== '-h')) {
    const known = [...byName.keys()].map((name) => `--${name}`);
    out.problems.push(`unknown option ${token.rawName}${didYouMean(token.rawName, known)}`);
    // `--mqtt-prot 1`: the word after it is its value, not an argument to report too.
    return token.value === undefined && next?.kind === 'positional';
  }
  if (negated) {
    if (!spec.boolean || token.value !== undefined) {
      out.problems.push(`${token.rawName}: only a yes/no flag has a --no- form, without a value`);
    } else store(state, spec, 'false');
    return false;
  }
  if (spec.boolean) {
    if (token.value !== undefined) {
      store(state, spec, token.value);
      return false;
    }
    const word = next?.kind === 'positional' ? next.value : undefined;
    store(state, spec, word !== undefined && BOOLEAN_WORDS.has(word) ? word : 'true');
    return word !== undefined && BOOLEAN_WORDS.has(word);
  }
  if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
    out.problems.push(`${token.rawName} needs a value`);
    return false;
  }
  store(state, spec, token.value);
  return false;
}

/**
 * Parses a command line with node's `parseArgs`: `--flag value`, `--flag=value`, yes/no flags
 * alone or with `--no-`, `-h`/`--help`, positionals. Collects every problem instead of stopping
 * at the first, and suggests the closest flag for a misspelled one.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const state: State = {
    out: { help: false, variables: {}, flags: {}, positionals: [], problems: [] },
    byName: new Map(specs.map((spec) => [spec.name, spec])),
  };
  const tokens = tokensOf(argv, specs);
  let numberAt = -1;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    if (token.kind === 'positional') state.out.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const raw = argv[token.index] ?? '';
    if (/^-\d/.test(raw)) {
      // parseArgs reads `-12` as the short flags -1 and -2, each with the same index.
      if (token.index !== numberAt) state.out.positionals.push(raw);
      numberAt = token.index;
      continue;
    }
    if (option(state, token, tokens[i + 1])) i += 1;
  }
  return state.out;
}
