export { BrokerError, ConfigError } from './errors.js';
