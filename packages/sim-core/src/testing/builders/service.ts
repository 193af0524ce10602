import type { Service } from '../../apis/serving/v1/types.js';
import { revisionTemplates, templateSpec } from '../_internals/revisions.js';
import type { ServiceOptions } from '../types.js';

/**
 * A Knative Service as the manifests that create its revisions: one Service object per
 * revision, to be applied in order (each apply changes the template, so Knative creates the next
 * revision), the last carrying the traffic block. Revisions get BYO names (`app-v1`, `app-v2`, …)
 * so a traffic block can name them before they exist.
 *
 * ```ts
 * service({ name: 'app', revisions: 2, traffic: [{ revisionName: 'app-v1', percent: 90 }, { revisionName: 'app-v2', percent: 10 }] })
 * ```
 */
export function service(o: ServiceOptions): Service[] {
  const revs = revisionTemplates(o);
  return revs.map((r, i) => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: o.name, namespace: o.namespace ?? 'default' },
    spec: {
      template: templateSpec(o, r),
      ...(i === revs.length - 1 && o.traffic !== undefined ? { traffic: o.traffic.map((t) => ({ ...t })) } : {}),
    },
  }));
}
