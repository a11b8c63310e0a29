import { defineCommand } from '@likebox/runtime';
import { configOf, DashboardsEnv } from './config.js';

/**
 * `likebox dashboards`: writes the Grafana dashboards and provisioning files. It only writes a
 * few files (milliseconds), so a SIGINT/SIGTERM simply ends the process.
 */
export const dashboardsCommand = defineCommand({
  name: 'dashboards',
  summary: 'write the Grafana dashboards and provisioning files',
  description:
    'Writes the Grafana dashboards (JSON) and provisioning files (datasource, dashboard ' +
    'provider, alert rules, contact point). Grafana then needs INFLUXDB_URL and either INFLUXDB_READ_USER / ' +
    'INFLUXDB_READ_USER_PASSWORD (1.x) or INFLUXDB_READ_TOKEN (2.x, 3.x) in its own environment ' +
    '(see infra/compose.yaml).',
  env: DashboardsEnv,
  aliases: {
    out: 'grafana-dir',
    database: 'influx-database',
    'dashboards-path': 'grafana-dashboards-path',
    'alert-emails': 'grafana-alert-emails',
  },
  run: async (ctx) => {
    const config = configOf(ctx.env);
    // Loaded here: defining the command must not load the Grafana SDK.
    const { generateFiles, writeFiles } = await import('./generate.js');
    const written = await writeFiles(config.out, generateFiles(config));
    ctx.io.stdout.write(`${written.join('\n')}\n`);
    return 0;
  },
});
