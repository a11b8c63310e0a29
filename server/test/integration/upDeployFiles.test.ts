import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { dockerStages } from '../dockerStages.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INFRA = join(ROOT, 'infra');
const require = createRequire(import.meta.url);

/** The compose-spec JSON schema, as copied verbatim from compose-spec/compose-spec by dclint. */
function composeSpecSchema(): Record<string, unknown> {
  const dir = dirname(require.resolve('dclint/package.json'));
  return JSON.parse(readFileSync(join(dir, 'schemas', 'compose.schema.json'), 'utf8'));
}

/** `${VAR:-default}` and `${VAR}` resolved as Compose does when no variable is set. */
function interpolateDefaults(text: string): string {
  return text.replace(
    /\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g,
    (_match, fallback?: string) => fallback ?? '',
  );
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-infra-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

type ComposeService = Record<string, unknown> & {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string | string[];
  ports?: string[];
  healthcheck?: unknown;
  restart?: string;
  env_file?: string[];
  environment?: Record<string, string>;
};

function composeServices(): Record<string, ComposeService> {
  const text = interpolateDefaults(readFileSync(join(INFRA, 'compose.yaml'), 'utf8'));
  return (parseYaml(text) as { services: Record<string, ComposeService> }).services;
}

describe('infra/compose.yaml', () => {
  it('is valid against the compose-spec JSON schema once variables take their defaults', () => {
    // Prepare
    const schema = composeSpecSchema();
    const text = interpolateDefaults(readFileSync(join(INFRA, 'compose.yaml'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });

    // Act: ajv knows draft-07 by its http:// id; the schema names it with https://.
    const { $schema: _draft, ...draft07 } = schema;
    const valid = ajv.validate(draft07, parseYaml(text));

    // Assess
    expect(schema.title).toBe('Compose Specification');
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('passes dclint with its default rules (build next to image allowed)', async () => {
    // Prepare
    const dir = await tempDir();
    const file = join(dir, 'compose.yaml');
    await writeFile(file, interpolateDefaults(readFileSync(join(INFRA, 'compose.yaml'), 'utf8')));
    // `image` next to `build` names the multi-arch image that `docker buildx bake --push` pushes;
    // Biome formats YAML with double quotes.
    const linter = new DCLinter({
      rules: { 'no-build-and-image': 0, 'require-quotes-in-ports': [2, { quoteType: 'double' }] },
      quiet: false,
      debug: false,
      exclude: [],
    });

    // Act
    const [result] = linter.lintFiles([file], false);

    // Assess
    expect(result?.messages ?? []).toEqual([]);
  });

  it('publishes ports on loopback unless told otherwise, and keeps InfluxDB unpublished', () => {
    // Prepare
    const services = composeServices();

    // Act
    const ports = Object.values(services).flatMap((service) => service.ports ?? []);

    // Assess
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.every((port) => port.startsWith('127.0.0.1:'))).toBe(true);
    expect(services.influxdb?.ports).toBeUndefined();
  });

  it('gives every long-running service a pinned image, a healthcheck, a restart policy and env files', () => {
    // Prepare
    const services = composeServices();
    const dashboards = JSON.parse(readFileSync(join(ROOT, 'dashboards', 'package.json'), 'utf8'));
    const grafanaSchema = String(dashboards.devDependencies['@grafana/schema']).replace(/^\^/, '');

    // Act
    const running = Object.entries(services).filter(([name]) => name !== 'sim');

    // Assess
    for (const [name, service] of running) {
      expect(service.image, name).toMatch(/:\d+\.\d+\.\d+$/);
      expect(service.healthcheck, name).toBeDefined();
      expect(service.restart, name).toBe('unless-stopped');
      for (const envFile of service.env_file ?? []) {
        expect(existsSync(join(INFRA, `${envFile}.example`)), envFile).toBe(true);
      }
    }
    // The dashboards are validated against @grafana/schema: run the Grafana of the same version.
    expect(services.grafana?.image).toBe(`grafana/grafana:${grafanaSchema}`);
    expect(services.grafana?.environment?.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    expect(services.sim?.profiles).toEqual(['simulate']);
  });

  it('builds the server from the server target of the Dockerfile and the simulator from its box target', () => {
    // Prepare
    const services = composeServices();
    const { stages } = dockerStages(readFileSync(join(INFRA, 'Dockerfile'), 'utf8'));

    // Act
    const builds = Object.entries(services).flatMap(([name, service]) =>
      service.build === undefined ? [] : [[name, service.build] as const],
    );
    const appPaths = Object.values(services)
      .flatMap((service) => [service.command ?? []].flat())
      .flatMap((command) => [...command.matchAll(/\/app\/(\S+\.js)/g)].map((m) => m[1]!));

    // Assess
    expect(Object.fromEntries(builds.map(([name, build]) => [name, build.target]))).toEqual({
      likebox: 'server',
      sim: 'box',
    });
    for (const [name, build] of builds) {
      expect(join(INFRA, build.context, build.dockerfile), name).toBe(join(INFRA, 'Dockerfile'));
      expect(stages.map((stage) => stage.name)).toContain(build.target);
    }
    expect(services.likebox?.image).not.toBe(services.sim?.image);
    // The images hold the repository's layout under /app.
    expect(appPaths.length).toBeGreaterThan(0);
    expect(appPaths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('keeps secrets out of the repository: env templates carry no password', () => {
    // Prepare
    const templates = ['likebox', 'influxdb', 'grafana', 'sim'].map((name) =>
      readFileSync(join(INFRA, 'env', `${name}.env.example`), 'utf8'),
    );

    // Act
    const passwords = templates
      .flatMap((text) => text.split('\n'))
      .filter((line) => /^[A-Z_]*PASSWORD=/.test(line));

    // Assess
    expect(passwords.length).toBeGreaterThan(0);
    expect(passwords.every((line) => line.endsWith('='))).toBe(true);
    expect(readFileSync(join(INFRA, 'env', '.gitignore'), 'utf8')).toMatch(/^\*\.env$/m);
  });
});

describe('infra/env/generate.sh', () => {
  it('writes every env file with random passwords, the shared ones equal, mode 0600', async () => {
    // Prepare
    const dir = await tempDir();
    await cp(join(INFRA, 'env'), dir, { recursive: true });

    // Act
    await promisify(execFile)('sh', [join(dir, 'generate.sh')]);
    const env = async (name: string) =>
      Object.fromEntries(
        (await readFile(join(dir, `${name}.env`), 'utf8'))
          .split('\n')
          .filter((line) => /^[A-Z_]+=/.test(line))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ) as Record<string, string>;
    const [likebox, influxdb, grafana, sim] = await Promise.all(
      ['likebox', 'influxdb', 'grafana', 'sim'].map(env),
    );

    // Assess
    const all = { ...likebox, ...influxdb, ...grafana, ...sim };
    const passwords = Object.entries(all).filter(([key]) => key.endsWith('PASSWORD'));
    expect(passwords.every(([, value]) => /^[A-Za-z0-9_-]{32}$/.test(value))).toBe(true);
    expect(likebox?.LIKEBOX_INFLUX_PASSWORD).toBe(influxdb?.INFLUXDB_USER_PASSWORD);
    expect(grafana?.INFLUXDB_READ_USER_PASSWORD).toBe(influxdb?.INFLUXDB_READ_USER_PASSWORD);
    expect(influxdb?.INFLUXDB_ADMIN_PASSWORD).not.toBe(influxdb?.INFLUXDB_USER_PASSWORD);
    expect((await stat(join(dir, 'likebox.env'))).mode & 0o777).toBe(0o600);
  });
});

describe('infra/grafana provisioning in compose', () => {
  it('gives Grafana every variable the data source reads and mounts the dashboards where the provider looks', () => {
    // Prepare
    const grafana = composeServices().grafana!;
    const datasource = readFileSync(
      join(INFRA, 'grafana', 'provisioning', 'datasources', 'likebox.yaml'),
      'utf8',
    );
    const provider = parseYaml(
      readFileSync(join(INFRA, 'grafana', 'provisioning', 'dashboards', 'likebox.yaml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    const envFile = readFileSync(join(INFRA, 'env', 'grafana.env.example'), 'utf8');

    // Act
    const needed = [...datasource.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!);
    const given = new Set([
      ...Object.keys(grafana.environment ?? {}),
      ...[...envFile.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!),
    ]);
    const mounts = (grafana.volumes as string[]).map((volume) => volume.split(':')[1]);

    // Assess
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((name) => !given.has(name))).toEqual([]);
    expect(mounts).toContain(provider.providers[0]?.options.path);
    expect(mounts).toContain('/etc/grafana/provisioning');
  });
});

describe('the sim service of infra/compose.yaml', () => {
  it('runs its account step twice against the same data without failing (no restart loop)', async () => {
    // Prepare: the command up to the simulator's `exec`, on this checkout instead of /app.
    const dir = await tempDir();
    const command = [composeServices().sim?.command ?? []].flat()[0] ?? '';
    const accounts = command
      .slice(0, command.indexOf('exec '))
      .replaceAll('$$', '$')
      .replaceAll('node /app/', `"${process.execPath}" ${ROOT}`);
    const env = {
      ...process.env,
      LIKEBOX_DATA_DIR: dir,
      LIKEBOX_MQTT_PASSWORD: 'Sim-pw-7c1e9a52d4b8',
    };

    // Act
    const first = await promisify(execFile)('sh', ['-c', accounts], { env });
    const second = await promisify(execFile)('sh', ['-c', accounts], { env });

    // Assess
    const users = JSON.parse(await readFile(join(dir, 'users.json'), 'utf8')) as {
      users: Record<string, { role: string }>;
    };
    expect(Object.keys(users.users).sort()).toEqual([
      'sim-1',
      'sim-2',
      'sim-3',
      'sim-4',
      'sim-5',
      'sim-6',
    ]);
    expect(Object.values(users.users).every((user) => user.role === 'device')).toBe(true);
    expect(second.stdout).toMatch(/password of sim-6 changed/i);
    expect(first.stdout).toMatch(/added sim-6 \(device\)/i);
  }, 240_000);
});
