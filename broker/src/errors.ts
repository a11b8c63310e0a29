import { LikeboxError } from '@likebox/runtime';

/** The one `ConfigError` of every command (`@likebox/runtime`). */
export { ConfigError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/broker`. */
export class BrokerError extends LikeboxError {}

/** The users file cannot be read, parsed or written, or a users command got bad input. */
export class UsersFileError extends BrokerError {}

/** A password too weak for an account that may be used beyond loopback. */
export class WeakPasswordError extends UsersFileError {
  /** Every reason the password is weak, one sentence each. */
  readonly reasons: readonly string[];

  constructor(message: string, reasons: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.reasons = reasons;
  }
}

/** The broker refuses to start, e.g. listening beyond loopback while a user has a weak password. */
export class UnsafeStartError extends BrokerError {}

/**
 * A password check was not queued: the queue of checks (or the caller's address's share of it)
 * is full. The CONNECT is refused at once with "server unavailable"; a real client retries.
 */
export class AuthBusyError extends BrokerError {}
