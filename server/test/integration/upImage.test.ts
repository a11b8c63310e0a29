import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '@likebox/runtime/testing';
import { ValidationSeverity, validate as validateDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { copies, dockerStages, lastOf, runs, type Stage, stageChain } from '../dockerStages.js';
import { runtimeClosure } from '../workspaceGraph.js';
import { ROOT, readJson, workspaces } from '../workspaces.js';

const INFRA = join(ROOT, 'infra');
const text = readFileSync(join(INFRA, 'Dockerfile'), 'utf8');
const { dockerfile, stages } = dockerStages(text);

/** The image targets: `server` (the default, last stage) and `box` (adds the box code). */
const TARGETS = ['server', 'box'] as const;

/** The stage a target copies /app (node_modules and manifests) from, and what it installs. */
function modulesOf(target: string): { stage: Stage; packages: string[]; folders: string[] } {
  const [final] = stageChain(stages, target);
  const from = copies(final!).find((copy) => copy.sources[0] === '/app')?.from;
  const stage = stages.find((s) => s.name === from);
  if (stage === undefined) throw new Error(`${target} copies /app from no stage`);
  const words = runs(stage).flat();
  const packages = words
    .slice(words.indexOf('prod-modules.sh') + 1)
    .filter((word) => word.startsWith('@likebox/'));
  const all = workspaces();
  const folders = packages.map(
    (name) => all.find((ws) => ws.manifest.name === name)?.folder ?? name,
  );
  return { stage, packages, folders };
}

/** The workspace folders whose files `stage` copies, as `<folder>/<suffix>`. */
function copiedFolders(stage: Stage, from: string | undefined, suffix: string): string[] {
  return copies(stage)
    .filter((copy) => copy.from === from)
    .flatMap((copy) => copy.sources)
    .map((source) => source.replace(/^\/src\//, ''))
    .filter((source) => source.endsWith(`/${suffix}`))
    .map((source) => source.slice(0, -suffix.length - 1))
    .sort();
}

describe('infra/Dockerfile', () => {
  it('has no problem dockerfile-utils reports with every check an error', () => {
    // Prepare
    const settings = {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    };

    // Act
    const problems = validateDockerfile(text, settings);

    // Assess
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  it('is multi-stage, runs each image as a non-root user and copies only files that exist', () => {
    // Prepare
    const sources = copies({ name: 'all', base: '', instructions: dockerfile.getInstructions() })
      .filter((copy) => copy.from === undefined)
      .flatMap((copy) => copy.sources);

    // Act
    const users = TARGETS.map((target) => lastOf(stageChain(stages, target), 'USER'));
    const healthcheck = lastOf(stageChain(stages, 'server'), 'HEALTHCHECK');

    // Assess
    expect(stages.at(-1)?.name).toBe('server');
    for (const user of users) expect(user).toMatch(/^(node|\d{3,})$/);
    expect(healthcheck).toMatch(/\/healthz/);
    expect(sources.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
    const build = stages.find((stage) => stage.name === 'build')!;
    const manifests = copiedFolders(build, undefined, 'package.json');
    expect(manifests).toEqual(
      workspaces()
        .map((ws) => ws.folder)
        .sort(),
    );
    expect(text).toMatch(/apt-get install -y --no-install-recommends/);
    expect(text).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
  });

  it('builds every stage on the Node LTS image of .nvmrc, or on an earlier stage', () => {
    // Prepare
    const nvmrc = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim();

    // Act
    const image = dockerfile
      .getARGs()
      .find((arg) => arg.getProperty()?.getName() === 'NODE_IMAGE')
      ?.getProperty()
      ?.getValue();
    const bases = stages.map((stage, i) => [
      stage.base,
      /^\$\{NODE_IMAGE\}$/.test(stage.base) ||
        stages.slice(0, i).some((s) => s.name === stage.base),
    ]);

    // Assess
    expect(image).toBe(`node:${nvmrc}-bookworm-slim`);
    expect(Number(nvmrc) % 2).toBe(0);
    expect(bases.filter(([, known]) => !known)).toEqual([]);
  });

  it('ships in each image the compiled workspaces it runs, and the box code only in box', () => {
    // Prepare
    const all = workspaces();

    // Act
    const shipped = TARGETS.map((target) => {
      const modules = modulesOf(target);
      const needed = runtimeClosure(all, modules.folders).sort();
      const [final] = stageChain(stages, target);
      return {
        target,
        needed,
        manifests: copiedFolders(modules.stage, undefined, 'package.json'),
        dists: copiedFolders(final!, 'build', 'dist'),
      };
    });

    // Assess
    for (const { target, needed, manifests, dists } of shipped) {
      expect(manifests, target).toEqual(needed);
      expect(dists, target).toEqual(needed);
    }
    expect(shipped[0]?.needed).not.toContain('device');
    expect(shipped[0]?.needed).not.toContain('dashboards');
    expect(shipped[0]?.needed).toContain('web');
    expect(shipped[1]?.needed).toContain('device');
    expect(lastOf(stageChain(stages, 'server'), 'ENTRYPOINT')).toContain(
      '/app/server/bin/likebox.js',
    );
  });
});

describe('infra/prod-modules.sh', () => {
  /** Runs the script as `target`'s modules stage does, on a copy of the manifests it copies. */
  async function install(target: string): Promise<Record<string, unknown>> {
    const dir = await tempDir('likebox-image-');
    const { stage, packages } = modulesOf(target);
    await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
    await copyFile(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    for (const folder of copiedFolders(stage, undefined, 'package.json')) {
      await mkdir(join(dir, folder));
      await copyFile(join(ROOT, folder, 'package.json'), join(dir, folder, 'package.json'));
    }
    await promisify(execFile)('sh', [join(INFRA, 'prod-modules.sh'), ...packages], {
      cwd: dir,
      // Everything is in npm's cache after the checkout's own `npm ci`.
      env: { ...process.env, npm_config_prefer_offline: 'true' },
    });
    const tree = readJson<{ packages: Record<string, unknown> }>(
      join(dir, 'node_modules', '.package-lock.json'),
    );
    return tree.packages;
  }

  it('installs the production tree: no dev package, Johnny-Five and serialport only in box', async () => {
    // Prepare
    const lock = readJson<{ packages: Record<string, { dev?: boolean; devOptional?: boolean }> }>(
      join(ROOT, 'package-lock.json'),
    );
    const devOnly = (path: string) => lock.packages[path]?.dev || lock.packages[path]?.devOptional;

    // Act
    const [server, box] = await Promise.all(TARGETS.map(install));
    const names = (tree: Record<string, unknown> | undefined) => Object.keys(tree ?? {});
    const likebox = (tree: Record<string, unknown> | undefined) =>
      names(tree)
        .filter((path) => path.startsWith('node_modules/@likebox/'))
        .map((path) => path.slice('node_modules/@likebox/'.length))
        .sort();

    // Assess
    expect(names(server).filter(devOnly)).toEqual([]);
    expect(names(box).filter(devOnly)).toEqual([]);
    expect(likebox(server)).toEqual(runtimeClosure(workspaces(), ['server']).sort());
    expect(likebox(box)).toEqual(runtimeClosure(workspaces(), ['server', 'device']).sort());
    for (const path of ['johnny-five', 'serialport', '@serialport/bindings-cpp', 'firmata-io']) {
      expect(names(server), path).not.toContain(`node_modules/${path}`);
      expect(names(box), path).toContain(`node_modules/${path}`);
    }
    expect(names(server)).toContain('node_modules/better-sqlite3');
  }, 240_000);
});

describe('production dependencies as npm ls sees them', () => {
  interface LsNode {
    dependencies?: Record<string, LsNode>;
  }

  /** The packages among `names` that `npm ls --omit=dev` finds under a workspace. */
  async function found(workspace: string, names: string[]): Promise<string[]> {
    const args = ['ls', ...names, '--omit=dev', '--json', `--workspace=${workspace}`];
    // npm ls exits 1 when it finds none of the names: the JSON on stdout is the answer either way.
    const { stdout } = await promisify(execFile)('npm', args, { cwd: ROOT }).catch(
      (err: { stdout: string }) => err,
    );
    const seen = new Set<string>();
    const walk = (node: LsNode): void => {
      for (const [name, child] of Object.entries(node.dependencies ?? {})) {
        if (names.includes(name)) seen.add(name);
        walk(child);
      }
    };
    walk(JSON.parse(stdout) as LsNode);
    return [...seen].sort();
  }

  it('finds no Johnny-Five or serialport under the server and the ingest', async () => {
    // Prepare
    const box = ['johnny-five', 'serialport'];

    // Act
    const [server, ingest, control] = await Promise.all([
      found('@likebox/server', box),
      found('@likebox/ingest', box),
      found('@likebox/server', ['better-sqlite3', 'johnny-five']),
    ]);

    // Assess
    expect(server).toEqual([]);
    expect(ingest).toEqual([]);
    // The query itself works: the server runs better-sqlite3 through the ingest.
    expect(control).toEqual(['better-sqlite3']);
  });
});
