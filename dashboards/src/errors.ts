/** Base class of every error thrown by `@likebox/dashboards`. */
export class DashboardsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration is invalid; the message lists every problem at once. */
export class ConfigError extends DashboardsError {}
