import { OptionalText } from '@likebox/runtime';
import { z } from 'zod';
import type { InfluxConfig } from './config.js';

/**
 * The `LIKEBOX_INFLUX_*` variables of every command that writes to InfluxDB (`likebox ingest`,
 * `likebox up`), each defined here once. Apply {@link checkInfluxCredentials} to the command's
 * object, which a spread of this shape does not carry.
 */
export const InfluxEnv = z.object({
  LIKEBOX_INFLUX_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('InfluxDB base URL; unset: votes stay in the journal, backfilled once one is set.'),
  LIKEBOX_INFLUX_DATABASE: z
    .string()
    .min(1)
    .default('likebox')
    .describe('The v1 database (2.x: the DBRP-mapped bucket; 3.x: the database).'),
  LIKEBOX_INFLUX_RETENTION_POLICY: OptionalText.meta({
    description: 'Retention policy the votes are written into (1.x: created when missing).',
    defaultText: "the database's default",
  }),
  LIKEBOX_INFLUX_RETENTION: z
    .string()
    .regex(/^(INF|\d+[smhdw])$/, 'must be INF or a duration such as 30d, 52w')
    .default('INF')
    .describe('Duration of a retention policy the ingest creates (InfluxQL syntax).'),
  LIKEBOX_INFLUX_USERNAME: OptionalText.meta({
    description: '1.x user (with a token: any name).',
    defaultText: 'none; likebox with a token',
  }),
  LIKEBOX_INFLUX_PASSWORD: OptionalText.describe('1.x password.'),
  LIKEBOX_INFLUX_TOKEN: OptionalText.describe(
    '2.x/3.x API token, sent as the v1 password; the database is not created then.',
  ),
  LIKEBOX_INFLUX_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(50_000)
    .default(5000)
    .describe('Largest number of points per write request.'),
});

/** The variables of a managed `influxd` (`likebox up` without `LIKEBOX_INFLUX_URL`). */
export const ManagedInfluxdEnv = z.object({
  LIKEBOX_INFLUXD: z
    .enum(['auto', 'off'])
    .default('auto')
    .describe(
      'Without LIKEBOX_INFLUX_URL: auto starts a private influxd child when one is installed ' +
        '(data in $LIKEBOX_DATA_DIR/influxdb, loopback, free port); off never does. With ' +
        'neither, votes stay in the journal and are backfilled once an InfluxDB is configured.',
    ),
  LIKEBOX_INFLUXD_PATH: z
    .string()
    .min(1)
    .default('influxd')
    .describe('The influxd executable for LIKEBOX_INFLUXD=auto.'),
});

/** The validated values of {@link InfluxEnv}. */
export type InfluxEnv = z.output<typeof InfluxEnv>;

/** The check of a command's object: a token (2.x/3.x) or a password (1.x), not both. */
export function checkInfluxCredentials(ctx: z.core.ParsePayload<InfluxEnv>): void {
  const value = ctx.value;
  if (value.LIKEBOX_INFLUX_TOKEN !== undefined && value.LIKEBOX_INFLUX_PASSWORD !== undefined) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      path: ['LIKEBOX_INFLUX_TOKEN'],
      message: 'set LIKEBOX_INFLUX_TOKEN (2.x/3.x) or LIKEBOX_INFLUX_PASSWORD (1.x), not both',
    });
  }
}

/** The {@link InfluxConfig} the variables describe, or undefined without `LIKEBOX_INFLUX_URL`. */
export function influxConfigOf(env: InfluxEnv): InfluxConfig | undefined {
  if (env.LIKEBOX_INFLUX_URL === undefined) return undefined;
  const token = env.LIKEBOX_INFLUX_TOKEN;
  return {
    url: env.LIKEBOX_INFLUX_URL,
    database: env.LIKEBOX_INFLUX_DATABASE,
    retentionPolicy: env.LIKEBOX_INFLUX_RETENTION_POLICY,
    retention: env.LIKEBOX_INFLUX_RETENTION,
    username: env.LIKEBOX_INFLUX_USERNAME ?? (token === undefined ? undefined : 'likebox'),
    password: token ?? env.LIKEBOX_INFLUX_PASSWORD,
    token: token !== undefined,
    batchSize: env.LIKEBOX_INFLUX_BATCH_SIZE,
  };
}
