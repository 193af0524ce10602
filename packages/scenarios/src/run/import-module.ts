/**
 * The one place the scenarios package imports a module it does not bundle: tsx's loader and a
 * scenario file given as a .mjs/.ts module. The knsim CLI's bundle runs as a script with a V8
 * code cache, where Node 20 has no `import()` of its own, and swaps this module for one that
 * asks the CLI's loader to import (packages/cli/scripts/bundle.mjs).
 */
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}
