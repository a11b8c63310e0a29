/** Base class of every error thrown by `@likebox/broker`. */
export class BrokerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration is invalid; the message lists every problem at once. */
export class ConfigError extends BrokerError {}

/** The users file cannot be read, parsed or written, or a users command got bad input. */
export class UsersFileError extends BrokerError {}

/** The broker refuses to start, e.g. listening beyond loopback while a user has a weak password. */
export class UnsafeStartError extends BrokerError {}
