export { ConfigError, IngestError } from './errors.ts';
export {
  freePort,
  InfluxdStartError,
  type ManagedInfluxd,
  type ManagedInfluxdOptions,
  startManagedInfluxd,
} from './managedInfluxd.ts';
