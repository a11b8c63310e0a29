import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isSlug } from '@likebox/protocol';
import { z } from 'zod';
import { UsersFileError } from './errors.js';
import { isPasswordHash } from './password.js';
import { ROLES } from './roles.js';

const Slug = z.string().refine(isSlug, 'must be a slug: [a-z0-9][a-z0-9-]{0,62}');

/** One user of the users file. */
export const UserEntry = z.object({
  /** What the user may do (ARCHITECTURE.md, "Roles"). */
  role: z.enum(ROLES),
  /** scrypt hash of the password; empty = no password (the user cannot log in). */
  hash: z.string().refine((h) => h === '' || isPasswordHash(h), 'not a scrypt hash'),
  /** The one event this user acts on; absent = the broker's event (or any, when it has none). */
  event: Slug.optional(),
  /**
   * Result of the strength check when the password was hashed: true = too weak beyond loopback,
   * false = strong enough, absent = never checked (an older version or a hand-written entry).
   */
  weak: z.boolean().optional(),
});
/** One user of the users file. */
export type UserEntry = z.infer<typeof UserEntry>;

/** The users file: JSON, mode 0600, written atomically by `likebox users`. */
export const UsersFile = z.object({
  /** Format version of the file. */
  version: z.literal(1),
  /** Users by name; a device's name is its device slug. */
  users: z.record(Slug, UserEntry),
});
/** The users file. */
export type UsersFile = z.infer<typeof UsersFile>;

/** Reads and validates a users file; a missing file is an empty one. */
export async function readUsersFile(path: string): Promise<UsersFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: {} };
    throw new UsersFileError(`cannot read users file ${path}`, { cause: err });
  }
  return parseUsersFile(path, text);
}

/** Parses the text of a users file, listing every problem at once. */
export function parseUsersFile(path: string, text: string): UsersFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsersFileError(`users file ${path} is not JSON`, { cause: err });
  }
  const parsed = UsersFile.safeParse(json);
  if (!parsed.success) {
    throw new UsersFileError(`users file ${path} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Writes a users file atomically (temp file, fsync, rename) with mode 0600. */
export async function writeUsersFile(path: string, file: UsersFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new UsersFileError(`cannot write users file ${path}`, { cause: err });
  }
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs a read-modify-write of a users file; updates of the same file within this process are
 * serialised, so concurrent `addUser` calls never lose a user.
 */
export function updateUsersFile<T>(path: string, change: (file: UsersFile) => T): Promise<T> {
  const run = async () => {
    const file = await readUsersFile(path);
    const result = change(file);
    await writeUsersFile(path, file);
    return result;
  };
  const previous = queues.get(path) ?? Promise.resolve();
  const next = previous.then(run, run);
  const settled = next.catch(() => undefined);
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return next;
}
