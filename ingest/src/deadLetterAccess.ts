import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Who may read `/dead-letters`: nobody (the default), or organisers of the users file. */
export type DeadLetterAccess = 'off' | 'organiser';

/** The answer to a request's credentials. */
export type AccessVerdict = 'ok' | 'unauthenticated' | 'forbidden';

/**
 * The part of the users file (written by `likebox users`, `@likebox/broker`) read here: each
 * user's role, scrypt hash and event. Read directly rather than through `@likebox/broker`, which
 * the ingest does not depend on; unknown fields are left alone, so the file may grow.
 */
const UsersFile = z.looseObject({
  users: z.record(
    z.string(),
    z.looseObject({ role: z.string(), hash: z.string(), event: z.string().optional() }),
  ),
});

/** `scrypt$N$r$p$salt$hash` (salt and hash in base64), as `likebox users` writes passwords. */
const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** An unknown user's password is checked against this, so that the answer takes as long. */
const DUMMY = `scrypt$16384$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, length: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, length, { N, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** True when `password` matches a hash of the users file, compared in constant time. */
export async function verifyScrypt(password: string, hash: string): Promise<boolean> {
  const parts = HASH.exec(hash);
  if (parts === null) return false;
  const [, n, r, p, salt, key] = parts;
  const expected = Buffer.from(key ?? '', 'base64');
  const params = [Number(n), Number(r), Number(p)] as const;
  const saltBytes = Buffer.from(salt ?? '', 'base64');
  // Parameters scrypt refuses (N not a power of two, too much memory): a broken hash, no match.
  const actual = await derive(password, saltBytes, ...params, expected.length).catch(() => null);
  return actual !== null && actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * `Authorization: Basic …` taken apart (RFC 7617: base64 of `user:password`, the password may
 * hold colons), or undefined when absent or malformed. Written here: Node has no parser for it and
 * it is four lines.
 */
export function basicCredentials(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (match === null) return undefined;
  const text = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Checks HTTP Basic credentials against the users file for `/dead-letters`: an `organiser` of this
 * event (or of none in particular) gets in; a good password of another role is `forbidden`;
 * anything else is `unauthenticated`. The file is read on each request, so `likebox users` changes
 * apply at once. Checks run one at a time (scrypt takes ~50 ms and 16 MiB), which also bounds
 * password guessing to ~20 per second.
 */
export class OrganiserCheck {
  readonly #usersFile: string;
  readonly #event: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(usersFile: string, event: string) {
    this.#usersFile = usersFile;
    this.#event = event;
  }

  /** The verdict for an `Authorization` header. */
  verify(authorization: string | undefined): Promise<AccessVerdict> {
    const run = this.#queue.then(() => this.#verify(authorization));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #verify(authorization: string | undefined): Promise<AccessVerdict> {
    const given = basicCredentials(authorization);
    if (given === undefined) return 'unauthenticated';
    const user = (await this.#users())?.[given.user];
    const good = await verifyScrypt(given.password, user?.hash || DUMMY);
    if (!good || user === undefined) return 'unauthenticated';
    const ofEvent = user.event === undefined || user.event === this.#event;
    return user.role === 'organiser' && ofEvent ? 'ok' : 'forbidden';
  }

  /** The users, or undefined when the file is missing or unreadable (nobody gets in). */
  async #users() {
    try {
      const parsed = UsersFile.safeParse(JSON.parse(await readFile(this.#usersFile, 'utf8')));
      return parsed.success ? parsed.data.users : undefined;
    } catch {
      return undefined;
    }
  }
}
