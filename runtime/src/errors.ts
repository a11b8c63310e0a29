/**
 * Base class of every error LikeBox throws on purpose: its `name` is the subclass's, and a `cause`
 * (ErrorOptions) keeps the error it wraps. Each workspace derives its own base from it
 * (`BrokerError`, `IngestError`, ...), so a caller can tell ours from a library's.
 */
export class LikeboxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The configuration (variables, flags, a file it names) is invalid; the message lists every
 * problem at once. The one `ConfigError` of every command: a command refuses to start on it.
 */
export class ConfigError extends LikeboxError {}
