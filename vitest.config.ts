import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The workspace packages, each a vitest project named after its folder. */
const PACKAGES = ['sim-core', 'report', 'scenarios', 'cli'];

const repo = fileURLToPath(new URL('.', import.meta.url));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Tests run against each package's TypeScript sources, so `npm test` needs no build step
// between an edit and a test; the CI build type-checks the same files. Every entry of a
// package's `exports` ("./dist/engine/index.js") maps to its source ("src/engine/index.ts").
const alias = PACKAGES.flatMap((dir) => {
  const pkg = JSON.parse(readFileSync(`${repo}packages/${dir}/package.json`, 'utf8')) as { name: string; exports: Record<string, { default: string }> };
  return Object.entries(pkg.exports).map(([sub, target]) => ({
    find: new RegExp(`^${escape(pkg.name + sub.slice(1))}$`),
    replacement: `${repo}packages/${dir}/${target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')}`,
  }));
});

// `npm test` in a package runs `vitest run --project <its folder>` from that folder, and its JSON
// report lands there (packages/<dir>/.vitest-report.json, which scripts/ci-summary.mjs sums).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: PACKAGES.map((name) => ({
      extends: true,
      root: `${repo}packages/${name}`,
      test: { name, include: ['test/**/*.test.ts'] },
    })),
    setupFiles: [`${repo}scripts/fc-setup.ts`],
    reporters: ['default', 'json'],
    outputFile: { json: resolve('.vitest-report.json') },
    testTimeout: 60_000,
    // The CLI's V8 code caches (src/compile-cache.ts) of the knsim processes the tests start go
    // to a folder of the test run's, not the user's cache folder.
    env: { KNSIM_CACHE_DIR: process.env.KNSIM_CACHE_DIR ?? join(tmpdir(), 'knsim-tests', 'compile-cache') },
  },
});
