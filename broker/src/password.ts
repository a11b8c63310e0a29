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
 * At most this many scrypt derivations run at once (16 MiB each): a reconnect storm of 1,000 boxes
 * then costs 32 MiB of scrypt memory instead of the whole thread pool's worth, and leaves a core
 * and thread-pool slots for the event loop, file and DNS work.
 */
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Checks a password against a hash from {@link hashPassword}, in constant time. `wanted` is asked
 * once the derivation may start: a client that gave up while queued costs no scrypt.
 */
export function verifyPassword(
  password: string,
  hash: string,
  wanted: () => boolean = () => true,
): Promise<boolean> {
  if (!isPasswordHash(hash)) return Promise.resolve(false);
  return limited(() => (wanted() ? derivedEquals(password, hash) : Promise.resolve(false)));
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
