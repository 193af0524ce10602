#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `knsim --version` answers before anything else loads.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V' || args[0] === 'version')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // A reader that stops early (`knsim curl -n 1000 --json | head`) ends the output, as with curl.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  // The bundle (npm run build) runs with a V8 code cache (src/compile-cache.ts); dist/main.js is
  // the same code, module by module.
  const bundleDir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
  let main;
  let saveCache = () => {};
  if (existsSync(`${bundleDir}bundle.json`)) {
    const { cacheCommand, compileCacheDir, loadBundle } = await import('../dist/compile-cache.js');
    const loaded = loadBundle(bundleDir, { command: cacheCommand(args), cacheDir: compileCacheDir(), importModule: (specifier) => import(specifier) });
    ({ main } = loaded.exports);
    saveCache = loaded.saveCache;
  } else {
    ({ main } = await import('../dist/main.js'));
  }
  main(args).then(
    (code) => {
      process.exitCode = code;
      // A run that went through (0), or whose simulated system answered badly (1), ran the
      // command's code: the cache is made from it, not from a mistyped flag's early exit.
      if (code <= 1) saveCache();
    },
    (err) => {
      // Only our own bugs get here: user mistakes are reported by main() with exit code 2.
      console.error(err);
      process.exitCode = 70;
    },
  );
}
