import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardOptions } from './dashboards/common.js';
import { fleetDashboard } from './dashboards/fleet.js';
import { leaderboardDashboard } from './dashboards/leaderboard.js';
import { liveRoomsDashboard } from './dashboards/liveRooms.js';
import { talkDashboard } from './dashboards/talk.js';
import {
  DEFAULT_DASHBOARDS_PATH,
  dashboardProviderYaml,
  datasourceYaml,
  type InfluxVersion,
} from './provisioning.js';

/** Options of {@link generateFiles}. */
export interface GenerateOptions extends DashboardOptions {
  /** InfluxDB major version the datasource is provisioned for. */
  influxVersion: InfluxVersion;
  /** The InfluxDB database the datasource queries. Default `likebox`. */
  database?: string;
  /** Where Grafana finds the dashboards' JSON files (inside its container or host). */
  dashboardsPath?: string;
}

/** One generated file, its path relative to the output folder. */
export interface GeneratedFile {
  /** Relative path, `/`-separated. */
  path: string;
  /** File content. */
  content: string;
}

/** Every LikeBox dashboard, keyed by its file name (without `.json`). */
export function buildDashboards(options: DashboardOptions): Record<string, Dashboard> {
  return {
    'live-rooms': finish(liveRoomsDashboard(options)),
    leaderboard: finish(leaderboardDashboard(options)),
    talk: finish(talkDashboard(options)),
    fleet: finish(fleetDashboard(options)),
  };
}

// Grafana needs a unique id per panel (links and "view panel" use it); the SDK leaves them unset.
// The SDK also gives every variable the interval variable's `auto*` settings: meaningless on the
// others, and not in Grafana's dashboard schema for them.
function finish(dashboard: Dashboard): Dashboard {
  let id = 0;
  for (const panel of dashboard.panels ?? []) {
    id += 1;
    panel.id = id;
  }
  for (const variable of dashboard.templating.list ?? []) {
    if (variable.type === 'interval') continue;
    delete variable.auto;
    delete variable.auto_min;
    delete variable.auto_count;
  }
  return dashboard;
}

/** The dashboards and provisioning files, in a stable order and format. */
export function generateFiles(options: GenerateOptions): GeneratedFile[] {
  const dashboards = Object.entries(buildDashboards(options)).map(([name, dashboard]) => ({
    path: `dashboards/${name}.json`,
    content: `${JSON.stringify(dashboard, null, 2)}\n`,
  }));
  return [
    {
      path: 'provisioning/datasources/likebox.yaml',
      content: datasourceYaml(options.influxVersion, options.database),
    },
    {
      path: 'provisioning/dashboards/likebox.yaml',
      content: dashboardProviderYaml(options.dashboardsPath ?? DEFAULT_DASHBOARDS_PATH),
    },
    ...dashboards,
  ];
}

/** Writes the files under `outDir`, creating folders; returns the written paths. */
export async function writeFiles(
  outDir: string,
  files: readonly GeneratedFile[],
): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    written.push(target);
  }
  return written;
}
