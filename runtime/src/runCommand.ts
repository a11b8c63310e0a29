import { type Logger, pino } from 'pino';
import type { z } from 'zod';
import type { CompiledCommand, MainOptions } from './command.js';
import { type CommandIo, processIo } from './commandIo.js';
import { type DotEnv, readDotEnv } from './dotEnv.js';
import { LOG_LEVELS } from './env.js';
import { ConfigError, LikeboxError } from './errors.js';
import { type ParsedFlags, parseFlags } from './flags.js';
import { logFormatOf, prettyDestination } from './logFormat.js';
import { PartStack } from './parts.js';
import { issueLines, shownValue } from './problems.js';
import { didYouMean } from './suggest.js';

/** Says something about the command itself: a JSON log line, or a line on stderr. */
type Say = (level: 'info' | 'warn' | 'fatal', data: object, message: string, text: string) => void;

function sayer(log: Logger | null, io: CommandIo, path: string): Say {
  return (level, data, message, text) => {
    if (log !== null) log[level](data, message);
    else io.stderr.write(`${path}: ${text}\n`);
  };
}

function argumentProblems(compiled: CompiledCommand, positionals: string[]): string[] {
  const specs = compiled.definition.args ?? [];
  const required = specs.filter((arg) => arg.optional !== true).length;
  if (positionals.length >= required && positionals.length <= specs.length) return [];
  if (positionals.length > specs.length) {
    return [`unexpected argument ${JSON.stringify(positionals[specs.length])}`];
  }
  const names = specs.map((arg) => arg.name).slice(positionals.length, required);
  return [`missing ${names.join(' and ')}`];
}

/** The validated command line of a command. */
export interface Parsed {
  env: Record<string, unknown>;
  flags: Record<string, unknown>;
  rawEnv: Record<string, string | undefined>;
  problems: string[];
}

/** Applies the flags over the environment and validates both, collecting every problem. */
export function validate(
  compiled: CompiledCommand,
  env: Readonly<Record<string, string | undefined>>,
  line: ParsedFlags,
  dotEnv: DotEnv | null,
): Parsed {
  const { definition, specs } = compiled;
  const rawEnv = { ...env, ...line.variables };
  const flagOf = (key: string) => specs.find((spec) => spec.target === key)?.name ?? key;
  const source = (key: string) => {
    const value = shownValue(key, rawEnv[key]);
    if (key in line.variables) return { from: `--${flagOf(key)}`, value };
    return { from: dotEnv?.keys.includes(key) ? dotEnv.file : undefined, value };
  };
  const problems = [...line.problems, ...argumentProblems(compiled, line.positionals)];
  const variables = definition.env.safeParse(rawEnv);
  if (!variables.success) problems.push(...issueLines(variables.error, (key) => key, source));
  const flags = (definition.flags ?? null)?.safeParse(line.flags) ?? { success: true, data: {} };
  if (!flags.success) {
    const given = (key: string) => ({ from: undefined, value: String(line.flags[key] ?? '') });
    problems.push(...issueLines(flags.error as z.ZodError, (key) => `--${flagOf(key)}`, given));
  }
  return { env: variables.data ?? {}, flags: flags.data ?? {}, rawEnv, problems };
}

/**
 * The root logger of a command that reads `LIKEBOX_LOG_LEVEL`, else null: JSON lines, or readable
 * ones as `LIKEBOX_LOG_FORMAT` says (on a terminal by default).
 */
function rootLogger(compiled: CompiledCommand, io: CommandIo, parsed: Parsed): Logger | null {
  const { definition } = compiled;
  if (!compiled.variables.includes('LIKEBOX_LOG_LEVEL')) return null;
  const wanted = parsed.rawEnv.LIKEBOX_LOG_LEVEL;
  const valid = (LOG_LEVELS as readonly (string | undefined)[]).includes(wanted);
  const level = valid ? (wanted as string) : 'info';
  const to = parsed.problems.length === 0 ? (definition.logTo?.(parsed.env) ?? 'stdout') : 'stdout';
  const stream = io.logStream?.(to) ?? (to === 'stderr' ? io.stderr : io.stdout);
  const terminal = io.isTerminal?.(to) ?? false;
  const format = compiled.variables.includes('LIKEBOX_LOG_FORMAT')
    ? logFormatOf(parsed.rawEnv.LIKEBOX_LOG_FORMAT, terminal)
    : 'json';
  const destination = format === 'pretty' ? prettyDestination(stream, terminal) : stream;
  return pino({ name: definition.name.replaceAll(' ', '-'), level }, destination);
}

async function warnUnknown(
  compiled: CompiledCommand,
  io: CommandIo,
  options: MainOptions,
  say: Say,
): Promise<void> {
  const own = new Set(compiled.variables);
  const unread = Object.keys(io.env).filter((key) => key.startsWith('LIKEBOX_') && !own.has(key));
  if (unread.length === 0) return;
  const known = new Set([...own, ...((await options.knownVariables?.()) ?? [])]);
  for (const variable of unread.filter((key) => !known.has(key))) {
    const hint = didYouMean(variable, known);
    say(
      'warn',
      { variable },
      `unknown variable${hint}`,
      `warning: unknown variable ${variable}${hint}`,
    );
  }
}

function failure(compiled: CompiledCommand, err: unknown): string {
  if (err instanceof ConfigError) return `invalid configuration\n${err.message}`;
  const explained = compiled.definition.explain?.(err);
  if (explained !== undefined) return explained;
  const message = err instanceof Error ? err.message : String(err);
  return err instanceof LikeboxError ? message : `failed: ${message}`;
}

async function execute(
  compiled: CompiledCommand,
  io: CommandIo,
  parsed: Parsed,
  line: ParsedFlags,
  log: Logger | null,
): Promise<number> {
  const path = `likebox ${compiled.definition.name}`;
  const root = log ?? pino({ level: 'silent' });
  const parts = new PartStack(root);
  let service = false;
  let code: number;
  try {
    const ctx = { path, env: parsed.env, flags: parsed.flags, args: line.positionals };
    const untilSignal = () => {
      service = true;
      return io.untilSignal(root);
    };
    code =
      (await compiled.definition.run({
        ...ctx,
        ...{ rawEnv: parsed.rawEnv, log: root, io, parts, untilSignal },
      })) ?? 0;
  } catch (err) {
    code = 1;
    log?.fatal({ err }, err instanceof ConfigError ? 'invalid configuration' : 'failed');
    io.stderr.write(`${path}: ${failure(compiled, err)}\n`);
  }
  if (!(await parts.stopAll())) code = code === 0 ? 1 : code;
  // A command that ran until a signal says it is done, last: what an operator looks for.
  if (service) log?.info('stopped');
  io.afterStop?.(root, code, compiled.definition.exitAfterStop === true);
  return code;
}

/**
 * Runs a command: reads `.env`, parses and validates flags and variables (every problem at once),
 * prints `--help`, warns about unknown variables, then runs it and stops what it started.
 */
export async function runCommand(
  compiled: CompiledCommand,
  argv: readonly string[],
  options: MainOptions,
): Promise<number> {
  const io = options.io ?? processIo();
  const path = `likebox ${compiled.definition.name}`;
  const line = parseFlags(argv, compiled.specs);
  if (line.help) {
    io.stdout.write(compiled.help);
    return 0;
  }
  const dotEnv = readDotEnv(io.env, io.cwd);
  const parsed = validate(compiled, io.env, line, dotEnv);
  const log = rootLogger(compiled, io, parsed);
  const say = sayer(log, io, path);
  if (dotEnv !== null) {
    say('info', { file: dotEnv.file }, 'read .env', `read variables from ${dotEnv.file}`);
  }
  await warnUnknown(compiled, io, options, say);
  if (parsed.problems.length > 0) {
    const err = new ConfigError(parsed.problems.map((problem) => `✖ ${problem}`).join('\n'));
    log?.fatal({ err }, 'invalid configuration');
    io.stderr.write(`${path}: invalid configuration\n${err.message}\n`);
    return 1;
  }
  return execute(compiled, io, parsed, line, log);
}
