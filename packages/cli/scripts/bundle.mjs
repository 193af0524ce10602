// Bundles the CLI (dist/bundle-entry.js: dist/main.js and everything it imports, the other knsim
// packages included) into one script, dist/bundle/knsim.cjs: CommonJS code in the function Node
// wraps a module in, which bin/knsim.js runs with a V8 code cache through dist/bundle/load.cjs
// (src/compile-cache.ts; docs/cli.md, "Start-up"). Subcommands are initialised only when they run
// (esbuild wraps what is reached by import() in functions run on first use). Beside it:
// bundle.json (the script's name and SHA-256, which the cache is keyed by) and sweep-thread.js, the
// script a sweep's worker threads load. fast-check (bench property), tsx (TypeScript scenarios) and
// the sweep's piscina, bullmq and ioredis stay outside: they load from node_modules when used.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bundle`;

// commander requires node:child_process as it loads, for executable subcommands, which knsim has
// none of; Node's child_process pulls in net, dgram and the streams (about 2 ms of every start).
// Commander gets a stand-in that loads it on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

// re2js (the RE2 patterns of Istio's regex fields) builds its tables as it loads, a sixth of the
// script that only a VirtualService with a regex uses: sim-core's import of it gets a stand-in
// whose exports (the same names, read from re2js here) load it on first use.
const re2Names = Object.keys(await import('re2js')).filter((k) => k !== 'default');
const lazyRe2js = {
  name: 'lazy-re2js',
  setup(b) {
    b.onResolve({ filter: /^re2js$/ }, (args) => (args.namespace === 'lazy-re2js' ? undefined : { path: 're2js', namespace: 'lazy-re2js' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-re2js' }, () => ({
      contents: `let real;
const load = () => (real ??= require('re2js'));
for (const name of ${JSON.stringify(re2Names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

// A vm script has no import() of its own in Node 20: the scenarios package's one import of a
// module from outside (packages/scenarios/src/run/import-module.ts) asks the loader instead,
// which passes its import() as __knsimImport.
const hostImport = {
  name: 'host-import',
  setup(b) {
    b.onLoad({ filter: /[\\/]scenarios[\\/]dist[\\/]run[\\/]import-module\.js$/ }, () => ({
      contents: 'export function importModule(specifier) { return __knsimImport(specifier); }',
      loader: 'js',
    }));
  },
};

rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { knsim: 'dist/bundle-entry.js' },
  outdir: out,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['fast-check', 'tsx', 'tsx/*', 'piscina', 'bullmq', 'ioredis', '@stdlib/*'],
  // The modules that find files beside themselves (version.ts, the scenarios' builtins.ts, the
  // sweep's pool.ts) do it from the bundle's own URL.
  define: { 'import.meta.url': '__knsimImportMetaUrl' },
  // The script is the function Node would wrap a CommonJS module in, with the bundle's import()
  // (src/compile-cache.ts calls it): no copy of a megabyte of source to wrap it at every start.
  // Strict, as the ES modules it is made of are (esbuild's own "use strict" comes after this).
  banner: { js: `(function (exports, require, module, __filename, __dirname, __knsimImport) {"use strict";var __knsimImportMetaUrl = require("node:url").pathToFileURL(__filename).href;` },
  footer: { js: '})' },
  plugins: [lazyChildProcess, hostImport, lazyRe2js],
  legalComments: 'none',
  // Whitespace and syntax only: identifiers stay, so a stack trace of our bug reads.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

const script = readFileSync(`${out}/knsim.cjs`, 'utf8');
if (/\bimport\s*\(/.test(script)) throw new Error('dist/bundle/knsim.cjs has an import(), which a vm script cannot run: route it through __knsimImport');

// The loader bin/knsim.js requires (CommonJS, so that Node starts without its ES module loader).
await build({
  absWorkingDir: root,
  entryPoints: ['src/compile-cache.ts'],
  outfile: `${out}/load.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(`${out}/bundle.json`, `${JSON.stringify({ script: 'knsim.cjs', sha256: createHash('sha256').update(script).digest('hex') }, null, 2)}\n`);
// A sweep's thread (piscina loads it; src/sweep/pool.ts finds it beside the bundle): the same
// script, without a cache of its own, and its thread handler.
writeFileSync(
  `${out}/sweep-thread.js`,
  `import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const { loadBundle } = createRequire(import.meta.url)('./load.cjs');
const { exports } = loadBundle(fileURLToPath(new URL('.', import.meta.url)), { importModule: (specifier) => import(specifier) });
export default (await exports.sweepThread()).default;
`,
);
