import { tmpdir } from 'node:os';
import { fieldInfo, flagOf } from '@likebox/runtime';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { LEAVES, likebox, TOP_LEVEL } from '../support/allCommands.js';

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('likebox <command> --help', () => {
  it.each(LEAVES.map((leaf) => [leaf.path.join(' '), leaf] as const))(
    'prints the shared layout and every variable of %s with its flag, default and description',
    async (_, { command, path }) => {
      // Act
      const help = await likebox([...path, '--help'], tmpdir());

      // Assess: summary, usage, options in the shared layout, on stdout
      expect(help).toMatchObject({ code: 0, stderr: '' });
      const sections = help.stdout.split('\n\n');
      expect(sections[0]).toBe(`likebox ${command.name}: ${command.summary}`);
      expect(sections[1]).toMatch(new RegExp(`^Usage: likebox ${literal(command.name)} `));
      const options = sections.find((section) => section.startsWith('Options'));
      expect(options).toMatch(/\n {2}-h, --help\n {6}Prints this help\.\n?$/);
      const shape = command.env.shape as Record<string, z.ZodType>;
      for (const [variable, field] of Object.entries(shape)) {
        const info = fieldInfo(field);
        const fallback =
          info.defaultText !== undefined
            ? ` +default ${literal(info.defaultText)}`
            : info.required
              ? ' +required'
              : '';
        const line = new RegExp(
          `^ {2}--${flagOf(variable)}( \\S+)? +${variable}${fallback}\\n {6}\\S`,
          'm',
        );
        expect(options, `${command.name}: ${variable}`).toMatch(line);
        expect(info.description, `${command.name}: ${variable}`).not.toBe('');
      }
    },
  );

  it.each(TOP_LEVEL.filter((command) => command.subcommands !== undefined).map((c) => [c.name, c]))(
    'lists the subcommands of %s with their summaries',
    async (name, group) => {
      // Act
      const help = await likebox([name, '--help'], tmpdir());

      // Assess
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^likebox ${name}: ${literal(group.summary)}\\n`));
      for (const sub of group.subcommands ?? []) {
        const subName = sub.name.slice(name.length + 1);
        expect(help.stdout).toMatch(new RegExp(`^ {2}${subName} +${literal(sub.summary)}$`, 'm'));
      }
    },
  );

  it('lists every command with the summary its own --help starts with', async () => {
    // Act
    const help = await likebox(['--help'], tmpdir());

    // Assess
    for (const command of TOP_LEVEL) {
      expect(help.stdout).toMatch(
        new RegExp(`^ {2}${command.name} +${literal(command.summary)}$`, 'm'),
      );
    }
  });

  it('describes a variable several commands read in one way: it is defined once', () => {
    // Prepare
    const descriptions = new Map<string, Set<string>>();

    // Act
    for (const { command } of LEAVES) {
      for (const [variable, field] of Object.entries(
        command.env.shape as Record<string, z.ZodType>,
      )) {
        const seen = descriptions.get(variable) ?? new Set<string>();
        seen.add(fieldInfo(field).description);
        descriptions.set(variable, seen);
      }
    }

    // Assess
    const twice = [...descriptions].filter(([, seen]) => seen.size > 1).map(([name]) => name);
    expect(twice).toEqual([]);
    expect(descriptions.get('LIKEBOX_EVENT')?.size).toBe(1);
  });
});
