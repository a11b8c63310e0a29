import { assertNoProblems, type FlagSpec, parseCommandLine } from './args.js';
import { loadConfig } from './config.js';
import { UsersFileError } from './errors.js';
import { isDefaultPassword } from './password.js';
import { type CommandIo, readPassword } from './passwordInput.js';
import { isRole, ROLES } from './roles.js';
import { addUser, listUsers, removeUser, setPassword } from './users.js';
import { readUsersFile } from './usersFile.js';

/** Help text of `likebox users`. */
export const USERS_HELP = `Usage: likebox users <add|remove|list|passwd> [NAME] [options]

  add NAME --role ${ROLES.join('|')} [--password PW] [--event EVENT]
  passwd NAME [--password PW]
  remove NAME
  list [--json]

Without --password, the password is prompted (no echo) on a terminal, else read as the first line
of stdin. A device's NAME is its device slug. Users without --event act on LIKEBOX_EVENT.
Options: --users-file PATH (LIKEBOX_USERS_FILE), --data-dir DIR (LIKEBOX_DATA_DIR).
`;

const FLAGS: Record<string, FlagSpec> = {
  'users-file': { variable: 'LIKEBOX_USERS_FILE' },
  'data-dir': { variable: 'LIKEBOX_DATA_DIR' },
};
const EXTRA = { role: 'string', password: 'string', event: 'string', json: 'boolean' } as const;

function nameOf(positionals: string[], action: string): string {
  const name = positionals[1];
  if (name === undefined || positionals.length > 2) {
    throw new UsersFileError(`usage: likebox users ${action} NAME`);
  }
  return name;
}

async function passwordOf(io: CommandIo, extra: Record<string, unknown>, name: string) {
  const given = extra.password;
  const password = typeof given === 'string' ? given : await readPassword(io, name);
  if (password.length === 0) throw new UsersFileError('the password must not be empty');
  if (isDefaultPassword(name, password)) {
    io.stderr.write(
      `warning: this password is a well-known default; the broker will refuse to listen beyond loopback\n`,
    );
  }
  return password;
}

async function add(file: string, name: string, extra: Record<string, unknown>, io: CommandIo) {
  const role = extra.role;
  if (typeof role !== 'string' || !isRole(role)) {
    throw new UsersFileError(`--role must be one of ${ROLES.join(', ')}`);
  }
  if ((await readUsersFile(file)).users[name] !== undefined) {
    throw new UsersFileError(`user ${name} exists: use \`likebox users passwd ${name}\``);
  }
  const password = await passwordOf(io, extra, name);
  const event = typeof extra.event === 'string' ? { event: extra.event } : {};
  await addUser(file, name, role, password, event);
  io.stdout.write(`added ${name} (${role})\n`);
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

/** Runs `likebox users ...`; throws on bad input (the caller prints it and sets the exit code). */
export async function runUsersCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<void> {
  const line = parseCommandLine(argv, env, FLAGS, EXTRA);
  assertNoProblems(line.problems);
  const action = line.positionals[0];
  if (line.help || action === undefined) {
    io.stdout.write(USERS_HELP);
    return;
  }
  const file = loadConfig(line.env).LIKEBOX_USERS_FILE;
  switch (action) {
    case 'add':
      return add(file, nameOf(line.positionals, action), line.extra, io);
    case 'passwd': {
      const name = nameOf(line.positionals, action);
      if ((await readUsersFile(file)).users[name] === undefined) {
        throw new UsersFileError(`no such user: ${name}`);
      }
      await setPassword(file, name, await passwordOf(io, line.extra, name));
      io.stdout.write(`password of ${name} changed\n`);
      return;
    }
    case 'remove': {
      const name = nameOf(line.positionals, action);
      if (!(await removeUser(file, name))) throw new UsersFileError(`no such user: ${name}`);
      io.stdout.write(`removed ${name}\n`);
      return;
    }
    case 'list':
      return list(file, line.extra.json === true, io);
    default:
      throw new UsersFileError(`unknown action "${action}"\n\n${USERS_HELP}`);
  }
}
