import fc from 'fast-check';
import type { TrafficTarget } from '../../apis/serving/v1/types.js';
import { autoscalingAnnotations } from '../arbitrary/autoscaling-annotations.js';
import type { ServiceSpecOptions } from '../arbitrary/service-spec.js';
import { trafficBlock } from '../arbitrary/traffic-block.js';
import type { RevisionTemplate, ServiceOptions } from '../types.js';
import { printable } from './printable.js';

/** Shared by `serviceSpec` and `configurationSpec`: the same value, printed through their builder. */
export function specArbitrary(o: ServiceSpecOptions, print: (v: ServiceOptions) => string): fc.Arbitrary<ServiceOptions> {
  const name = o.name ?? 'app';
  const min = o.minRevisions ?? 1;
  const max = o.maxRevisions ?? 3;
  if (!(Number.isInteger(min) && min >= 1 && max >= min)) throw new RangeError(`need 1 <= minRevisions <= maxRevisions, got ${min} and ${max}`);
  const anns = o.annotations ? autoscalingAnnotations(o.annotations === true ? {} : o.annotations) : fc.constant({});
  const trafficOpts = o.traffic === false ? undefined : o.traffic === true || o.traffic === undefined ? {} : o.traffic;
  return fc.integer({ min, max }).chain((n) => {
    const names = Array.from({ length: n }, (_, i) => `${name}-v${i + 1}`);
    const traffic: fc.Arbitrary<TrafficTarget[] | undefined> = trafficOpts ? trafficBlock({ ...trafficOpts, revisions: names }) : fc.constant(undefined);
    return fc.tuple(fc.array(anns, { minLength: n, maxLength: n }), traffic).map(([annotations, t]) => {
      const revisions: RevisionTemplate[] = names.map((rn, i) => ({ name: rn, ...(Object.keys(annotations[i]!).length > 0 ? { annotations: annotations[i] } : {}) }));
      const v: ServiceOptions = {
        name,
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
        ...(o.image !== undefined ? { image: o.image } : {}),
        revisions,
        ...(t !== undefined ? { traffic: t } : {}),
      };
      return printable(v, print);
    });
  });
}
