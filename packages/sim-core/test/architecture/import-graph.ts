/**
 * Reads the imports of the workspace's TypeScript sources with the compiler's own parser, so that
 * the architecture test judges what the build sees: every `import`/`export … from`, `import x =
 * require(…)`, `import()` with a string literal, and `import('…')` in a type position.
 *
 * Whether an import survives to run time follows tsc's emit. `import type` and `export type` are
 * always erased, and so is an `import('…')` type. An import whose specifiers are all `type X` is
 * erased only without verbatimModuleSyntax: with it (this repo's setting) tsc keeps
 * `import {} from '…'`, which still loads the module.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

export interface ReaderOptions {
  verbatimModuleSyntax: boolean;
}

export interface Import {
  /** The importing file, relative to the repo root, with `/` separators. */
  file: string;
  /** 1-based line of the statement (or of the `import(` call). */
  line: number;
  specifier: string;
  form: 'import' | 'export' | 'import-equals' | 'dynamic' | 'import-type';
  /** False when tsc erases it. */
  runtime: boolean;
  /** A relative specifier joined onto the importer's folder (repo-relative, normalized). */
  path?: string;
  /** The source file a relative specifier resolves to, when it is one of the graph's files. */
  resolved?: string;
}

export interface ImportGraph {
  /** Every file read, sorted. */
  files: string[];
  /** Every import, in file order then line order. */
  imports: Import[];
}

/** The imports of one file, in source order. */
export function readImports(file: string, text: string, options: ReaderOptions): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Import[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, form: Import['form'], runtime: boolean) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ file, line, specifier: spec.text, form, runtime });
  };
  const allTypeOnly = (elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[]) => elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      let runtime = true;
      if (clause?.isTypeOnly) runtime = false;
      else if (clause && !options.verbatimModuleSyntax && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        runtime = !allTypeOnly(clause.namedBindings.elements);
      }
      add(node, node.moduleSpecifier, 'import', runtime);
    } else if (ts.isExportDeclaration(node)) {
      let runtime = !node.isTypeOnly;
      if (runtime && !options.verbatimModuleSyntax && node.exportClause && ts.isNamedExports(node.exportClause)) {
        runtime = !allTypeOnly(node.exportClause.elements);
      }
      add(node, node.moduleSpecifier, 'export', runtime);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, 'import-equals', !node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], 'dynamic', true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, 'import-type', false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const isRelative = (spec: string) => spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');

/** NodeNext resolution of a relative specifier, as far as sources go: `./x.js` names `./x.ts`. */
function resolveRelative(path: string, has: (file: string) => boolean): string | undefined {
  const candidates = [path];
  if (/\.[cm]?js$/.test(path)) candidates.push(path.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts'), path.replace(/\.js$/, '.tsx'));
  candidates.push(`${path}.ts`, `${path}/index.ts`);
  return candidates.find(has);
}

/**
 * The import graph of some files (repo-relative path → text). Relative specifiers are resolved
 * against the same set, so a test can build a graph from a few strings.
 */
export function buildImportGraph(sources: ReadonlyMap<string, string>, options: ReaderOptions | ((file: string) => ReaderOptions)): ImportGraph {
  const files = [...sources.keys()].sort();
  const optionsOf = typeof options === 'function' ? options : () => options;
  const imports: Import[] = [];
  for (const file of files) {
    for (const imp of readImports(file, sources.get(file)!, optionsOf(file))) {
      if (isRelative(imp.specifier)) {
        imp.path = posix.normalize(posix.join(posix.dirname(file), imp.specifier));
        const resolved = resolveRelative(imp.path, (f) => sources.has(f));
        if (resolved !== undefined) imp.resolved = resolved;
      }
      imports.push(imp);
    }
  }
  return { files, imports };
}

/**
 * The run-time import cycles, each as the chain of imports that closes it, starting at its
 * smallest file. For every file on a cycle, the shortest cycle through it is listed (once), so
 * every strongly connected group of files shows up, with its tightest loops.
 */
export function runtimeCycles(graph: ImportGraph): Import[][] {
  // The first run-time import from a file to another, per pair: the line a cycle cites.
  const edges = new Map<string, Map<string, Import>>();
  for (const imp of graph.imports) {
    if (!imp.runtime || imp.resolved === undefined) continue;
    let out = edges.get(imp.file);
    if (!out) edges.set(imp.file, (out = new Map()));
    if (!out.has(imp.resolved)) out.set(imp.resolved, imp);
  }
  const next = (f: string) => [...(edges.get(f)?.keys() ?? [])].sort();

  const cycles = new Map<string, Import[]>();
  for (const start of graph.files) {
    // Breadth first from `start`, back to `start`: the shortest cycle through it.
    const via = new Map<string, Import>();
    const queue = [start];
    let closing: Import | undefined;
    for (let i = 0; i < queue.length && !closing; i++) {
      const f = queue[i]!;
      for (const g of next(f)) {
        const imp = edges.get(f)!.get(g)!;
        if (g === start) {
          closing = imp;
          break;
        }
        if (!via.has(g)) {
          via.set(g, imp);
          queue.push(g);
        }
      }
    }
    if (!closing) continue;
    const chain = [closing];
    while (chain[0]!.file !== start) chain.unshift(via.get(chain[0]!.file)!);
    const first = chain.reduce((min, imp, i) => (imp.file < chain[min]!.file ? i : min), 0);
    const rotated = [...chain.slice(first), ...chain.slice(0, first)];
    cycles.set(rotated.map((imp) => imp.file).join(' '), rotated);
  }
  return [...cycles.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}

export interface WorkspacePackage {
  /** Its package.json name, e.g. `@knsim/sim-core`. */
  name: string;
  /** Its folder, repo-relative: `packages/sim-core`. */
  dir: string;
}

export interface Workspace {
  packages: WorkspacePackage[];
  graph: ImportGraph;
}

function listTs(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(root, rel));
    else if (/\.[cm]?tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** The package's compiler options as tsc sees them (its tsconfig.json and what that extends). */
function readerOptions(root: string, dir: string): ReaderOptions {
  const config = join(root, dir, 'tsconfig.json');
  if (!existsSync(config)) return { verbatimModuleSyntax: false };
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, host);
  return { verbatimModuleSyntax: parsed?.options.verbatimModuleSyntax === true };
}

/** `packages/<pkg>/src/**` of the workspace at `root`: every package that has a src folder. */
export function readWorkspace(root: string): Workspace {
  const packages: WorkspacePackage[] = [];
  const sources = new Map<string, string>();
  const options = new Map<string, ReaderOptions>();
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const dir = posix.join('packages', entry.name);
    if (!entry.isDirectory() || !existsSync(join(root, dir, 'package.json')) || !existsSync(join(root, dir, 'src'))) continue;
    const { name } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string };
    packages.push({ name, dir });
    options.set(dir, readerOptions(root, dir));
    for (const file of listTs(root, posix.join(dir, 'src'))) sources.set(file, readFileSync(join(root, file), 'utf8'));
  }
  packages.sort((a, b) => (a.dir < b.dir ? -1 : 1));
  const graph = buildImportGraph(sources, (file) => options.get(file.split('/').slice(0, 2).join('/'))!);
  return { packages, graph };
}
