import { LikeboxError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/server`. */
export class ServerError extends LikeboxError {}
