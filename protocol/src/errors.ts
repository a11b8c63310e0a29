/** Base class of every error thrown by `@likebox/protocol`. */
export class ProtocolError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A topic could not be built: one of its levels is not a slug. */
export class TopicError extends ProtocolError {}

/** Called at the end of an exhaustive `switch`: the compiler proves it unreachable. */
export function assertNever(value: never): never {
  throw new ProtocolError(`unexpected value: ${JSON.stringify(value)}`);
}
