import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImportGraph, readImports, readWorkspace, runtimeCycles, type ImportGraph } from './import-graph.js';

const VERBATIM = { verbatimModuleSyntax: true };
const ELIDING = { verbatimModuleSyntax: false };

const graphOf = (files: Record<string, string>, options = VERBATIM) => buildImportGraph(new Map(Object.entries(files)), options);
/** Each cycle as `a.ts:1 → b.ts:2`. */
const cyclesOf = (g: ImportGraph) => runtimeCycles(g).map((c) => c.map((i) => `${i.file}:${i.line}`).join(' → '));

describe('readImports', () => {
  const source = [
    "import type { A } from './a.js';", // 1
    "import { type B, c } from './b.js';", // 2
    "import { type D } from './d.js';", // 3
    "export type { E } from './e.js';", // 4
    "export * from './f.js';", // 5
    "import './g.js';", // 6
    'export async function load(name: string) {', // 7
    "  await import('./h.js');", // 8
    '  await import(name);', // 9
    '}', // 10
    "let i: import('./i.js').I;", // 11
    "import j = require('./j.js');", // 12
    'export {', // 13
    '  k,', // 14
    "} from './k.js';", // 15
  ].join('\n');
  const summary = (options = VERBATIM) => readImports('x.ts', source, options).map((i) => `${i.line} ${i.form} ${i.specifier} ${i.runtime ? 'runtime' : 'type'}`);

  it('reads every form with the line of its statement, and tells which ones tsc erases', () => {
    expect(summary()).toEqual([
      '1 import ./a.js type',
      '2 import ./b.js runtime',
      '3 import ./d.js runtime', // verbatimModuleSyntax keeps `import {} from './d.js'`
      '4 export ./e.js type',
      '5 export ./f.js runtime',
      '6 import ./g.js runtime',
      '8 dynamic ./h.js runtime', // a computed import(name) names no module
      '11 import-type ./i.js type',
      '12 import-equals ./j.js runtime',
      '13 export ./k.js runtime',
    ]);
  });

  it('erases an import of type specifiers only when verbatimModuleSyntax is off', () => {
    expect(summary(ELIDING)[2]).toBe('3 import ./d.js type');
    expect(summary(ELIDING)[1]).toBe('2 import ./b.js runtime');
  });
});

describe('buildImportGraph', () => {
  it('resolves relative specifiers as NodeNext does for sources', () => {
    const g = graphOf({
      'p/src/a.ts': "import { b } from './b.js';\nimport { c } from './dir/index.js';\nimport { d } from '../../q/src/d.js';\nimport x from 'lib';",
      'p/src/b.ts': '',
      'p/src/dir/index.ts': '',
    });
    expect(g.imports.map((i) => [i.specifier, i.path, i.resolved])).toEqual([
      ['./b.js', 'p/src/b.js', 'p/src/b.ts'],
      ['./dir/index.js', 'p/src/dir/index.js', 'p/src/dir/index.ts'],
      ['../../q/src/d.js', 'q/src/d.js', undefined],
      ['lib', undefined, undefined],
    ]);
  });
});

describe('runtimeCycles', () => {
  it('does not count a cycle closed by a type-only import', () => {
    const files = { 'a.ts': "import { b } from './b.js';", 'b.ts': "import type { A } from './a.js';" };
    expect(cyclesOf(graphOf(files))).toEqual([]);
    expect(cyclesOf(graphOf({ ...files, 'b.ts': "import { a } from './a.js';" }))).toEqual(['a.ts:1 → b.ts:1']);
  });

  it('counts a re-export, but not an export type', () => {
    const files = { 'a.ts': "\nexport { b } from './b.js';", 'b.ts': "import { a } from './a.js';" };
    expect(cyclesOf(graphOf(files))).toEqual(['a.ts:2 → b.ts:1']);
    expect(cyclesOf(graphOf({ ...files, 'a.ts': "export type { B } from './b.js';" }))).toEqual([]);
  });

  it('counts a dynamic import', () => {
    const files = { 'a.ts': "export const load = () => import('./b.js');", 'b.ts': "import { load } from './a.js';" };
    expect(cyclesOf(graphOf(files))).toEqual(['a.ts:1 → b.ts:1']);
  });

  it('counts `import { type X }` under verbatimModuleSyntax, which keeps the module load', () => {
    const files = { 'a.ts': "import { b } from './b.js';", 'b.ts': "import { type A } from './a.js';" };
    expect(cyclesOf(graphOf(files, VERBATIM))).toEqual(['a.ts:1 → b.ts:1']);
    expect(cyclesOf(graphOf(files, ELIDING))).toEqual([]);
  });

  it('lists the shortest cycle through each file, once, from its smallest file', () => {
    // c → a → b → c, and b ↔ d: one group of four files, two loops.
    const g = graphOf({
      'a.ts': "import { b } from './b.js';",
      'b.ts': "import { c } from './c.js';\nimport { d } from './d.js';",
      'c.ts': "import { a } from './a.js';",
      'd.ts': "import { b } from './b.js';",
    });
    expect(cyclesOf(g)).toEqual(['a.ts:1 → b.ts:1 → c.ts:1', 'b.ts:2 → d.ts:1']);
  });
});

describe('readWorkspace', () => {
  const root = mkdtempSync(join(tmpdir(), 'knsim-import-graph-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('reads packages/*/src/** with each package name and its tsconfig, skipping packages without src', () => {
    write('tsconfig.base.json', '{ "compilerOptions": { /* JSONC, as tsc reads it */ "verbatimModuleSyntax": true } }');
    write('packages/one/package.json', '{ "name": "@x/one" }');
    write('packages/one/tsconfig.json', '{ "extends": "../../tsconfig.base.json", "include": ["src"] }');
    write('packages/one/src/a.ts', "import { type B } from './deep/b.js';");
    write('packages/one/src/deep/b.ts', "import { two } from '@x/two';");
    write('packages/two/package.json', '{ "name": "@x/two" }');
    write('packages/two/src/index.ts', "import { type A } from '../../one/src/a.js';");
    write('packages/docs/package.json', '{ "name": "@x/docs" }');

    const { packages, graph } = readWorkspace(root);
    expect(packages).toEqual([
      { name: '@x/one', dir: 'packages/one' },
      { name: '@x/two', dir: 'packages/two' },
    ]);
    expect(graph.files).toEqual(['packages/one/src/a.ts', 'packages/one/src/deep/b.ts', 'packages/two/src/index.ts']);
    // One inherits verbatimModuleSyntax; two has no tsconfig, so tsc's default erases its import.
    expect(graph.imports.map((i) => `${i.file}:${i.line} ${i.specifier} ${i.runtime} ${i.resolved ?? '-'}`)).toEqual([
      'packages/one/src/a.ts:1 ./deep/b.js true packages/one/src/deep/b.ts',
      'packages/one/src/deep/b.ts:1 @x/two true -',
      'packages/two/src/index.ts:1 ../../one/src/a.js false packages/one/src/a.ts',
    ]);
  });
});
