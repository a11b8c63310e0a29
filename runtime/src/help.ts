import type { FieldInfo } from './fieldInfo.js';

/** One option of a command as `--help` shows it. */
export interface HelpOption {
  /** Its flag and older spellings, without dashes: `['grafana-dir', 'out']`. */
  flags: string[];
  /** The variable it sets, if any. */
  variable: string | undefined;
  /** What the schema says about it. */
  info: FieldInfo;
}

/** One positional argument. */
export interface HelpArgument {
  /** Its name in the usage line: `FILE`. */
  name: string;
  /** What it is. */
  description: string;
  /** The command runs without it. */
  optional?: boolean;
}

/** Everything `--help` shows for one command. */
export interface HelpPage {
  /** `likebox schedule import`. */
  path: string;
  /** One line. */
  summary: string;
  /** Paragraphs after the usage line. */
  description?: string;
  arguments: readonly HelpArgument[];
  options: readonly HelpOption[];
  /** Lines of the Examples section. */
  examples?: readonly string[];
}

const WIDTH = 100;
const INDENT = '      ';

/** `text` wrapped at {@link WIDTH} columns, each line indented. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
        lines.push(`${indent}${line}`);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(`${indent}${line}`);
  }
  return lines;
}

/**
 * The value placeholder of a flag: its choices when short, `PORT` or `N` for a number, else the
 * last word of its name (`URL`, `FILE`, `DIR`).
 */
function placeholder(option: HelpOption): string {
  if (option.info.boolean) return '';
  const choices = option.info.choices?.join('|');
  if (choices !== undefined && choices.length <= 30) return ` ${choices}`;
  if (option.info.numeric !== undefined) return option.info.numeric === 'port' ? ' PORT' : ' N';
  const name = option.variable ?? option.flags[0] ?? '';
  return ` ${(name.split(/[-_]/).at(-1) ?? 'value').toUpperCase()}`;
}

function defaultColumn(info: FieldInfo): string {
  if (info.defaultText !== undefined)
    return `default ${info.defaultText === '' ? "''" : info.defaultText}`;
  return info.required ? 'required' : '';
}

function optionLines(options: readonly HelpOption[]): string[] {
  const rows = options.map((option) => {
    const [flag, ...aliases] = option.flags;
    const also = aliases.length === 0 ? '' : ` Also ${aliases.map((a) => `--${a}`).join(', ')}.`;
    return {
      flag: `--${flag}${placeholder(option)}`,
      variable: option.variable ?? '',
      fallback: defaultColumn(option.info),
      description: `${option.info.description}${also}`.trim(),
    };
  });
  rows.push({ flag: '-h, --help', variable: '', fallback: '', description: 'Prints this help.' });
  const flagWidth = Math.max(...rows.map((row) => row.flag.length));
  const variableWidth = Math.max(...rows.map((row) => row.variable.length));
  return rows.flatMap((row) => [
    `  ${row.flag.padEnd(flagWidth)}  ${row.variable.padEnd(variableWidth)}  ${row.fallback}`.trimEnd(),
    ...(row.description === '' ? [] : wrap(row.description, INDENT)),
  ]);
}

function usageLine(page: HelpPage): string {
  const args = page.arguments.map((arg) => (arg.optional ? `[${arg.name}]` : arg.name));
  return `Usage: ${[page.path, ...args, '[options]'].join(' ')}`;
}

/**
 * The `--help` of a command, in the one layout every command shares: the summary, the usage
 * line, the description, the arguments, then each option on one line (its flag, the variable it
 * sets, its default) with its description (and older spellings of the flag) below.
 */
export function renderHelp(page: HelpPage): string {
  const sections = [`${page.path}: ${page.summary}`, usageLine(page)];
  if (page.description !== undefined) sections.push(wrap(page.description, '').join('\n'));
  if (page.arguments.length > 0) {
    const width = Math.max(...page.arguments.map((arg) => arg.name.length));
    const lines = page.arguments.map((arg) => `  ${arg.name.padEnd(width)}  ${arg.description}`);
    sections.push(['Arguments:', ...lines].join('\n'));
  }
  const notes = [
    ...(page.options.some((option) => option.variable !== undefined)
      ? ['a flag wins over its LIKEBOX_* variable, set in the environment or in ./.env']
      : []),
    ...(page.options.some((option) => option.info.boolean)
      ? ['--no-X turns a yes/no flag off']
      : []),
  ];
  const header =
    notes.length === 0 ? 'Options:' : wrap(`Options (${notes.join('; ')}):`, '').join('\n');
  sections.push([header, ...optionLines(page.options)].join('\n'));
  if (page.examples !== undefined && page.examples.length > 0) {
    sections.push(['Examples:', ...page.examples.map((line) => `  ${line}`)].join('\n'));
  }
  return `${sections.join('\n\n')}\n`;
}

/** One subcommand of a group, as its group's `--help` lists it. */
export interface HelpSubcommand {
  /** Its name: `import`. */
  name: string;
  /** One line. */
  summary: string;
}

/** The `--help` of a command made of subcommands (`likebox schedule`). */
export function renderGroupHelp(
  path: string,
  summary: string,
  subcommands: readonly HelpSubcommand[],
  description?: string,
): string {
  const width = Math.max(...subcommands.map((sub) => sub.name.length));
  const sections = [
    `${path}: ${summary}`,
    `Usage: ${path} <subcommand> [options]     ${path} <subcommand> --help`,
    ...(description === undefined ? [] : [wrap(description, '').join('\n')]),
    [
      'Subcommands:',
      ...subcommands.map((sub) => `  ${sub.name.padEnd(width)}  ${sub.summary}`),
    ].join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}
