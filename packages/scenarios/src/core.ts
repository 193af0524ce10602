// @knsim/scenarios/core: parse and run a scenario given as text. Nothing here reaches `node:`
// modules, so it runs in a browser; the package root adds reading scenarios from disk.
export {
  defineScenario,
  type Scenario,
  type ClusterSpec,
  type ManifestRef,
  type ApplySpec,
  type RequestSpec,
  type LoadShape,
  type LoadSpec,
  type LabelSpec,
  type DeleteSpec,
  type FaultSpec,
  type Step,
  type CheckSpec,
  type Bound,
  type LatencyBound,
} from './run/schema.js';
export { ScenarioError, parseScenario, checkScenario, scenarioFiles, type LoadedScenario, type ScenarioFiles } from './run/parse.js';
export type { Check, CheckMetric, CheckSubject } from './run/checks.js';
export { runScenario, startScenario, type ScenarioRun, type RunResult, type RunOptions, type LoadResult, type RevisionResult, type PodWatchLine, type StepRecord, type AppliedManifest, type FaultRecord } from './run/runner.js';
export { constantArrivals, rampArrivals, stepArrivals, burstArrivals, traceArrivals, type Arrival } from './run/arrivals.js';
export { parseAzureTrace, TraceFormatError, type AzureTraceRow } from './run/azure-trace.js';
export { scenarioJsonSchema } from './run/json-schema.js';
export {
  parseSweep,
  checkSweep,
  MAX_SWEEP_RUNS,
  bundleOf,
  loadBundle,
  withParameters,
  combinations,
  sweepRuns,
  checkSweepAgainst,
  SERVICE_METADATA_ANNOTATIONS,
  LOAD_FIELDS,
  type ScenarioBundle,
  type SweepSpec,
  type Axis,
  type AxisTarget,
  type LoadField,
  type Parameters,
  type SweepRun,
} from './sweep/index.js';
