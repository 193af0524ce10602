#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';

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
  // The bundle (npm run build) starts faster; dist/main.js is the same code, module by module.
  const bundle = new URL('../dist/bundle/main.js', import.meta.url);
  const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/main.js');
  main(args).then(
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
