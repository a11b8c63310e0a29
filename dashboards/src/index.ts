export { ConfigError, DashboardsError } from './errors.js';
