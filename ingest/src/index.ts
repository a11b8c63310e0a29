export { type BrokerLink, type LinkParts, subscriptions } from './brokerLink.js';
export {
  type Config,
  ConfigSchema,
  configOf,
  IngestOwnEnv,
  IngestVariables,
  loadConfig,
} from './config.js';
export { ConfigError, IngestError } from './errors.js';
export { type IngestHealth, ingestChecks } from './httpServer.js';
export { type RunningIngest, type StartIngestOptions, startIngest } from './ingest.js';
export { ingestCommand } from './ingestCommand.js';
export { loadSchedule } from './scheduleState.js';
