import fc from 'fast-check';
import type { TrafficTarget } from '../../apis/serving/v1/types.js';
import type { Invalid } from '../types.js';
import { percents } from './percents.js';

export interface InvalidTrafficOptions {
  /** Revision names the targets use (default `app-v1`, `app-v2`, `app-v3`). */
  revisions?: readonly string[];
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A traffic block with exactly one mistake, and the message Knative's webhook prints for it in
 * a Service or Route (route_validation.go validateTrafficList): percents that do not sum to
 * 100 (`Traffic targets sum to 90, want 100: spec.traffic`), or two targets with one tag
 * (`Multiple definitions for "canary": spec.traffic[0].tag, spec.traffic[2].tag`).
 */
export function invalidTraffic(o: InvalidTrafficOptions = {}): fc.Arbitrary<Invalid<TrafficTarget[]>> {
  const revs = o.revisions ?? ['app-v1', 'app-v2', 'app-v3'];
  const n = revs.length;
  const badSum = fc
    .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: n })
    .filter((ps) => ps.reduce((a, b) => a + b, 0) !== 100)
    .map((ps): Invalid<TrafficTarget[]> => ({
      value: ps.map((p, i) => ({ revisionName: revs[i]!, percent: p })),
      message: `Traffic targets sum to ${ps.reduce((a, b) => a + b, 0)}, want 100: spec.traffic`,
    }));
  const duplicateTag =
    n < 2
      ? undefined
      : fc
          .integer({ min: 2, max: n })
          .chain((k) => fc.tuple(percents({ minLength: k, maxLength: k }), fc.uniqueArray(fc.integer({ min: 0, max: k - 1 }), { minLength: 2, maxLength: 2 }), fc.constantFrom('canary', 'stable', 'beta')))
          .map(([ps, [a, b], tag]): Invalid<TrafficTarget[]> => ({
            value: ps.map((p, i) => ({ ...(i === a || i === b ? { tag } : {}), revisionName: revs[i]!, percent: p })),
            message: `Multiple definitions for ${JSON.stringify(tag)}: ${[`spec.traffic[${a}].tag`, `spec.traffic[${b}].tag`].sort(byteOrder).join(', ')}`,
          }));
  return duplicateTag ? fc.oneof(badSum, duplicateTag) : badSum;
}
