import { Bool, type CommandIo, defineCommand } from '@likebox/runtime';
import { z } from 'zod';
import { UsersFileEnv, usersFileOf } from './config.js';
import { UsersFileError } from './errors.js';
import { readPassword } from './passwordInput.js';
import { assertStrongPassword, passwordWeaknesses } from './passwordStrength.js';
import { ROLES, type Role } from './roles.js';
import { addUser, listUsers, removeUser, setPassword } from './users.js';
import { readUsersFile } from './usersFile.js';

const ACTIONS = ['add', 'remove', 'list', 'passwd'] as const;

/** The own flags of `likebox users`. */
const UsersFlags = z.object({
  role: z.enum(ROLES).optional().describe('`add`: the role of the new user (required).'),
  password: z
    .string()
    .optional()
    .describe('`add`, `passwd`: the password; without it, it is prompted (or read from stdin).'),
  event: z
    .string()
    .optional()
    .describe('`add`: the only event the user acts on (default: LIKEBOX_EVENT of the broker).'),
  json: Bool.default(false).describe('`list`: print JSON.'),
  'allow-weak': Bool.default(false).describe(
    '`add`, `passwd`: keep a weak password (warned): only for accounts used on loopback, since the ' +
      'broker refuses to listen beyond loopback while any user has one.',
  ),
});

type Flags = z.output<typeof UsersFlags>;

function nameOf(args: string[], action: string): string {
  const name = args[1];
  if (name === undefined) throw new UsersFileError(`usage: likebox users ${action} NAME`);
  return name;
}

async function passwordOf(io: CommandIo, flags: Flags, name: string) {
  const password = flags.password ?? (await readPassword(io, name));
  if (password.length === 0) throw new UsersFileError('the password must not be empty');
  if (!flags['allow-weak']) {
    await assertStrongPassword(name, password);
    return password;
  }
  const reasons = await passwordWeaknesses(name, password);
  if (reasons.length > 0) {
    io.stderr.write(
      `warning: this password is weak (${reasons.join('; ')}); the broker will refuse to listen beyond loopback\n`,
    );
  }
  return password;
}

async function add(file: string, name: string, flags: Flags, io: CommandIo) {
  const role: Role | undefined = flags.role;
  if (role === undefined) throw new UsersFileError(`--role must be one of ${ROLES.join(', ')}`);
  if ((await readUsersFile(file)).users[name] !== undefined) {
    throw new UsersFileError(`user ${name} exists: use \`likebox users passwd ${name}\``);
  }
  const password = await passwordOf(io, flags, name);
  await addUser(
    file,
    name,
    role,
    password,
    flags.event === undefined ? {} : { event: flags.event },
  );
  io.stdout.write(`added ${name} (${role})\n`);
}

async function passwd(file: string, name: string, flags: Flags, io: CommandIo) {
  if ((await readUsersFile(file)).users[name] === undefined) {
    throw new UsersFileError(`no such user: ${name}`);
  }
  await setPassword(file, name, await passwordOf(io, flags, name));
  io.stdout.write(`password of ${name} changed\n`);
}

async function remove(file: string, name: string, io: CommandIo) {
  if (!(await removeUser(file, name))) throw new UsersFileError(`no such user: ${name}`);
  io.stdout.write(`removed ${name}\n`);
}

async function list(file: string, json: boolean, io: CommandIo) {
  const users = await listUsers(file);
  if (json) {
    io.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
    return;
  }
  const rows = users.map((u) => [u.name, u.role, u.event ?? '-', u.weak ? 'WEAK PASSWORD' : '']);
  const width = Math.max(4, ...users.map((u) => u.name.length));
  for (const row of [['NAME', 'ROLE', 'EVENT', ''], ...rows]) {
    io.stdout.write(
      `${row[0]?.padEnd(width)}  ${row[1]?.padEnd(9)}  ${row[2]?.padEnd(12)}  ${row[3]}`.trimEnd() +
        '\n',
    );
  }
}

/**
 * `likebox users add|remove|list|passwd`: manages the broker's users file. A bad input is a
 * `UsersFileError`, printed as `likebox users: <message>` with exit code 1.
 */
export const usersCommand = defineCommand({
  name: 'users',
  summary: 'broker credentials: add, remove, list, passwd (scrypt hashes)',
  description: [
    'add NAME --role ROLE [--password PW] [--event EVENT]',
    'passwd NAME [--password PW]',
    'remove NAME',
    'list [--json]',
    '',
    'Without --password, the password is prompted (no echo) on a terminal, else read as the ' +
      "first line of stdin. A device's NAME is its device slug.",
  ].join('\n'),
  env: UsersFileEnv,
  flags: UsersFlags,
  args: [
    { name: 'ACTION', description: ACTIONS.join(', '), optional: true },
    { name: 'NAME', description: 'the user (add, passwd, remove)', optional: true },
  ],
  run: async (ctx) => {
    const [action] = ctx.args;
    const file = usersFileOf(ctx.env);
    switch (action) {
      case undefined:
        ctx.io.stdout.write(usersCommand.help());
        return 0;
      case 'add':
        await add(file, nameOf(ctx.args, action), ctx.flags, ctx.io);
        return 0;
      case 'passwd':
        await passwd(file, nameOf(ctx.args, action), ctx.flags, ctx.io);
        return 0;
      case 'remove':
        await remove(file, nameOf(ctx.args, action), ctx.io);
        return 0;
      case 'list':
        await list(file, ctx.flags.json, ctx.io);
        return 0;
      default:
        throw new UsersFileError(`unknown action "${action}": one of ${ACTIONS.join(', ')}`);
    }
  },
});
