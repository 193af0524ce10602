import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWorkspace, runtimeCycles, type Import } from './import-graph.js';

// =============================================================================================
// The rules. Imports flow one way: engine → trace → apis → components → cluster → testing, and
// @knsim/sim-core ← @knsim/scenarios ← @knsim/cli. Type-only imports count for every rule but the
// cycle rule: a type still couples the folders, it just does not load them.

/** The component folders of sim-core: Knative's parts, which cluster/ wires together. */
const COMPONENTS = ['activator', 'queue', 'autoscaler', 'net', 'k8s', 'gateway', 'app', 'reconciler'];

interface FolderRule {
  /** Top folders of packages/sim-core/src the rule is about. */
  folders: readonly string[];
  /** The only sim-core folders they may import (npm packages are always allowed), or */
  only?: readonly string[];
  /** the sim-core folders they must not import. */
  not?: readonly string[];
  /** What a violation says; `{folder}` is the importing folder. */
  rule: string;
}

/** Every top folder of packages/sim-core/src but testing/, and `(root)` (a file directly in src/, e.g. index.ts). */
const BELOW_TESTING = ['(root)', 'engine', 'trace', 'apis', ...COMPONENTS, 'cluster'];

/** Inside packages/sim-core/src, by top folder (`(root)` is a file directly in src/, e.g. index.ts). */
const FOLDER_RULES: readonly FolderRule[] = [
  { folders: ['engine'], only: ['engine'], rule: 'engine/ may import only npm packages and engine/' },
  { folders: ['trace'], only: ['engine', 'trace'], rule: 'trace/ may import only engine/ and trace/' },
  { folders: ['apis'], only: ['engine', 'trace', 'apis'], rule: 'apis/ may import only engine/, trace/ and apis/' },
  { folders: COMPONENTS, not: ['cluster'], rule: 'a component ({folder}) must not import cluster/' },
  // The property-testing kit (@knsim/sim-core/testing) is a top layer, like cluster/: it may use
  // everything below it, and nothing of the simulation may depend on it.
  { folders: ['testing'], only: [...BELOW_TESTING, 'testing'], rule: 'testing/ may import cluster/ and everything below it' },
  { folders: BELOW_TESTING, not: ['testing'], rule: 'nothing in sim-core ({folder}) may import testing/ (the kit is a top layer)' },
];

/**
 * npm packages only some sim-core folders may import (anywhere in sim-core, by top folder).
 * fast-check is the kit's peer dependency: the package root must load without it.
 */
const NPM_RULES: Readonly<Record<string, { folders: readonly string[]; rule: string }>> = {
  'fast-check': { folders: ['testing'], rule: 'only testing/ may import fast-check (a peer dependency of @knsim/sim-core/testing alone)' },
};

interface PackageRule {
  /** The @knsim packages it may import. */
  may: readonly string[];
  /** The @knsim packages it may import with `import type` / `export type` only. */
  typeOnly?: readonly string[];
  rule: string;
}

/** Between packages, by package.json name. A package on disk without a row fails the test. */
const PACKAGE_RULES: Readonly<Record<string, PackageRule>> = {
  '@knsim/sim-core': { may: [], rule: '@knsim/sim-core imports no other @knsim package' },
  '@knsim/report': { may: [], typeOnly: ['@knsim/sim-core'], rule: '@knsim/report may import only @knsim/sim-core, and only its types' },
  '@knsim/scenarios': { may: ['@knsim/sim-core'], rule: '@knsim/scenarios may import only @knsim/sim-core' },
  '@knsim/cli': { may: ['@knsim/sim-core', '@knsim/scenarios', '@knsim/report'], rule: '@knsim/cli may import only @knsim/sim-core, @knsim/scenarios and @knsim/report' },
};

/** Packages that run in a browser: no Node.js built-in modules, `node:` or bare. */
const BROWSER_PACKAGES = ['@knsim/sim-core'];
const BROWSER_RULE = '{package} runs in a browser: no node: modules';

/** Entry points that run in a browser though the rest of their package need not (repo-relative). */
const BROWSER_ENTRIES = ['packages/scenarios/src/core.ts'];
const BROWSER_ENTRY_RULE = '{entry} runs in a browser: nothing it loads may be a node: module or a package that is not a browser package';

const CYCLE_RULE = 'a run-time import cycle (only import type / export type break one)';
const PATH_RULE = 'a package reaches another only by its name, never by path';

// =============================================================================================

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const { packages, graph } = readWorkspace(root);
const SIM_CORE_SRC = `${packages.find((p) => p.name === '@knsim/sim-core')!.dir}/src/`;

const at = (imp: Import) => `${imp.file}:${imp.line}`;
const violation = (imp: Import, rule: string) => `${at(imp)} imports ${imp.specifier}: ${rule}`;
const report = (lines: string[]) => [...new Set(lines)].sort();

/** packages/sim-core/src/gateway/fleet.ts → gateway; src/index.ts → (root). */
function simCoreFolder(path: string): string {
  const parts = path.slice(SIM_CORE_SRC.length).split('/');
  return parts.length > 1 ? parts[0]! : '(root)';
}

const packageOf = (file: string) => packages.find((p) => file.startsWith(`${p.dir}/`));
const packageName = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(packageName(spec));

function folderViolations(): string[] {
  const lines: string[] = [];
  for (const imp of graph.imports) {
    if (!imp.file.startsWith(SIM_CORE_SRC) || imp.path === undefined || !imp.path.startsWith(SIM_CORE_SRC)) continue;
    const from = simCoreFolder(imp.file);
    const to = simCoreFolder(imp.path);
    for (const r of FOLDER_RULES) {
      if (!r.folders.includes(from)) continue;
      if ((r.only && !r.only.includes(to)) || r.not?.includes(to)) lines.push(violation(imp, r.rule.replace('{folder}', from)));
    }
  }
  return report(lines);
}

function npmViolations(): string[] {
  const lines: string[] = [];
  for (const imp of graph.imports) {
    if (!imp.file.startsWith(SIM_CORE_SRC) || imp.path !== undefined) continue;
    const r = NPM_RULES[packageName(imp.specifier)];
    if (r && !r.folders.includes(simCoreFolder(imp.file))) lines.push(violation(imp, r.rule));
  }
  return report(lines);
}

function packageViolations(): string[] {
  const lines: string[] = [];
  for (const imp of graph.imports) {
    const pkg = packageOf(imp.file)!;
    const rule = PACKAGE_RULES[pkg.name];
    if (!rule) continue; // reported by the "every package has a row" test
    if (imp.path !== undefined) {
      if (!imp.path.startsWith(`${pkg.dir}/src/`)) lines.push(violation(imp, PATH_RULE));
      continue;
    }
    if (!imp.specifier.startsWith('@knsim/')) continue;
    const target = packageName(imp.specifier);
    const allowed = rule.may.includes(target) || (!imp.runtime && rule.typeOnly?.includes(target));
    if (!allowed) lines.push(violation(imp, rule.rule));
  }
  return report(lines);
}

function browserViolations(): string[] {
  const lines: string[] = [];
  for (const imp of graph.imports) {
    const pkg = packageOf(imp.file)!;
    if (BROWSER_PACKAGES.includes(pkg.name) && imp.path === undefined && isBuiltin(imp.specifier)) {
      lines.push(violation(imp, BROWSER_RULE.replace('{package}', pkg.name)));
    }
  }
  return report(lines);
}

function browserEntryViolations(): string[] {
  const byFile = new Map<string, Import[]>();
  for (const imp of graph.imports) {
    const list = byFile.get(imp.file);
    if (list) list.push(imp);
    else byFile.set(imp.file, [imp]);
  }
  const lines: string[] = [];
  for (const entry of BROWSER_ENTRIES) {
    const loaded = [entry];
    for (let i = 0; i < loaded.length; i++) {
      for (const imp of byFile.get(loaded[i]!) ?? []) {
        if (!imp.runtime) continue;
        if (imp.resolved !== undefined) {
          if (!loaded.includes(imp.resolved)) loaded.push(imp.resolved);
        } else if (isBuiltin(imp.specifier) || (imp.specifier.startsWith('@knsim/') && !BROWSER_PACKAGES.includes(packageName(imp.specifier)))) {
          lines.push(violation(imp, BROWSER_ENTRY_RULE.replace('{entry}', entry)));
        }
      }
    }
  }
  return report(lines);
}

function cycleViolations(): string[] {
  return report(runtimeCycles(graph).map((chain) => `${chain.map(at).join(' → ')} → ${chain[0]!.file}: ${CYCLE_RULE}`));
}

function expectNone(what: string, lines: string[]) {
  if (lines.length > 0) expect.fail(`${lines.length} ${what}:\n${lines.join('\n')}`);
}

describe('architecture (the imports of packages/*/src)', () => {
  it('reads every package and its imports', () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['@knsim/sim-core', '@knsim/scenarios', '@knsim/report']));
    expect(graph.files.filter((f) => f.startsWith(`${SIM_CORE_SRC}engine/`)).length).toBeGreaterThan(5);
    expect(graph.imports.filter((i) => i.resolved !== undefined).length).toBeGreaterThan(200);
    // Every relative import names a source file: a typo here would hide an edge from the rules.
    expect(graph.imports.filter((i) => i.path !== undefined && i.resolved === undefined).map(at)).toEqual([]);
  });

  it('has a PACKAGE_RULES row for every package', () => {
    expect(packages.map((p) => p.name).filter((n) => !(n in PACKAGE_RULES))).toEqual([]);
  });

  it('has no run-time import cycle', () => {
    expectNone('run-time import cycle(s), each as the chain file:line of its imports', cycleViolations());
  });

  it('keeps sim-core folders to FOLDER_RULES', () => {
    expectNone('folder rule violation(s)', folderViolations());
  });

  it('keeps npm packages to the sim-core folders NPM_RULES allows', () => {
    expect(graph.files.some((f) => f.startsWith(`${SIM_CORE_SRC}testing/`))).toBe(true);
    expectNone('npm rule violation(s)', npmViolations());
  });

  it('keeps packages to PACKAGE_RULES', () => {
    expectNone('package rule violation(s)', packageViolations());
  });

  it('keeps browser packages free of node: modules', () => {
    expectNone('browser package violation(s)', browserViolations());
  });

  it('keeps browser entry points free of node: modules, through everything they load', () => {
    expect(graph.files).toEqual(expect.arrayContaining(BROWSER_ENTRIES));
    expectNone('browser entry violation(s)', browserEntryViolations());
  });
});
