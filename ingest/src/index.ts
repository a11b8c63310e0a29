export { type BrokerLink, type LinkParts, subscriptions } from './brokerLink.js';
export { CONFIG_KEYS, type Config, ConfigSchema, loadConfig } from './config.js';
export { ConfigError, IngestError } from './errors.js';
export { createHttpHandler, type IngestHealth } from './httpServer.js';
export { type RunningIngest, type StartIngestOptions, startIngest } from './ingest.js';
export { INGEST_HELP, ingest } from './ingestCommand.js';
export { loadSchedule } from './scheduleState.js';
