import { LikeboxError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/influx`. */
export class InfluxError extends LikeboxError {}
