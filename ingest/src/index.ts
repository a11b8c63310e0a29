export { IngestError, ConfigError } from './errors.js';
