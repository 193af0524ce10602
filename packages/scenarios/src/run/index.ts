export * from './schema.js';
export { ScenarioError, loadScenarioFile, loadScenarioModule, parseScenario, checkScenario, type LoadedScenario } from './load-file.js';
export { runScenario, type RunResult, type RunOptions, type LoadResult, type RevisionResult, type PodWatchLine } from './runner.js';
export { listBuiltins, findBuiltin, BUILTIN_DIR, type BuiltinScenario } from './builtins.js';
export * from './arrivals.js';
export { parseAzureTrace, TraceFormatError, type AzureTraceRow } from './azure-trace.js';
