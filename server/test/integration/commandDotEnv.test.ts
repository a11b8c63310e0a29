import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { z } from 'zod';
import { LEAVES, likebox, TOP_LEVEL } from '../support/allCommands.js';

const ROOT = new URL('../../../', import.meta.url);

/** Values that each break some kind of variable: a slug, a port, a path, an enumeration. */
const BAD_VALUES = ['Not A Slug', '', '99999999', 'no such choice'];

/** A variable of `shape` and a value it refuses, or undefined for a command without variables. */
function badSetting(shape: Record<string, z.ZodType>): [string, string] | undefined {
  for (const [variable, field] of Object.entries(shape)) {
    const value = BAD_VALUES.find((candidate) => !field.safeParse(candidate).success);
    if (value !== undefined) return [variable, value];
  }
  return undefined;
}

async function folderWith(dotEnv: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-dotenv-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, '.env'), dotEnv);
  return dir;
}

describe('.env in the working directory', () => {
  it.each(LEAVES.map((leaf) => [leaf.path.join(' '), leaf] as const))(
    'is read by likebox %s, which says so and refuses a bad value it holds, naming the file',
    async (_, { command, path, args }) => {
      // Prepare: a bad value of one of the command's variables, only in .env
      const bad = badSetting(command.env.shape as Record<string, z.ZodType>);
      const [variable, value] = bad ?? ['LIKEBOX_UNREAD_BY_ANY_COMMAND', 'x'];
      const dir = await folderWith(`# the command's own\n${variable}=${value}\n`);
      const file = join(dir, '.env');

      // Act
      const result = await likebox([...path, ...args], dir);

      // Assess: the file is named where the command tells what it read...
      const said = `${result.stdout}\n${result.stderr}`;
      expect(said).toMatch(
        new RegExp(`"file":"${file}","msg":"read .env"|read variables from ${file}`),
      );
      if (bad === undefined) return;
      // ...and the value it set took effect: refused, with the file as its origin.
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${variable}: `);
      expect(result.stderr).toContain(`(${file} ${JSON.stringify(value)})`);
    },
  );

  it('loses to the environment: a variable set in both comes from the environment', async () => {
    // Prepare
    const dir = await folderWith('LIKEBOX_EVENT=Not A Slug\n');

    // Act
    const result = await likebox(['schedule', 'delay', 'groix', '5', '--no-publish'], dir, {
      LIKEBOX_EVENT: 'devoxx',
    });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('room groix runs 5 min late');
  });
});

describe('the example environment files', () => {
  it.each(['.env.example', 'infra/pi/box.env.example'])(
    'name in %s only variables some command reads, so a copy of it draws no warning',
    async (file) => {
      // Prepare
      const read = new Set(TOP_LEVEL.flatMap((command) => command.variables));

      // Act
      const named = (await readFile(new URL(file, ROOT), 'utf8')).match(/\bLIKEBOX_[A-Z_]+(?==)/g);

      // Assess
      expect(named?.length).toBeGreaterThan(5);
      expect(named?.filter((variable) => !read.has(variable))).toEqual([]);
    },
  );
});
