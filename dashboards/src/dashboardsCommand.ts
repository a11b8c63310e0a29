import { parseArgs } from 'node:util';
import { type Config, ENV_NAMES, loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { generateFiles, writeFiles } from './generate.js';

/** Help of `likebox dashboards`. */
export const DASHBOARDS_HELP = `Usage: likebox dashboards [options]

Writes the Grafana dashboards (JSON) and provisioning files (datasource, dashboard provider).

Options (environment variable in brackets):
  --out DIR               output folder, default infra/grafana          [${ENV_NAMES.out}]
  --influx-version 1|2|3  InfluxDB the datasource targets, default 1    [${ENV_NAMES.influxVersion}]
  --database NAME         InfluxDB database, default likebox             [${ENV_NAMES.database}]
  --event SLUG            event preselected in the dashboards, default demo  [${ENV_NAMES.event}]
  --dashboards-path PATH  where Grafana reads the dashboards, default /var/lib/grafana/dashboards
                                                                        [${ENV_NAMES.dashboardsPath}]
  -h, --help              this help

Grafana then needs INFLUXDB_URL and either INFLUXDB_READ_USER / INFLUXDB_READ_USER_PASSWORD (1.x)
or INFLUXDB_READ_TOKEN (2.x, 3.x) in its own environment (see infra/compose.yaml).`;

/** Where the command prints. */
export interface CommandIo {
  /** Environment to read `LIKEBOX_*` from. */
  env: NodeJS.ProcessEnv;
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error. */
  err: (text: string) => void;
}

function parseFlags(argv: string[]): {
  help: boolean;
  flags: Partial<Record<keyof Config, string>>;
} {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: 'string' },
      'influx-version': { type: 'string' },
      event: { type: 'string' },
      database: { type: 'string' },
      'dashboards-path': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const flags: Partial<Record<keyof Config, string>> = {};
  if (values.out !== undefined) flags.out = values.out;
  if (values['influx-version'] !== undefined) flags.influxVersion = values['influx-version'];
  if (values.event !== undefined) flags.event = values.event;
  if (values.database !== undefined) flags.database = values.database;
  if (values['dashboards-path'] !== undefined) flags.dashboardsPath = values['dashboards-path'];
  return { help: values.help === true, flags };
}

/** Runs `likebox dashboards` and returns the exit code (2: bad usage, 1: bad config or I/O). */
export async function runDashboards(argv: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    io.err(`likebox dashboards: ${(err as Error).message}\n\n${DASHBOARDS_HELP}\n`);
    return 2;
  }
  if (parsed.help) {
    io.out(`${DASHBOARDS_HELP}\n`);
    return 0;
  }
  try {
    const config = loadConfig(io.env, parsed.flags);
    const written = await writeFiles(config.out, generateFiles(config));
    io.out(`${written.join('\n')}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof Error && 'code' in err)) throw err;
    io.err(`likebox dashboards: ${err.message}\n`);
    return 1;
  }
}

/**
 * `likebox dashboards`: the command function. It only writes a few files (milliseconds), so a
 * SIGINT/SIGTERM simply ends the process with Node's default behaviour.
 */
export async function dashboards(argv: string[]): Promise<void> {
  process.exitCode = await runDashboards(argv, {
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
