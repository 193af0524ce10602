import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`../${pkg}/src/`, import.meta.url));

// Tests run against each package's TypeScript sources, so `npm test` needs no build step
// between an edit and a test; the CI build type-checks the same files.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@knsim\/sim-core\/(.*)$/, replacement: `${src('sim-core')}$1/index.ts` },
      { find: /^@knsim\/sim-core$/, replacement: `${src('sim-core')}index.ts` },
      { find: /^@knsim\/report$/, replacement: `${src('report')}index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('../../scripts/fc-setup.ts', import.meta.url))],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    testTimeout: 60_000,
  },
});
