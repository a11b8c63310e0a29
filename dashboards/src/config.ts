import { Slug } from '@likebox/protocol';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { DEFAULT_DASHBOARDS_PATH, INFLUX_VERSIONS } from './provisioning.js';

/** Configuration of `likebox dashboards`; each field has an env variable and a `--flag`. */
export const ConfigSchema = z.object({
  /** `LIKEBOX_EVENT` / `--event`: the event preselected in every dashboard's `event` variable. */
  event: Slug.default('demo'),
  /** `LIKEBOX_GRAFANA_DIR` / `--out`: folder receiving `provisioning/` and `dashboards/`. */
  out: z.string().min(1).default('infra/grafana'),
  /** `LIKEBOX_INFLUX_VERSION` / `--influx-version`: 1, 2 or 3; all are queried in InfluxQL. */
  influxVersion: z.enum(INFLUX_VERSIONS).default('1'),
  /** `LIKEBOX_INFLUX_DATABASE` / `--database`: the InfluxDB database (1.x), or DBRP-mapped name (2.x, 3.x). */
  database: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or -')
    .default('likebox'),
  /** `LIKEBOX_GRAFANA_DASHBOARDS_PATH` / `--dashboards-path`: where Grafana reads the JSON files. */
  dashboardsPath: z.string().startsWith('/').default(DEFAULT_DASHBOARDS_PATH),
});

/** The validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variable of each config field. */
export const ENV_NAMES: Readonly<Record<keyof Config, string>> = {
  event: 'LIKEBOX_EVENT',
  out: 'LIKEBOX_GRAFANA_DIR',
  influxVersion: 'LIKEBOX_INFLUX_VERSION',
  database: 'LIKEBOX_INFLUX_DATABASE',
  dashboardsPath: 'LIKEBOX_GRAFANA_DASHBOARDS_PATH',
};

/**
 * Reads the configuration from `env`, overridden by `flags` (the parsed `--flags`).
 * @throws ConfigError listing every problem at once.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: Partial<Record<keyof Config, string>> = {},
): Config {
  const raw = Object.fromEntries(
    (Object.keys(ENV_NAMES) as (keyof Config)[]).map((key) => [
      key,
      flags[key] ?? env[ENV_NAMES[key]],
    ]),
  );
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(z.prettifyError(result.error));
  return result.data;
}
