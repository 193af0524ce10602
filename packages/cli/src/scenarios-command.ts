import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findBuiltin, listBuiltins } from '@knsim/scenarios';
import { UserError } from './errors.js';

export async function listScenarios(): Promise<Array<{ name: string; description: string }>> {
  return listBuiltins().map((b) => ({ name: b.name, description: b.description }));
}

/** `knsim scenarios --copy NAME DIR`: the built-in's folder (scenario, manifests, README) copied to edit; nothing is overwritten. */
export function copyBuiltin(name: string, dir: string): string[] {
  const b = findBuiltin(name);
  if (b === undefined) throw new UserError(`no built-in scenario named ${JSON.stringify(name)} (built-ins: ${listBuiltins().map((x) => x.name).join(', ')})`);
  const from = join(b.file, '..');
  const files = readdirSync(from, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name).slice(from.length + 1))
    .sort();
  const clash = files.filter((f) => existsSync(join(dir, f)));
  if (clash.length > 0) throw new UserError(`${dir}: ${clash.join(', ')} already there; knsim scenarios --copy overwrites nothing`);
  cpSync(from, dir, { recursive: true, errorOnExist: true, force: false });
  return files.map((f) => join(dir, f));
}
