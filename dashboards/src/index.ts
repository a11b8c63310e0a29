export { ConfigError, DashboardsError } from './errors.ts';
