import { LikeboxError } from '@likebox/runtime';

/** The one `ConfigError` of every command (`@likebox/runtime`). */
export { ConfigError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/web`. */
export class WebError extends LikeboxError {}

/**
 * The page's prebuilt bundle (`dist/assets/`) is missing or incomplete: `tsc -b` alone does not
 * make it. The message names the command that does.
 */
export class BundleMissingError extends WebError {}
