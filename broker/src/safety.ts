import { UnsafeStartError } from './errors.js';
import type { UserEntry } from './usersFile.js';

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./.test(host)
  );
}

/**
 * Refuses to listen beyond loopback while any user has an empty or default password (flagged by
 * `likebox users` when it hashed it). Lists every such user at once.
 */
export function assertSafeToListen(host: string, users: Readonly<Record<string, UserEntry>>): void {
  if (isLoopback(host)) return;
  const weak = Object.entries(users)
    .filter(([, user]) => user.hash === '' || user.weak === true)
    .map(([name]) => name);
  if (weak.length > 0) {
    throw new UnsafeStartError(
      `refusing to listen on ${host}: these users have an empty or default password: ${weak.join(', ')}. ` +
        'Set real ones with `likebox users passwd NAME`.',
    );
  }
}
