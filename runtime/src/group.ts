import type { Command } from './command.js';
import { processIo } from './commandIo.js';
import { renderGroupHelp } from './help.js';
import { didYouMean } from './suggest.js';

/** What a group of subcommands is made of. */
export interface GroupDefinition {
  /** Its name after `likebox`: `schedule`. */
  name: string;
  /** One line. */
  summary: string;
  /** Paragraphs of its `--help`. */
  description?: string;
  /** Its subcommands, each defined by `defineCommand` with the name `<group> <sub>`. */
  subcommands: readonly Command[];
}

/**
 * A command made of subcommands (`likebox schedule import|delay|windows`): `--help` lists them,
 * and the first argument picks one, which then runs as any command. No subcommand or an unknown
 * one is a usage error: the help on stderr and exit code 2, as for an unknown `likebox` command.
 */
export function defineGroup(definition: GroupDefinition): Command {
  const path = `likebox ${definition.name}`;
  const subName = (sub: Command) => sub.name.slice(definition.name.length + 1);
  const help = renderGroupHelp(
    path,
    definition.summary,
    definition.subcommands.map((sub) => ({ name: subName(sub), summary: sub.summary })),
    definition.description,
  );
  return {
    name: definition.name,
    summary: definition.summary,
    variables: [...new Set(definition.subcommands.flatMap((sub) => sub.variables))],
    subcommands: definition.subcommands,
    help: () => help,
    main: (argv, options = {}) => {
      const io = options.io ?? processIo();
      const [name, ...rest] = argv;
      if (name === '--help' || name === '-h' || name === 'help') {
        io.stdout.write(help);
        return Promise.resolve(0);
      }
      const sub = definition.subcommands.find((candidate) => subName(candidate) === name);
      if (sub !== undefined) return sub.main(rest, { ...options, io });
      const names = definition.subcommands.map(subName);
      const problem =
        name === undefined
          ? 'missing subcommand'
          : `unknown subcommand ${JSON.stringify(name)}${didYouMean(name, names)}`;
      io.stderr.write(`${path}: ${problem}\n\n${help}`);
      return Promise.resolve(2);
    },
  };
}
