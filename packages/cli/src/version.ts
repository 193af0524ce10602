import { createRequire } from 'node:module';

/**
 * The CLI package's version, from its package.json: one folder up from dist/, two from
 * dist/sweep/ or dist/bundle/ (wherever the bundler put this).
 */
export const KNSIM_VERSION: string = ((): string => {
  const require = createRequire(import.meta.url);
  for (const p of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(p) as { name?: string; version: string };
      if (pkg.name === '@knsim/cli') return pkg.version;
    } catch {
      // not at this depth
    }
  }
  throw new Error("knsim: @knsim/cli's package.json was not found beside its code");
})();
