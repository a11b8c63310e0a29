export { type Config, ConfigSchema, type InfluxConfig, loadConfig } from './config.js';
export { ConfigError, IngestError } from './errors.js';
export { createHttpHandler, type IngestHealth } from './httpServer.js';
export { type RunningIngest, type StartIngestOptions, startIngest } from './ingest.js';
export { INGEST_HELP, ingest } from './ingestCommand.js';
export {
  freePort,
  InfluxdStartError,
  type ManagedInfluxd,
  type ManagedInfluxdOptions,
  startManagedInfluxd,
} from './managedInfluxd.js';
export * from './schedule/index.js';
