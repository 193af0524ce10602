import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { conservation, sendN, service, serviceSpec, smallCluster, splitConverges } from '../../src/testing/index.js';
import { runs } from './runs.js';

// The kit's arbitraries are fast-check arbitraries: @fast-check/vitest's test.prop takes them as
// they are, and runs from the same global seed (scripts/fc-setup.ts) as fc.assert.
describe('with @fast-check/vitest', () => {
  test.prop([serviceSpec({ maxRevisions: 2 }), fc.integer({ min: 1, max: 10_000 })], { numRuns: runs(3) })('a generated Service becomes Ready and follows its traffic block', (spec, seed) => {
    const { cluster, events } = smallCluster({ seed, manifests: service(spec) });
    const responses = sendN(cluster, { url: 'http://app.default.example.com/' }, 200);
    const latest = `app-v${typeof spec.revisions === 'number' ? spec.revisions : spec.revisions!.length}`;
    splitConverges(responses, spec.traffic ?? [{ latestRevision: true, percent: 100 }], { latest });
    expect(conservation(events).requests).toBe(200);
  });

  test('a failing property prints its seed, and the counterexample as ready-to-apply YAML', () => {
    // What test.prop prints is fc.assert's report.
    let report = '';
    try {
      fc.assert(fc.property(serviceSpec({ minRevisions: 2, maxRevisions: 2 }), (spec) => spec.traffic === undefined), { seed: 7 });
    } catch (e) {
      report = (e as Error).message;
    }
    expect(report).toMatch(/^Property failed after \d+ tests\n\{ seed: 7, path: "[\d:]+", endOnFailure: true \}\nCounterexample: \[# apply 1 of 2\napiVersion: serving.knative.dev\/v1\nkind: Service\n/);
    expect(report).toContain('---\n# apply 2 of 2\napiVersion: serving.knative.dev/v1');
  });
});
