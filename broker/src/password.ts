import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters: N = 2^14, r = 8, p = 1 (Node's defaults, OWASP's minimum for scrypt). */
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * Passwords that count as "default": the broker refuses to listen beyond loopback while a user has
 * one of these (or its own name) as password. Lower-cased before comparison.
 */
export const DEFAULT_PASSWORDS: ReadonlySet<string> = new Set([
  'admin',
  'changeme',
  'default',
  'likebox',
  'mosquitto',
  'mqtt',
  'pass',
  'password',
  'public',
  'secret',
  '1234',
  '12345678',
]);

/** True when `password` is a well-known default or equals the user's name. */
export function isDefaultPassword(name: string, password: string): boolean {
  const lower = password.toLowerCase();
  return DEFAULT_PASSWORDS.has(lower) || lower === name.toLowerCase();
}

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number) {
  return new Promise<Buffer>((resolve, reject) => {
    // The async scrypt runs in libuv's thread pool: a burst of reconnecting boxes never blocks
    // the event loop that forwards votes.
    scrypt(password, salt, length, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password with scrypt and a random salt: `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, PARAMS, KEY_LENGTH);
  const { N, r, p } = PARAMS;
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `hash` has the shape written by {@link hashPassword}. */
export function isPasswordHash(hash: string): boolean {
  return /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(hash);
}

/**
 * A hash in the shape of {@link hashPassword}'s, with the same cost parameters, whose key is random
 * bytes: no password derives it. Checking an unknown user's password against it costs the same
 * scrypt as a known user's, so the answer's timing does not tell which user names exist.
 */
const DUMMY_HASH = [
  'scrypt',
  PARAMS.N,
  PARAMS.r,
  PARAMS.p,
  randomBytes(SALT_LENGTH).toString('base64'),
  randomBytes(KEY_LENGTH).toString('base64'),
].join('$');

/**
 * Checks a password against a hash from {@link hashPassword}, in constant time. `null` = no such
 * user (or one without a password): the password is checked against a dummy hash with the same
 * cost, and the answer is false after the same time.
 */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash === null || !isPasswordHash(hash)) {
    await derivedEquals(password, DUMMY_HASH);
    return false;
  }
  return derivedEquals(password, hash);
}

async function derivedEquals(password: string, hash: string): Promise<boolean> {
  const [, n, r, p, salt, key] = hash.split('$');
  const expected = Buffer.from(key ?? '', 'base64');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  const actual = await derive(
    password,
    Buffer.from(salt ?? '', 'base64'),
    options,
    expected.length,
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
