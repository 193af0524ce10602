// The browser-safe core (./core.js) and, on Node, scenarios read from disk: files, modules and
// the built-ins. parseScenario here reads the files a scenario names beside it.
// Everything of the core; parseScenario below (an explicit export) takes the place of core's.
export * from './core.js';
export { parseScenario, filesBeside, loadScenarioFile, loadScenarioModule } from './run/load-file.js';
export { readTextFile, readTextFd, FileReadError, MAX_FILE_BYTES, MAX_MANIFEST_BYTES } from './run/read-file.js';
export { listBuiltins, findBuiltin, BUILTIN_DIR, type BuiltinScenario } from './run/builtins.js';
