import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { addUser, type Role, readUsersFile } from '@likebox/broker';
import { z } from 'zod';
import { ServerError } from './errors.js';
import { CREDENTIALS_FILE } from './upConfig.js';

/** User name of the read-only account the live page hands to browsers. */
export const LIVE_PAGE_USER = 'live-page';

const Credentials = z.object({
  /** Clear-text passwords by user name: only for accounts `up` itself created and uses. */
  passwords: z.record(z.string(), z.string().min(1)),
});
type Credentials = z.infer<typeof Credentials>;

/** A user `up` needs, with its role. */
export interface NeededUser {
  /** User name (a slug; a device's name is its device id). */
  name: string;
  /** Its role. */
  role: Role;
  /** Give it the password of this user, listed before it (simulated boxes share one). */
  sameAs?: string;
}

/** Thrown when the credentials file is unreadable or invalid. */
export class CredentialsError extends ServerError {}

/** 24 random bytes, URL-safe base64: a password nobody has to type. */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

async function readCredentials(path: string): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { passwords: {} };
    throw new CredentialsError(`cannot read ${path}`, { cause: err });
  }
  const parsed = Credentials.safeParse(JSON.parse(text));
  if (!parsed.success) throw new CredentialsError(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function writeCredentials(path: string, credentials: Credentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

/**
 * Makes sure every user in `needed` exists in the broker's users file with a password `up` knows,
 * and returns those passwords by user name. A user missing from either file gets a fresh random
 * password (stored in the users file only as a scrypt hash, and in clear only in
 * `$dataDir/up-credentials.json`, mode 0600, for the in-process clients). Existing users keep
 * theirs, so a restart changes nothing.
 */
export async function ensureUsers(
  usersFile: string,
  dataDir: string,
  needed: readonly NeededUser[],
): Promise<{ passwords: Map<string, string>; created: string[] }> {
  const path = join(dataDir, CREDENTIALS_FILE);
  const credentials = await readCredentials(path);
  const existing = (await readUsersFile(usersFile)).users;
  const passwords = new Map<string, string>();
  const created: string[] = [];
  for (const user of needed) {
    const known = credentials.passwords[user.name];
    const entry = existing[user.name];
    if (known !== undefined && entry !== undefined && entry.role === user.role) {
      passwords.set(user.name, known);
      continue;
    }
    const shared = user.sameAs === undefined ? undefined : passwords.get(user.sameAs);
    const password = shared ?? randomPassword();
    await addUser(usersFile, user.name, user.role, password);
    credentials.passwords[user.name] = password;
    passwords.set(user.name, password);
    created.push(user.name);
  }
  if (created.length > 0) await writeCredentials(path, credentials);
  return { passwords, created };
}
