import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

let builtinDirFound: string | undefined;

/**
 * The folder of the built-in scenarios (packages/scenarios/builtin): beside this module, or, when
 * it is bundled into another package (the knsim CLI's bundle), in the installed package. Looked up
 * on first use: finding the installed package is a module resolution, which a command that uses
 * no built-in (`knsim curl`) does not pay for at start.
 */
export function builtinDir(): string {
  return (builtinDirFound ??= findBuiltinDir());
}

function findBuiltinDir(): string {
  const here = fileURLToPath(new URL('../../builtin/', import.meta.url));
  if (existsSync(join(here, 'life-of-a-request'))) return here;
  return join(dirname(createRequire(import.meta.url).resolve('@knsim/scenarios/package.json')), 'builtin') + '/';
}

/** builtinDir(), for code that imports it as a value (a bundle that does not drops the lookup). */
export const BUILTIN_DIR: string = /* @__PURE__ */ builtinDir();

export interface BuiltinScenario {
  name: string;
  description: string;
  file: string;
}

/** The built-in scenarios, sorted by name. */
export function listBuiltins(): BuiltinScenario[] {
  const dir = builtinDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'scenario.yaml')))
    .sort()
    .map((d) => {
      const file = join(dir, d, 'scenario.yaml');
      const doc = parse(readFileSync(file, 'utf8')) as { name?: string; description?: string };
      return { name: doc.name ?? d, description: doc.description ?? '', file };
    });
}

export function findBuiltin(name: string): BuiltinScenario | undefined {
  return listBuiltins().find((b) => b.name === name);
}
