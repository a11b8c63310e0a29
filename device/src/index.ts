export { DeviceError, ConfigError } from './errors.js';
