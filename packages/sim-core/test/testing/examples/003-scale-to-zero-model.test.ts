// docs/testing.md, example 3: a model-based test of scale to zero and back.
import fc from 'fast-check';
import { it } from 'vitest';
import { clusterCommands, runClusterModel } from '@knsim/sim-core/testing';
import { runs } from '../runs.js';

it('bursts and idle time: quiet long enough, the revision is at zero; a burst brings it back and is answered in full', () => {
  fc.assert(
    fc.property(
      clusterCommands({ kinds: ['burst', 'advance-time'], maxCommands: 8, maxBurst: 30, maxAdvanceMs: 240_000 }),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      (cmds, seed) => runClusterModel(cmds, { seed }),
    ),
    { numRuns: runs(8) },
  );
});
