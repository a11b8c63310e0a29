import type { Logger } from 'pino';
import { z } from 'zod';
import type { CommandIo } from './commandIo.js';
import { fieldInfo } from './fieldInfo.js';
import type { FlagSpec } from './flags.js';
import { parseFlags } from './flags.js';
import { type HelpArgument, type HelpOption, renderHelp } from './help.js';
import type { PartStack } from './parts.js';
import { configError } from './problems.js';
import { runCommand, validate } from './runCommand.js';

/** A zod object schema of variables or flags. */
// biome-ignore lint/suspicious/noExplicitAny: any object shape; each command's own is inferred.
export type ObjectSchema = z.ZodObject<any>;

/** What a command's `run` gets. */
export interface CommandContext<Env, Flags> {
  /** `likebox schedule import`: the command as typed, for messages. */
  path: string;
  /** Its variables, validated (flags applied). */
  env: Env;
  /** Its own flags, validated. */
  flags: Flags;
  /** Its positional arguments. */
  args: string[];
  /** The environment with `.env` and the variable flags applied (for a part that reads it). */
  rawEnv: Record<string, string | undefined>;
  /** The pino root logger (`LIKEBOX_LOG_LEVEL`); silent for a command without a log level. */
  log: Logger;
  /** Streams, environment, clock. */
  io: CommandIo;
  /** Parts started by `run`: stopped in reverse order once `run` returns or throws. */
  parts: PartStack;
  /** Resolves on the first SIGINT/SIGTERM; call it before starting anything. */
  untilSignal(): Promise<void>;
}

/** The one table a command is defined from: `--help`, flags, variables and `.env` follow. */
export interface CommandDefinition<E extends ObjectSchema, F extends ObjectSchema> {
  /** Its name after `likebox`: `broker`, `schedule import`. */
  name: string;
  /** One line, as `likebox --help` lists it. */
  summary: string;
  /** Paragraphs of its `--help`. */
  description?: string;
  /**
   * The `LIKEBOX_*` variables it reads, each with its description and default. Every
   * `LIKEBOX_X_Y` has the flag `--x-y`; a flag wins over its variable. A command that reads
   * `LIKEBOX_LOG_LEVEL` logs JSON; the others write text.
   */
  env: E;
  /** Its own flags (camelCase keys, `--kebab-case` flags), described like the variables. */
  flags?: F;
  /** Older spellings of flags, kept working: `{ out: 'grafana-dir' }`. */
  aliases?: Readonly<Record<string, string>>;
  /** Its positional arguments. */
  args?: readonly HelpArgument[];
  /** Lines of the Examples section of `--help`. */
  examples?: readonly string[];
  /** Where the JSON logs go (default stdout; a box in keyboard mode draws on stdout). */
  logTo?: (env: z.output<E>) => 'stdout' | 'stderr';
  /** End the process as soon as it stopped, rather than waiting for open handles to close. */
  exitAfterStop?: boolean;
  /** A message for a person about a failure, instead of `failed: <message>`. */
  explain?: (err: unknown) => string | undefined;
  /** Does the work; resolves with the exit code (default 0). */
  run(ctx: CommandContext<z.output<E>, z.output<F>>): Promise<number | undefined>;
}

/** Options of {@link Command.main}. */
export interface MainOptions {
  /** Streams and environment; default this process's. */
  io?: CommandIo;
  /**
   * Every variable some LikeBox command reads: a `LIKEBOX_*` variable of the environment outside
   * this set is warned about. Default: the variables of this command.
   */
  knownVariables?: () => Promise<Iterable<string>> | Iterable<string>;
}

/** A command (or a group of subcommands) made by {@link defineCommand} or `defineGroup`. */
export interface Command {
  /** Its name after `likebox`. */
  readonly name: string;
  /** One line. */
  readonly summary: string;
  /** Every `LIKEBOX_*` variable it (or one of its subcommands) reads. */
  readonly variables: readonly string[];
  /** Its subcommands, for a group. */
  readonly subcommands?: readonly Command[];
  /** Its `--help`. */
  help(): string;
  /** Runs it on `argv` (the arguments after its name); resolves with the exit code. */
  main(argv: readonly string[], options?: MainOptions): Promise<number>;
}

/** An empty flags schema: the flags of a command without flags of its own. */
export const NoFlags = z.object({});

/** A command made by {@link defineCommand}. */
export interface LeafCommand<Env, Flags> extends Command {
  /** Its variables schema, as defined. */
  readonly env: ObjectSchema;
  /**
   * What `main` would run with, without running it or reading `.env`: `argv` parsed over `env`.
   * Throws {@link ConfigError} listing every problem.
   */
  parse(
    argv: readonly string[],
    env?: Readonly<Record<string, string | undefined>>,
  ): { env: Env; flags: Flags; args: string[] };
}

/** `LIKEBOX_MQTT_PORT` → `mqtt-port`. */
export function flagOf(variable: string): string {
  return variable
    .replace(/^LIKEBOX_/, '')
    .toLowerCase()
    .replaceAll('_', '-');
}

/** `dashboardsPath` → `dashboards-path`. */
function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The options of a command: each variable's, then each own flag's, with their aliases. */
function optionsOf(definition: CommandDefinition<ObjectSchema, ObjectSchema>) {
  const shape = (schema: ObjectSchema | undefined) =>
    Object.entries((schema?.shape ?? {}) as Record<string, z.ZodType>);
  const entries = [
    ...shape(definition.env).map(([key, field]) => ({
      key,
      field,
      flag: flagOf(key),
      variable: true,
    })),
    ...shape(definition.flags).map(([key, field]) => ({
      key,
      field,
      flag: kebab(key),
      variable: false,
    })),
  ];
  const aliases = Object.entries(definition.aliases ?? {});
  return entries.map((entry) => ({
    ...entry,
    info: fieldInfo(entry.field),
    flags: [entry.flag, ...aliases.filter(([, to]) => to === entry.flag).map(([from]) => from)],
  }));
}

/** A compiled command: its flag table and help page, from its definition. */
export interface CompiledCommand {
  definition: CommandDefinition<ObjectSchema, ObjectSchema>;
  specs: FlagSpec[];
  help: string;
  variables: string[];
}

function compile(definition: CommandDefinition<ObjectSchema, ObjectSchema>): CompiledCommand {
  const options = optionsOf(definition);
  const specs = options.flatMap((option) =>
    option.flags.map((name) => ({
      name,
      target: option.key,
      variable: option.variable,
      boolean: option.info.boolean,
      multiple: option.info.multiple,
    })),
  );
  const names = specs.map((spec) => spec.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new TypeError(`likebox ${definition.name}: two --${twice} flags`);
  const page: HelpOption[] = options.map((option) => ({
    flags: option.flags,
    variable: option.variable ? option.key : undefined,
    info: option.info,
  }));
  const help = renderHelp({
    path: `likebox ${definition.name}`,
    summary: definition.summary,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    arguments: definition.args ?? [],
    options: page,
    ...(definition.examples === undefined ? {} : { examples: definition.examples }),
  });
  const variables = options.filter((option) => option.variable).map((option) => option.key);
  return { definition, specs, help, variables };
}

/**
 * Defines a command from one table: its variables (a zod object of `LIKEBOX_*` fields, each
 * described), its own flags, arguments and `run`. Its `main` then reads `.env`, parses the flags
 * with node's `parseArgs` (a flag wins over its variable), prints `--help` in the layout every
 * command shares, lists every problem at once and refuses to start on any, warns about unknown
 * `LIKEBOX_*` variables, creates the pino root logger, and stops the parts `run` started in
 * reverse order.
 */
export function defineCommand<E extends ObjectSchema, F extends ObjectSchema = typeof NoFlags>(
  definition: CommandDefinition<E, F>,
): LeafCommand<z.output<E>, z.output<F>> {
  const compiled = compile(definition as unknown as CommandDefinition<ObjectSchema, ObjectSchema>);
  return {
    name: definition.name,
    summary: definition.summary,
    variables: compiled.variables,
    env: definition.env,
    help: () => compiled.help,
    main: (argv, options = {}) => runCommand(compiled, argv, options),
    parse: (argv, env = {}) => {
      const line = parseFlags(argv, compiled.specs);
      const parsed = validate(compiled, env, line, null);
      if (parsed.problems.length > 0) throw configError(parsed.problems);
      return {
        env: parsed.env as z.output<E>,
        flags: parsed.flags as z.output<F>,
        args: line.positionals,
      };
    },
  };
}
