import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importModule } from './import-module.js';
import { FileReadError, readTextFile } from './read-file.js';
import { checkScenario, parseScenario as parseScenarioFrom, ScenarioError, type LoadedScenario, type ScenarioFiles } from './parse.js';

/** The files a scenario names, read from disk relative to the scenario file's folder. */
export function filesBeside(scenarioFile: string): ScenarioFiles {
  const base = dirname(resolve(scenarioFile));
  const where = (rel: string) => (isAbsolute(rel) ? rel : resolve(base, rel));
  return {
    read: (rel) => {
      const p = where(rel);
      if (!existsSync(p) || !statSync(p).isFile()) return undefined;
      try {
        return readTextFile(p);
      } catch (e) {
        if (e instanceof FileReadError) throw new ScenarioError(e.message);
        throw e;
      }
    },
    where,
  };
}

/**
 * Parses and checks scenario YAML text; `file` names it in errors, and the files it names are
 * read beside it unless `from` says otherwise.
 */
export function parseScenario(text: string, file: string, from: ScenarioFiles = filesBeside(file)): LoadedScenario {
  return parseScenarioFrom(text, file, from);
}

/** Reads and checks a YAML scenario file. */
export function loadScenarioFile(path: string): LoadedScenario {
  if (!existsSync(path) || !statSync(path).isFile()) throw new ScenarioError(`${path}: no such scenario file`);
  let text: string;
  try {
    text = readTextFile(path);
  } catch (e) {
    if (e instanceof FileReadError) throw new ScenarioError(e.message);
    throw e;
  }
  return parseScenario(text, path);
}

/**
 * A module whose default export (or `scenario` export) is a scenario: .js/.mjs as they are,
 * .ts/.mts through tsx's loader (Node 20 cannot import TypeScript by itself).
 */
export async function loadScenarioModule(path: string): Promise<LoadedScenario> {
  if (!existsSync(path)) throw new ScenarioError(`${path}: no such scenario file`);
  let mod: { default?: unknown; scenario?: unknown };
  let unregister: (() => Promise<void> | void) | undefined;
  try {
    if (/\.m?ts$/.test(path)) {
      // tsx is an optional peer dependency: only TypeScript scenario files need it.
      let tsx: typeof import('tsx/esm/api');
      try {
        tsx = (await importModule('tsx/esm/api')) as typeof import('tsx/esm/api');
      } catch {
        throw new ScenarioError(`${path}: a TypeScript scenario needs tsx, which is not installed: npm install --save-dev tsx (or give a .yaml or .mjs scenario)`);
      }
      unregister = tsx.register();
    }
    mod = (await importModule(pathToFileURL(resolve(path)).href)) as { default?: unknown; scenario?: unknown };
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(`${path}: cannot load the module: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await unregister?.();
  }
  // A scenario is data: a cycle, a getter that throws or a value JSON cannot hold is refused here.
  let value: unknown;
  try {
    const exported = mod.default ?? mod.scenario;
    value = exported === undefined ? undefined : JSON.parse(JSON.stringify(exported) ?? 'null');
  } catch (e) {
    throw new ScenarioError(`${path}: the module's scenario is not plain data: ${(e as Error).message.split('\n')[0]}`);
  }
  return checkScenario(value, path, filesBeside(path));
}
