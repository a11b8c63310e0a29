import { isSlug } from '@likebox/protocol';
import { UsersFileError } from './errors.js';
import { hashPassword } from './password.js';
import { passwordWeaknesses } from './passwordStrength.js';
import type { Role } from './roles.js';
import { readUsersFile, updateUsersFile } from './usersFile.js';

/** Options of {@link addUser}. */
export interface AddUserOptions {
  /** The one event this user acts on; absent = the broker's event (or any, when it has none). */
  event?: string;
}

/** A user as listed by {@link listUsers} (never the hash). */
export interface UserSummary {
  /** User name; a device's name is its device slug. */
  name: string;
  /** The user's role. */
  role: Role;
  /** The user's event, when pinned to one. */
  event?: string;
  /**
   * True when the password is empty, failed the strength check (`passwordWeaknesses`) or was never
   * checked: the broker refuses to listen beyond loopback while such a user exists.
   */
  weak: boolean;
}

function checkName(name: string): void {
  if (!isSlug(name)) {
    throw new UsersFileError(`user name must be a slug ([a-z0-9][a-z0-9-]{0,62}): ${name}`);
  }
}

function checkPassword(password: string): void {
  if (password.length === 0) throw new UsersFileError('the password must not be empty');
}

/** The scrypt hash of `password` and whether it is too weak beyond loopback. */
async function hashAndJudge(name: string, password: string): Promise<[string, boolean]> {
  const [hash, reasons] = await Promise.all([
    hashPassword(password),
    passwordWeaknesses(name, password),
  ]);
  return [hash, reasons.length > 0];
}

/**
 * Adds a user to a users file, or replaces it when it exists. Creates the file (mode 0600) when
 * missing. The password is stored as a scrypt hash; an empty password is refused. A password that
 * fails `passwordWeaknesses` is accepted and flagged `weak: true` (a loopback test account): the
 * broker then refuses to listen beyond loopback. `likebox users` refuses it before calling this
 * (`assertStrongPassword`).
 */
export async function addUser(
  usersFile: string,
  name: string,
  role: Role,
  password: string,
  options: AddUserOptions = {},
): Promise<void> {
  checkName(name);
  checkPassword(password);
  if (options.event !== undefined && !isSlug(options.event)) {
    throw new UsersFileError(`event must be a slug: ${options.event}`);
  }
  const [hash, weak] = await hashAndJudge(name, password);
  await updateUsersFile(usersFile, (file) => {
    file.users[name] = {
      role,
      hash,
      ...(options.event === undefined ? {} : { event: options.event }),
      weak,
    };
  });
}

/** Removes a user; returns false when there was no such user. */
export function removeUser(usersFile: string, name: string): Promise<boolean> {
  return updateUsersFile(usersFile, (file) => {
    if (file.users[name] === undefined) return false;
    delete file.users[name];
    return true;
  });
}

/**
 * Changes a user's password (flagged `weak` as in {@link addUser}); throws
 * {@link UsersFileError} when there is no such user.
 */
export async function setPassword(usersFile: string, name: string, password: string) {
  checkPassword(password);
  const [hash, weak] = await hashAndJudge(name, password);
  await updateUsersFile(usersFile, (file) => {
    const user = file.users[name];
    if (user === undefined) throw new UsersFileError(`no such user: ${name}`);
    user.hash = hash;
    user.weak = weak;
  });
}

/** Lists the users of a file, sorted by name. */
export async function listUsers(usersFile: string): Promise<UserSummary[]> {
  const file = await readUsersFile(usersFile);
  return Object.entries(file.users)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, user]) => ({
      name,
      role: user.role,
      ...(user.event === undefined ? {} : { event: user.event }),
      weak: user.hash === '' || user.weak !== false,
    }));
}
