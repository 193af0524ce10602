// docs/testing.md, example 1: a canary split converges.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { percents, sendN, service, smallCluster, splitConverges } from '@knsim/sim-core/testing';
import { runs } from '../runs.js';

it('a canary split converges to its traffic block', () => {
  fc.assert(
    fc.property(percents({ minLength: 2, maxLength: 2, zero: false }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([stable, canary], seed) => {
      const traffic = [
        { revisionName: 'app-v1', percent: stable! },
        { revisionName: 'app-v2', percent: canary! },
      ];
      const { cluster } = smallCluster({ seed, manifests: service({ name: 'app', revisions: 2, traffic }) });
      const responses = sendN(cluster, { url: 'http://app.default.example.com/' }, 400);
      const report = splitConverges(responses, traffic); // throws, with the bound, when it does not
      expect(report.n).toBe(400);
    }),
    { numRuns: runs(10) },
  );
});
