import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/*
 * The monorepo as data, for the tests that guard its shape: the workspaces, their manifests and
 * tsconfig references, and every `@likebox/...` import in their code.
 */

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The part of a package.json these tests read. */
export interface Manifest {
  /** Package name, `@likebox/<folder>` for a workspace. */
  name: string;
  /** Root only: the workspace folders, in the order npm runs `-ws` scripts. */
  workspaces?: string[];
  /** Needed at run time. */
  dependencies?: Record<string, string>;
  /** Needed by tests and scripts only. */
  devDependencies?: Record<string, string>;
  /** Provided by whoever installs this package. */
  peerDependencies?: Record<string, string>;
  /** Supported runtimes. */
  engines?: { node?: string };
}

/** One workspace: its folder (relative to the root) and manifest. */
export interface Workspace {
  /** Folder name, e.g. `ingest`. */
  folder: string;
  /** Its package.json. */
  manifest: Manifest;
}

/** How a file imports a module. */
export type ImportKind = 'value' | 'type' | 'dynamic';

/** One `@likebox/...` import found in a workspace's code. */
export interface WorkspaceImport {
  /** File, relative to the workspace folder. */
  file: string;
  /** The imported package, `@likebox/<name>` (without a subpath). */
  target: string;
  /** `import type` / `export type` (erased), `import()` (lazy), or any other import (loaded). */
  kind: ImportKind;
  /** True for code that ships (`src/`, `bin/`); false for tests, scripts and configs. */
  shipped: boolean;
}

const CODE = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'fixtures']);

/** Parses a JSON file. */
export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The root package.json. */
export function rootManifest(): Manifest {
  return readJson<Manifest>(join(ROOT, 'package.json'));
}

/** Every workspace, in the root's order. */
export function workspaces(): Workspace[] {
  return (rootManifest().workspaces ?? []).map((folder) => ({
    folder,
    manifest: readJson<Manifest>(join(ROOT, folder, 'package.json')),
  }));
}

/** Whether a folder has a tsconfig.json, i.e. sources that `tsc -b` builds. */
export function hasTsconfig(dir: string): boolean {
  return existsSync(join(dir, 'tsconfig.json'));
}

/** The folders a tsconfig.json references, as folder names (`../influx` → `influx`). */
export function tsconfigReferences(dir: string): string[] {
  const { config, error } = ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile);
  if (error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const references = (config as { references?: { path: string }[] }).references ?? [];
  return references.map((ref) => ref.path.replace(/^\.\.\//, '').replace(/^\.\//, ''));
}

/** `@likebox/x/sub/path` → `@likebox/x`; anything else → undefined. */
function workspacePackage(specifier: string): string | undefined {
  return /^(@likebox\/[^/]+)/.exec(specifier)?.[1];
}

/** The module specifiers one source file imports, with how it imports each. */
export function importsOf(
  fileName: string,
  text: string,
): { specifier: string; kind: ImportKind }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { specifier: string; kind: ImportKind }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      // `import { type A } from 'x'` still loads x under verbatimModuleSyntax: only a type-only
      // clause is erased.
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.isTypeOnly === true
        : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, kind: typeOnly ? 'type' : 'value' });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, kind: 'dynamic' });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push({ specifier: literal.text, kind: 'type' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every code file under `dir`, skipping build output, dependencies and test fixtures. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : codeFiles(path);
    return CODE.has(extname(entry.name)) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const scanned = new Map<string, WorkspaceImport[]>();

/**
 * Every `@likebox/...` import in a workspace's code (sources, bin, tests, scripts, configs),
 * scanned once per test file.
 */
export function workspaceImports(folder: string): WorkspaceImport[] {
  const cached = scanned.get(folder);
  if (cached !== undefined) return cached;
  const dir = join(ROOT, folder);
  const found = codeFiles(dir).flatMap((path) => {
    const file = relative(dir, path);
    const shipped = file.startsWith('src/') || file.startsWith('bin/');
    return importsOf(path, readFileSync(path, 'utf8')).flatMap(({ specifier, kind }) => {
      const target = workspacePackage(specifier);
      return target === undefined ? [] : [{ file, target, kind, shipped }];
    });
  });
  scanned.set(folder, found);
  return found;
}
