import { LikeboxError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/server`. */
export class ServerError extends LikeboxError {}

/** `likebox report` could not read the results or write the report. */
export class ReportError extends ServerError {}
