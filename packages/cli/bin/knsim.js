#!/usr/bin/env node
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Only our own bugs get here: user mistakes are reported by main() with exit code 2.
    console.error(err);
    process.exitCode = 70;
  },
);
