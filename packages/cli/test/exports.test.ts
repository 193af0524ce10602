import { expect, it } from 'vitest';
import * as cli from '../src/index.js';

// The public surface, listed: a name added or dropped is a decision this test makes visible.
it('@knsim/cli exports main, its exit codes and the benchmark harness', () => {
  expect(Object.keys(cli).sort()).toEqual(['EXIT_FAILED', 'EXIT_OK', 'EXIT_USAGE', 'UserError', 'erlangCMeanWait', 'heapBaseline', 'main', 'runMmc', 'runPropertyBench', 'runStackBench']);
});
