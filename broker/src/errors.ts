/** Base class of every error thrown by `@likebox/broker`. */
export class BrokerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration is invalid; the message lists every problem at once. */
export class ConfigError extends BrokerError {}
