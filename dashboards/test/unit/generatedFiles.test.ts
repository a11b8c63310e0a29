import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testIo } from '@likebox/runtime/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { dashboardsCommand } from '../../src/dashboardsCommand.js';
import { generateFiles } from '../../src/generate.js';

const INFRA = new URL('../../../infra/grafana/', import.meta.url);

function io(env: Record<string, string> = {}) {
  const test = testIo({ env });
  return { io: test.io, output: [test.stdout], errors: [test.stderr] };
}

/** `likebox dashboards …argv`, in process; resolves with the exit code. */
function runDashboards(argv: string[], console_: ReturnType<typeof io>): Promise<number> {
  return dashboardsCommand.main(argv, { io: console_.io });
}

describe('generateFiles', () => {
  it.each(generateFiles(loadConfig({})).map((file) => [file.path, file.content]))(
    'matches the committed infra/grafana/%s when run with the defaults',
    async (path, content) => {
      // Act
      const committed = await readFile(new URL(path, INFRA), 'utf8');

      // Assess: if this fails, run `npm run dashboards` and commit infra/grafana
      expect(committed).toBe(content);
    },
  );

  it('provisions InfluxDB 2.x and 3.x with a token header when asked', () => {
    // Act
    const [datasource] = generateFiles(loadConfig({ LIKEBOX_INFLUX_VERSION: '3' }));

    // Assess
    expect(datasource?.content).toContain('httpHeaderValue1: Token $INFLUXDB_READ_TOKEN');
    expect(datasource?.content).toContain('version: InfluxQL');
    expect(datasource?.content).not.toContain('password');
  });
});

describe('runDashboards', () => {
  it('writes provisioning and dashboards under --out when called with flags', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'likebox-grafana-'));
    onTestFinished(() => rm(out, { recursive: true, force: true }));
    const console_ = io();

    // Act
    const code = await runDashboards(
      ['--out', out, '--event', 'bzh', '--database', 'votes'],
      console_,
    );

    // Assess
    expect(code).toBe(0);
    const live = JSON.parse(await readFile(join(out, 'dashboards/live-rooms.json'), 'utf8'));
    expect(live.templating.list[0].current.value).toBe('bzh');
    expect(await readFile(join(out, 'provisioning/datasources/likebox.yaml'), 'utf8')).toContain(
      'dbName: votes',
    );
    expect(console_.output[0]!()).toContain('dashboards/fleet.json');
  });

  it('lists every configuration problem and writes nothing when the config is bad', async () => {
    // Prepare
    const console_ = io({ LIKEBOX_EVENT: 'Not A Slug', LIKEBOX_INFLUX_VERSION: '4' });

    // Act
    const code = await runDashboards(['--out', '/nonexistent/never'], console_);

    // Assess
    expect(code).toBe(1);
    expect(console_.errors[0]!()).toMatch(/LIKEBOX_EVENT[\s\S]*LIKEBOX_INFLUX_VERSION/);
  });

  it('prints its help and exits 1 on an unknown flag', async () => {
    // Prepare
    const help = io();
    const bad = io();

    // Act
    const helpCode = await runDashboards(['--help'], help);
    const badCode = await runDashboards(['--nope'], bad);

    // Assess
    expect(helpCode).toBe(0);
    expect(help.output[0]!()).toContain('--influx-version');
    expect(badCode).toBe(1);
    expect(bad.errors[0]!()).toContain('--nope');
  });
});
