import { InfluxEnv } from '@likebox/influx/env';
import { parseVariables, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';
import { PLACEHOLDER_EMAILS } from './alerting/provisioning.js';
import { DEFAULT_DASHBOARDS_PATH, INFLUX_VERSIONS } from './provisioning.js';

/** The variables of `likebox dashboards`; each has its `--flag`. */
export const DashboardsEnv = z.object({
  ...SharedEnv.pick({ LIKEBOX_EVENT: true }).shape,
  LIKEBOX_GRAFANA_DIR: z
    .string()
    .min(1)
    .default('infra/grafana')
    .describe('Folder receiving provisioning/ and dashboards/.'),
  LIKEBOX_INFLUX_VERSION: z
    .enum(INFLUX_VERSIONS)
    .default('1')
    .describe('The InfluxDB the datasource targets: 1, 2 or 3 (all queried in InfluxQL).'),
  // Written into YAML and queries: letters, digits, _ and - only.
  LIKEBOX_INFLUX_DATABASE: InfluxEnv.shape.LIKEBOX_INFLUX_DATABASE.refine(
    (name) => /^[A-Za-z0-9_-]{1,64}$/.test(name),
    'must be letters, digits, _ or -',
  ),
  LIKEBOX_GRAFANA_DASHBOARDS_PATH: z
    .string()
    .startsWith('/')
    .default(DEFAULT_DASHBOARDS_PATH)
    .describe('Where Grafana reads the dashboard JSON files.'),
  LIKEBOX_GRAFANA_ALERT_EMAILS: z
    .string()
    .default(PLACEHOLDER_EMAILS)
    .refine(
      (emails) => emails.split(';').every((email) => z.email().safeParse(email.trim()).success),
      'must be e-mail addresses separated by ;',
    )
    .describe('Who Grafana e-mails its alerts to (addresses separated by ;).'),
});

/** Configuration of `likebox dashboards`. */
export interface Config {
  /** The event preselected in every dashboard's `event` variable. */
  event: string;
  /** Folder receiving `provisioning/` and `dashboards/`. */
  out: string;
  /** 1, 2 or 3; all are queried in InfluxQL. */
  influxVersion: (typeof INFLUX_VERSIONS)[number];
  /** The InfluxDB database (1.x), or DBRP-mapped name (2.x, 3.x). */
  database: string;
  /** Where Grafana reads the JSON files. */
  dashboardsPath: string;
  /** The alert contact point's e-mail addresses, `;`-separated. */
  alertEmails: string;
}

/** The configuration validated variables describe. */
export function configOf(env: z.output<typeof DashboardsEnv>): Config {
  return {
    event: env.LIKEBOX_EVENT,
    out: env.LIKEBOX_GRAFANA_DIR,
    influxVersion: env.LIKEBOX_INFLUX_VERSION,
    database: env.LIKEBOX_INFLUX_DATABASE,
    dashboardsPath: env.LIKEBOX_GRAFANA_DASHBOARDS_PATH,
    alertEmails: env.LIKEBOX_GRAFANA_ALERT_EMAILS,
  };
}

/**
 * Reads the configuration from `env`.
 * @throws ConfigError listing every problem at once.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = {}): Config {
  return configOf(parseVariables(DashboardsEnv, env));
}
