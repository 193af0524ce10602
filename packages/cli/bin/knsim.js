#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): Node starts it without its ES module loader, which nothing on the
// way to a command's first output needs (docs/cli.md, "Start-up").
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V' || args[0] === 'version')) {
  // `knsim --version` answers before anything else loads.
  process.stdout.write(`${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
} else {
  // A reader that stops early (`knsim curl -n 1000 --json | head`) ends the output, as with curl.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  start().then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      // Only our own bugs get here: user mistakes are reported by main() with exit code 2.
      console.error(err);
      process.exitCode = 70;
    },
  );
}

async function start() {
  // The bundle (npm run build) runs with a V8 code cache (src/compile-cache.ts, built into
  // dist/bundle/load.cjs); dist/main.js is the same code, module by module.
  const bundleDir = join(__dirname, '..', 'dist', 'bundle');
  if (!existsSync(join(bundleDir, 'bundle.json'))) return (await import('../dist/main.js')).main(args);
  const { cacheCommand, compileCacheDir, loadBundle } = require('../dist/bundle/load.cjs');
  const loaded = loadBundle(bundleDir, { command: cacheCommand(args), cacheDir: compileCacheDir(), importModule: (specifier) => import(specifier) });
  const code = await loaded.exports.main(args);
  // A run that went through (0), or whose simulated system answered badly (1), ran the command's
  // code: the cache is made from it, not from a mistyped flag's early exit.
  if (code <= 1) loaded.saveCache();
  return code;
}
