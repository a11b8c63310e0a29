import { UnsafeStartError } from './errors.js';
import { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE } from './passwordStrength.js';
import type { UserEntry } from './usersFile.js';

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./.test(host)
  );
}

/**
 * Why a user may not log in beyond loopback, or null when it may: an empty password, one that
 * failed the strength check when `likebox users` hashed it (`weak: true`), or one never checked
 * (no `weak` field: hashed by an older version or written by hand; the broker has only the hash).
 */
function weakness(user: UserEntry): string | null {
  if (user.hash === '') return 'no password';
  if (user.weak === true) return 'weak';
  if (user.weak === undefined) return 'never checked';
  return null;
}

/**
 * Refuses to listen beyond loopback while any user has an empty, weak or never-checked password
 * (see `passwordWeaknesses`). Lists every such user at once.
 */
export function assertSafeToListen(host: string, users: Readonly<Record<string, UserEntry>>): void {
  if (isLoopback(host)) return;
  const unsafe = Object.entries(users).flatMap(([name, user]) => {
    const why = weakness(user);
    return why === null ? [] : [`${name} (${why})`];
  });
  if (unsafe.length > 0) {
    throw new UnsafeStartError(
      `refusing to listen on ${host}: these users' passwords are not safe beyond loopback: ` +
        `${unsafe.join(', ')}. A password needs ${MIN_PASSWORD_LENGTH} characters or more and ` +
        `a zxcvbn strength of ${MIN_PASSWORD_SCORE}/4 (no common password, keyboard pattern or ` +
        'name). Set real ones with `likebox users passwd NAME`.',
    );
  }
}
