import type { Manifest, Workspace } from './workspaces.js';

/*
 * The rules of the workspace graph, as pure functions over manifests, so that the guard itself
 * is tested on made-up graphs as well as run on the real one.
 */

/**
 * The layers, lowest first. A workspace depends only on workspaces of its own layer or below;
 * within a layer the graph must stay acyclic. A new workspace must be placed here.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['protocol'],
  ['runtime'],
  ['influx'],
  ['broker', 'device', 'schedule', 'ingest', 'web', 'dashboards'],
  ['server'],
  // Tests only: boxes and the event server in separate processes.
  ['e2e'],
];

/** A dependency of one workspace on another. */
export interface Edge {
  /** Depending workspace folder. */
  from: string;
  /** Depended-on workspace folder. */
  to: string;
  /** The package.json field that declares it. */
  field: 'dependencies' | 'devDependencies' | 'peerDependencies';
}

const FIELDS = ['dependencies', 'devDependencies', 'peerDependencies'] as const;

/** The folder of a `@likebox/<folder>` package among `all`, if it is one of ours. */
function folderOf(all: readonly Workspace[], name: string): string | undefined {
  return all.find((ws) => ws.manifest.name === name)?.folder;
}

/** Every workspace-to-workspace edge the manifests declare, of every dependency kind. */
export function dependencyEdges(all: readonly Workspace[]): Edge[] {
  return all.flatMap(({ folder, manifest }) =>
    FIELDS.flatMap((field) =>
      Object.keys(manifest[field] ?? {}).flatMap((name) => {
        const to = folderOf(all, name);
        return to === undefined || to === folder ? [] : [{ from: folder, to, field }];
      }),
    ),
  );
}

/** A cycle as a list of folders (first = last), or undefined when the graph is acyclic. */
export function findCycle(edges: readonly Edge[]): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const done = new Set<string>();
  const walk = (node: string, path: string[]): string[] | undefined => {
    const seen = path.indexOf(node);
    if (seen >= 0) return [...path.slice(seen), node];
    if (done.has(node)) return undefined;
    for (const to of next.get(node) ?? []) {
      const cycle = walk(to, [...path, node]);
      if (cycle !== undefined) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of next.keys()) {
    const cycle = walk(node, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/** The layer index of a folder, or -1 when it is in none. */
export function layerOf(folder: string, layers = LAYERS): number {
  return layers.findIndex((layer) => layer.includes(folder));
}

/** Edges that point up the layers, as `from -> to (field)`. */
export function upwardEdges(edges: readonly Edge[], layers = LAYERS): string[] {
  return edges
    .filter(({ from, to }) => layerOf(to, layers) > layerOf(from, layers))
    .map(({ from, to, field }) => `${from} -> ${to} (${field})`);
}

/** The workspace packages a manifest lists in `field`. */
export function declared(manifest: Manifest, field: (typeof FIELDS)[number]): Set<string> {
  return new Set(Object.keys(manifest[field] ?? {}).filter((name) => name.startsWith('@likebox/')));
}

/** The workspaces `start` needs at run time, itself included, following `dependencies` only. */
export function runtimeClosure(all: readonly Workspace[], start: readonly string[]): string[] {
  const needed = new Set<string>();
  const visit = (folder: string): void => {
    if (needed.has(folder)) return;
    needed.add(folder);
    const manifest = all.find((ws) => ws.folder === folder)?.manifest;
    for (const name of declared(manifest ?? { name: folder }, 'dependencies')) {
      const to = folderOf(all, name);
      if (to !== undefined) visit(to);
    }
  };
  for (const folder of start) visit(folder);
  return all.map((ws) => ws.folder).filter((folder) => needed.has(folder));
}
