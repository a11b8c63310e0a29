import { LikeboxError } from '@likebox/runtime';

/** The one `ConfigError` of every command (`@likebox/runtime`). */
export { ConfigError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/dashboards`. */
export class DashboardsError extends LikeboxError {}
