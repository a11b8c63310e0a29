import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Bool,
  type CommandContext,
  ConfigError,
  defineCommand,
  defineGroup,
  OptionalText,
  SharedEnv,
} from '../../src/index.js';
import { tempDir, testIo } from '../../src/testing.js';

const Env = z.object({
  ...SharedEnv.pick({ LIKEBOX_EVENT: true, LIKEBOX_MQTT_PORT: true, LIKEBOX_LOG_LEVEL: true })
    .shape,
  LIKEBOX_ALLOW_ANONYMOUS: Bool.default(false).describe('Anonymous clients may connect.'),
  LIKEBOX_USERS_FILE: OptionalText.meta({
    description: 'The users file.',
    defaultText: '$LIKEBOX_DATA_DIR/users.json',
  }),
});

const Flags = z.object({
  role: z.enum(['device', 'organiser']).optional().describe('The role of the new user.'),
  json: Bool.default(false).describe('Print JSON.'),
});

/** A command that records what it was given. */
function recorder() {
  const seen: CommandContext<z.output<typeof Env>, z.output<typeof Flags>>[] = [];
  const command = defineCommand({
    name: 'try',
    summary: 'a command for the tests',
    env: Env,
    flags: Flags,
    aliases: { port: 'mqtt-port' },
    args: [{ name: 'NAME', description: 'a name', optional: true }],
    run: async (ctx) => {
      seen.push(ctx);
      return await Promise.resolve(0);
    },
  });
  return { command, seen };
}

describe('defineCommand', () => {
  it('generates the help from the schemas: each flag, its variable, its default, its description', async () => {
    // Prepare
    const { command } = recorder();
    const out = testIo();

    // Act
    const code = await command.main(['--help'], { io: out.io });

    // Assess
    expect(code).toBe(0);
    const help = out.stdout();
    expect(help).toMatch(/^likebox try: a command for the tests\n\nUsage: likebox try \[NAME\]/);
    expect(help).toMatch(/^ {2}--event EVENT +LIKEBOX_EVENT +default demo\n {6}Event slug/m);
    expect(help).toMatch(
      /^ {2}--mqtt-port PORT +LIKEBOX_MQTT_PORT +default 1883\n.* Also --port\.$/m,
    );
    expect(help).toMatch(/^ {2}--allow-anonymous +LIKEBOX_ALLOW_ANONYMOUS +default false$/m);
    expect(help).toMatch(
      /LIKEBOX_USERS_FILE +default \$LIKEBOX_DATA_DIR\/users\.json\n {6}The users/,
    );
    expect(help).toMatch(/^ {2}--role device\|organiser\n {6}The role of the new user\.$/m);
    expect(help).toContain('  -h, --help');
    expect(out.stderr()).toBe('');
  });

  it('lets a flag win over its variable, and reads yes/no flags alone, negated or with a word', async () => {
    // Prepare
    const { command, seen } = recorder();
    const out = testIo({ env: { LIKEBOX_EVENT: 'from-env', LIKEBOX_MQTT_PORT: '1' } });
    const argv = ['--event', 'from-flag', '--port=2', '--allow-anonymous', 'yes', '--no-json', 'x'];

    // Act
    const code = await command.main(argv, { io: out.io });

    // Assess
    expect(code).toBe(0);
    expect(seen[0]?.env).toMatchObject({
      LIKEBOX_EVENT: 'from-flag',
      LIKEBOX_MQTT_PORT: 2,
      LIKEBOX_ALLOW_ANONYMOUS: true,
    });
    expect(seen[0]?.flags).toEqual({ json: false });
    expect(seen[0]?.args).toEqual(['x']);
  });

  it('lists every problem at once and refuses to run when flags, values and arguments are wrong', async () => {
    // Prepare
    const { command, seen } = recorder();
    const out = testIo({ env: { LIKEBOX_EVENT: 'Not A Slug', LIKEBOX_LOG_LEVEL: 'loud' } });
    const argv = ['--mqtt-port', '99999', '--role', 'admin', '--bogus', 'a', 'b', 'c', '--event'];

    // Act
    const code = await command.main(argv, { io: out.io });

    // Assess
    expect(code).toBe(1);
    expect(seen).toEqual([]);
    const stderr = out.stderr();
    expect(stderr).toMatch(/^likebox try: invalid configuration\n/);
    for (const problem of [
      '✖ unknown option --bogus',
      '✖ --event needs a value',
      '✖ unexpected argument "c"',
      '✖ LIKEBOX_MQTT_PORT: Too big',
      '(--mqtt-port "99999")',
      '✖ LIKEBOX_EVENT: must be a slug',
      '✖ LIKEBOX_LOG_LEVEL',
      '✖ --role',
    ]) {
      expect(stderr).toContain(problem);
    }
    expect(out.logs().at(-1)).toMatchObject({ level: 60, msg: 'invalid configuration' });
  });

  it('refuses a misspelled flag with the flag it probably meant', async () => {
    // Prepare
    const { command } = recorder();
    const out = testIo();

    // Act
    const code = await command.main(['--mqtt-prot', '1'], { io: out.io });

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toContain('✖ unknown option --mqtt-prot (did you mean --mqtt-port?)');
  });

  it('warns about an unknown LIKEBOX_ variable with a suggestion, and not about known ones', async () => {
    // Prepare
    const { command } = recorder();
    const env = { LIKEBOX_EVNT: 'x', LIKEBOX_INFLUX_URL: 'http://x', LIKEBOX_BOGUS_THING: '1' };
    const out = testIo({ env });

    // Act
    const code = await command.main([], {
      io: out.io,
      knownVariables: () => ['LIKEBOX_INFLUX_URL'],
    });

    // Assess
    expect(code).toBe(0);
    const warnings = out.logs().filter((entry) => entry.msg !== undefined && entry.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        variable: 'LIKEBOX_EVNT',
        msg: 'unknown variable (did you mean LIKEBOX_EVENT?)',
      }),
      expect.objectContaining({ variable: 'LIKEBOX_BOGUS_THING', msg: 'unknown variable' }),
    ]);
  });

  it('reads .env in the working directory, says so, and lets the environment win over it', async () => {
    // Prepare
    const dir = await tempDir();
    await writeFile(join(dir, '.env'), 'LIKEBOX_EVENT=from-file\nLIKEBOX_MQTT_PORT=7\n');
    const { command, seen } = recorder();
    const out = testIo({ env: { LIKEBOX_MQTT_PORT: '8' }, cwd: dir });

    // Act
    const code = await command.main([], { io: out.io });

    // Assess
    expect(code).toBe(0);
    expect(seen[0]?.env).toMatchObject({ LIKEBOX_EVENT: 'from-file', LIKEBOX_MQTT_PORT: 8 });
    expect(out.logs()[0]).toMatchObject({ msg: 'read .env', file: join(dir, '.env') });
  });

  it('names the .env file a bad value came from', async () => {
    // Prepare
    const dir = await tempDir();
    await writeFile(join(dir, '.env'), 'LIKEBOX_EVENT=Bad Slug\n');
    const { command } = recorder();
    const out = testIo({ cwd: dir });

    // Act
    const code = await command.main([], { io: out.io });

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toContain(`LIKEBOX_EVENT: must be a slug`);
    expect(out.stderr()).toContain(`(${join(dir, '.env')} "Bad Slug")`);
  });

  it('stops the parts it started in reverse order, each in its own try, when run ends', async () => {
    // Prepare
    const stopped: string[] = [];
    const command = defineCommand({
      name: 'parts',
      summary: 'starts three parts',
      env: SharedEnv.pick({ LIKEBOX_LOG_LEVEL: true }),
      run: async (ctx) => {
        const signalled = ctx.untilSignal();
        ctx.parts.push('first', () => void stopped.push('first'));
        ctx.parts.push('second', () => Promise.reject(new Error('stuck')));
        ctx.parts.push('third', () => void stopped.push('third'));
        await signalled;
        return 0;
      },
    });
    const out = testIo();

    // Act
    const running = command.main([], { io: out.io });
    out.signal();
    const code = await running;

    // Assess
    expect(stopped).toEqual(['third', 'first']);
    expect(code).toBe(1);
    expect(out.logs()).toContainEqual(
      expect.objectContaining({ part: 'second', msg: 'stop failed' }),
    );
  });

  it('prints a failure of a command without a log level on stderr, its own errors without a stack', async () => {
    // Prepare
    const command = defineCommand({
      name: 'tool',
      summary: 'fails',
      env: z.object({}),
      run: () => Promise.reject(new ConfigError('✖ no such file: x.json')),
    });
    const out = testIo();

    // Act
    const code = await command.main([], { io: out.io });

    // Assess
    expect(code).toBe(1);
    expect(out.stdout()).toBe('');
    expect(out.stderr()).toBe('likebox tool: invalid configuration\n✖ no such file: x.json\n');
  });
});

describe('defineGroup', () => {
  const group = defineGroup({
    name: 'tools',
    summary: 'two tools',
    subcommands: [
      defineCommand({
        name: 'tools import',
        summary: 'imports',
        env: z.object({}),
        run: async (ctx) => {
          ctx.io.stdout.write('imported\n');
          return await Promise.resolve(0);
        },
      }),
    ],
  });

  it('runs the subcommand its first argument names', async () => {
    // Prepare
    const out = testIo();

    // Act
    const code = await group.main(['import'], { io: out.io });

    // Assess
    expect(code).toBe(0);
    expect(out.stdout()).toBe('imported\n');
  });

  it('lists its subcommands on --help, and refuses an unknown one with a suggestion and exit 2', async () => {
    // Prepare
    const help = testIo();
    const unknown = testIo();

    // Act
    const helpCode = await group.main(['--help'], { io: help.io });
    const unknownCode = await group.main(['imprt'], { io: unknown.io });

    // Assess
    expect(helpCode).toBe(0);
    expect(help.stdout()).toMatch(/^Subcommands:\n {2}import {2}imports$/m);
    expect(unknownCode).toBe(2);
    expect(unknown.stderr()).toMatch(
      /^likebox tools: unknown subcommand "imprt" \(did you mean import\?\)/,
    );
  });
});
