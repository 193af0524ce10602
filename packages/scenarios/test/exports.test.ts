import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as root from '../src/index.js';

// The public surface, listed: a name added or dropped is a decision this test makes visible.
const CORE = [
  'LOAD_FIELDS',
  'MAX_SWEEP_RUNS',
  'SERVICE_METADATA_ANNOTATIONS',
  'ScenarioError',
  'TraceFormatError',
  'bundleOf',
  'burstArrivals',
  'checkScenario',
  'checkSweep',
  'checkSweepAgainst',
  'combinations',
  'constantArrivals',
  'defineScenario',
  'loadBundle',
  'parseAzureTrace',
  'parseScenario',
  'parseSweep',
  'rampArrivals',
  'runScenario',
  'scenarioFiles',
  'scenarioJsonSchema',
  'startScenario',
  'stepArrivals',
  'sweepRuns',
  'traceArrivals',
  'withParameters',
];

describe('@knsim/scenarios exports', () => {
  it('core: parse and run from text', () => {
    expect(Object.keys(core).sort()).toEqual(CORE);
  });

  it('root: the core and reading from disk, whose parseScenario reads the files beside the scenario', () => {
    expect(Object.keys(root).sort()).toEqual([...CORE, 'BUILTIN_DIR', 'FileReadError', 'MAX_FILE_BYTES', 'MAX_MANIFEST_BYTES', 'readTextFile', 'readTextFd', 'filesBeside', 'findBuiltin', 'listBuiltins', 'loadScenarioFile', 'loadScenarioModule'].sort());
    expect(root.parseScenario).not.toBe(core.parseScenario);
  });
});
