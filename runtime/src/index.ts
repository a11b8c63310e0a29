export { flagOf, type ParsedArgs, parseArgs } from './args.js';
export { ConfigError, LikeboxError } from './errors.js';
export { type HttpServerOptions, type RunningHttpServer, startHttpServer } from './healthServer.js';
export { limitHeapGrowth } from './heapGrowth.js';
export { untilSignal } from './signals.js';
