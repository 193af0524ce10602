export { parseSweep, checkSweep, MAX_SWEEP_RUNS } from './parse.js';
export { bundleOf, loadBundle, withParameters, combinations, sweepRuns, checkSweepAgainst, SERVICE_METADATA_ANNOTATIONS, type ScenarioBundle } from './apply.js';
export { LOAD_FIELDS, type SweepSpec, type Axis, type AxisTarget, type LoadField, type Parameters, type SweepRun } from './schema.js';
