import { LikeboxError } from '@likebox/runtime';

/** The one `ConfigError` of every command (`@likebox/runtime`). */
export { ConfigError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/broker`. */
export class BrokerError extends LikeboxError {}

/** The users file cannot be read, parsed or written, or a users command got bad input. */
export class UsersFileError extends BrokerError {}

/** The broker refuses to start, e.g. listening beyond loopback while a user has a weak password. */
export class UnsafeStartError extends BrokerError {}
