export { DashboardsError, ConfigError } from './errors.js';
