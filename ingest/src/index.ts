export { ConfigError, IngestError } from './errors.js';
export {
  freePort,
  InfluxdStartError,
  type ManagedInfluxd,
  type ManagedInfluxdOptions,
  startManagedInfluxd,
} from './managedInfluxd.js';
export * from './schedule/index.js';
