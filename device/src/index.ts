export { ConfigError, DeviceError } from './errors.js';
