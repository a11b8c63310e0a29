import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  declared,
  dependencyEdges,
  findCycle,
  LAYERS,
  layerOf,
  upwardEdges,
} from '../workspaceGraph.js';
import {
  hasTsconfig,
  importsOf,
  type Manifest,
  ROOT,
  rootManifest,
  tsconfigReferences,
  type Workspace,
  workspaceImports,
  workspaces,
} from '../workspaces.js';

/** A made-up workspace for the tests of the rules themselves. */
function fake(folder: string, fields: Partial<Manifest> = {}): Workspace {
  return { folder, manifest: { name: `@likebox/${folder}`, ...fields } };
}

describe('workspace graph', () => {
  it('places every workspace in exactly one layer', () => {
    // Prepare
    const folders = workspaces().map((ws) => ws.folder);

    // Act
    const unplaced = folders.filter((folder) => layerOf(folder) < 0);
    const placed = LAYERS.flat();

    // Assess
    expect(unplaced).toEqual([]);
    expect([...placed].sort()).toEqual([...folders].sort());
  });

  it('declares no dependency cycle between workspaces, dev and peer dependencies included', () => {
    // Prepare
    const edges = dependencyEdges(workspaces());

    // Act
    const cycle = findCycle(edges);

    // Assess
    expect(edges.length).toBeGreaterThan(10);
    expect(cycle).toBeUndefined();
  });

  it('declares dependencies only down the layers: protocol, runtime, influx, parts, server, e2e', () => {
    // Prepare
    const edges = dependencyEdges(workspaces());

    // Act
    const upward = upwardEdges(edges);

    // Assess
    expect(upward).toEqual([]);
  });

  it('lists the workspaces in the root after every workspace they depend on', () => {
    // Prepare
    const order = rootManifest().workspaces ?? [];

    // Act: npm runs `npm run <script> -ws` in this order.
    const backwards = dependencyEdges(workspaces())
      .filter(({ from, to }) => order.indexOf(to) > order.indexOf(from))
      .map(({ from, to }) => `${from} before ${to}`);

    // Assess
    expect(backwards).toEqual([]);
  });

  it('imports in shipped code (src/, bin/) only its dependencies, lazily or not', () => {
    // Prepare
    const all = workspaces();

    // Act: a lazy import() of an undeclared workspace still fails where it is not installed (the
    // server image has no box code), and an `import type` needs it to build.
    const undeclared = all.flatMap(({ folder, manifest }) => {
      const runtime = declared(manifest, 'dependencies');
      return workspaceImports(folder)
        .filter(
          ({ shipped, target }) => shipped && target !== manifest.name && !runtime.has(target),
        )
        .map(({ file, target, kind }) => `${folder}/${file}: ${kind} import of ${target}`);
    });

    // Assess
    expect(undeclared).toEqual([]);
  });

  it('imports in tests, scripts and configs only workspaces its package.json declares', () => {
    // Prepare
    const all = workspaces();

    // Act
    const undeclared = all.flatMap(({ folder, manifest }) => {
      const known = new Set([
        manifest.name,
        ...declared(manifest, 'dependencies'),
        ...declared(manifest, 'devDependencies'),
        ...declared(manifest, 'peerDependencies'),
      ]);
      return workspaceImports(folder)
        .filter(({ shipped, target }) => !shipped && !known.has(target))
        .map(({ file, target }) => `${folder}/${file}: ${target}`);
    });

    // Assess
    expect(undeclared).toEqual([]);
  });

  it('references in each tsconfig exactly the workspaces its sources compile against', () => {
    // Prepare
    const all = workspaces();
    const folderOf = (name: string) => all.find((ws) => ws.manifest.name === name)?.folder;

    // Act: `tsc -b <ws>` builds what the sources need first; test-only edges are not references.
    const built = all.filter(({ folder }) => hasTsconfig(join(ROOT, folder)));
    const mismatches = built.flatMap(({ folder, manifest }) => {
      const needed = [...declared(manifest, 'dependencies')]
        .map((name) => folderOf(name) ?? name)
        .sort();
      const references = tsconfigReferences(join(ROOT, folder)).sort();
      return JSON.stringify(needed) === JSON.stringify(references)
        ? []
        : [`${folder}: references ${references.join(', ')}; needs ${needed.join(', ')}`];
    });

    // Assess
    expect(mismatches).toEqual([]);
    expect(tsconfigReferences(ROOT)).toEqual(built.map((ws) => ws.folder));
    // A workspace without a build has no sources that ship.
    const unbuilt = all.filter((ws) => !built.includes(ws));
    expect(unbuilt.flatMap((ws) => workspaceImports(ws.folder)).filter((i) => i.shipped)).toEqual(
      [],
    );
  });

  it('declares one supported Node range in every package.json', () => {
    // Prepare
    const root = rootManifest().engines?.node;

    // Act
    const ranges = workspaces().map((ws) => [ws.folder, ws.manifest.engines?.node]);

    // Assess
    expect(root).toBeDefined();
    expect(ranges.filter(([, range]) => range !== root)).toEqual([]);
  });
});

describe('workspace graph rules', () => {
  it('finds a cycle that closes through a dev dependency', () => {
    // Prepare
    const all = [
      fake('a', { dependencies: { '@likebox/b': '*' } }),
      fake('b', { dependencies: { '@likebox/c': '*' } }),
      fake('c', { devDependencies: { '@likebox/a': '*' } }),
      fake('d', { dependencies: { '@likebox/a': '*' } }),
    ];

    // Act
    const cycle = findCycle(dependencyEdges(all));

    // Assess
    expect(cycle).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(dependencyEdges(all.slice(0, 2)))).toBeUndefined();
  });

  it('reports an edge that points up the layers, and none within a layer', () => {
    // Prepare
    const layers = [['low'], ['mid', 'mid2'], ['top']];
    const all = [
      fake('low', { peerDependencies: { '@likebox/top': '*' } }),
      fake('mid', { dependencies: { '@likebox/low': '*', '@likebox/mid2': '*' } }),
      fake('top', { dependencies: { '@likebox/mid': '*' } }),
    ];

    // Act
    const upward = upwardEdges(dependencyEdges(all), layers);

    // Assess
    expect(upward).toEqual(['low -> top (peerDependencies)']);
  });

  it('tells loaded, type-only and lazy imports apart', () => {
    // Prepare
    const text = [
      "import { a, type B } from '@likebox/one';",
      "import type { C } from '@likebox/two/sub';",
      "export { d } from '@likebox/three';",
      "import '@likebox/four/side-effect';",
      "const e = await import('@likebox/five');",
      "let f: import('@likebox/six').F;",
    ].join('\n');

    // Act
    const found = importsOf('x.ts', text);

    // Assess
    expect(found).toEqual([
      { specifier: '@likebox/one', kind: 'value' },
      { specifier: '@likebox/two/sub', kind: 'type' },
      { specifier: '@likebox/three', kind: 'value' },
      { specifier: '@likebox/four/side-effect', kind: 'value' },
      { specifier: '@likebox/five', kind: 'dynamic' },
      { specifier: '@likebox/six', kind: 'type' },
    ]);
  });
});
