import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

/**
 * The folder of the built-in scenarios (packages/scenarios/builtin): beside this module, or, when
 * it is bundled into another package (the knsim CLI's bundle), in the installed package.
 */
export const BUILTIN_DIR = ((): string => {
  const here = fileURLToPath(new URL('../../builtin/', import.meta.url));
  if (existsSync(join(here, 'life-of-a-request'))) return here;
  return join(dirname(createRequire(import.meta.url).resolve('@knsim/scenarios/package.json')), 'builtin') + '/';
})();

export interface BuiltinScenario {
  name: string;
  description: string;
  file: string;
}

/** The built-in scenarios, sorted by name. */
export function listBuiltins(): BuiltinScenario[] {
  if (!existsSync(BUILTIN_DIR)) return [];
  return readdirSync(BUILTIN_DIR)
    .filter((d) => existsSync(join(BUILTIN_DIR, d, 'scenario.yaml')))
    .sort()
    .map((d) => {
      const file = join(BUILTIN_DIR, d, 'scenario.yaml');
      const doc = parse(readFileSync(file, 'utf8')) as { name?: string; description?: string };
      return { name: doc.name ?? d, description: doc.description ?? '', file };
    });
}

export function findBuiltin(name: string): BuiltinScenario | undefined {
  return listBuiltins().find((b) => b.name === name);
}
