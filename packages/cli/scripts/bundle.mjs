// Bundles the CLI (dist/main.js and everything it imports, the other knsim packages included)
// into dist/bundle/: one small entry chunk with commander and the option parsers, and a chunk
// per subcommand that it imports when the subcommand runs. Node then reads a handful of files at
// start instead of about 250 modules: `knsim curl` starts in a little over twice the time of a
// bare `node -e 0` (docs/cli.md, "Start-up"). fast-check (bench property) and tsx (TypeScript
// scenarios) stay outside: they load from node_modules when used.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist/bundle`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The sweep's worker threads load their own entry (src/sweep/pool.ts finds it).
  entryPoints: { main: 'dist/main.js', 'sweep-thread': 'dist/sweep/thread.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // piscina (which finds its own worker script by __dirname), bullmq and ioredis load from
  // node_modules as they are: they are only read by sweeps.
  external: ['fast-check', 'tsx', 'tsx/*', 'piscina', 'bullmq', 'ioredis', '@stdlib/*'],
  // CommonJS dependencies (seedrandom) call require; give each chunk one.
  banner: { js: "import { createRequire as __knsimRequire } from 'node:module'; const require = __knsimRequire(import.meta.url);" },
  legalComments: 'none',
  // Whitespace and syntax only: identifiers stay, so a stack trace of our bug reads.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
