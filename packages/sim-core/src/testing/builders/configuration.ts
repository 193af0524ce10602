import type { Configuration, Route, TrafficTarget } from '../../apis/serving/v1/types.js';
import { revisionTemplates, templateSpec } from '../_internals/revisions.js';
import type { ConfigurationOptions } from '../types.js';

/**
 * A Knative Configuration and the Route in front of it: one Configuration object per revision
 * (applied in order), then the Route. A `latestRevision: true` target becomes a
 * `configurationName` target, as a Route names the latest revision; no traffic block sends 100%
 * to the latest.
 */
export function configuration(o: ConfigurationOptions): Array<Configuration | Route> {
  const ns = o.namespace ?? 'default';
  const configs: Configuration[] = revisionTemplates(o).map((r) => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Configuration',
    metadata: { name: o.name, namespace: ns },
    spec: { template: templateSpec(o, r) },
  }));
  const traffic: TrafficTarget[] = (o.traffic ?? [{ latestRevision: true, percent: 100 }]).map((t) =>
    t.latestRevision ? { ...t, revisionName: undefined, configurationName: o.name } : { ...t },
  );
  const route: Route = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Route',
    metadata: { name: o.route ?? o.name, namespace: ns },
    spec: { traffic: traffic.map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as TrafficTarget) },
  };
  return [...configs, route];
}
