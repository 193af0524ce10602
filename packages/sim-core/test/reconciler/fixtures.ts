import type { Condition, Configuration, Revision, Route } from '../../src/apis/serving/v1/types.js';
import type { TrafficLookups } from '../../src/reconciler/route/traffic.js';

/** Objects shaped like knative/serving traffic_test.go's fixtures (good/nice/unready/failed configs). */
export const NS = 'test';

export function revision(name: string, config: string, ready: Condition['status'] | undefined, opts: { h2c?: boolean; service?: string } = {}): Revision {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name,
      namespace: NS,
      generation: 1,
      labels: { 'serving.knative.dev/configuration': config, ...(opts.service !== undefined ? { 'serving.knative.dev/service': opts.service } : {}) },
    },
    spec: { containers: [{ image: 'busybox', ...(opts.h2c ? { ports: [{ name: 'h2c' }] } : {}) }] },
    status: { observedGeneration: 1, conditions: ready ? [{ type: 'Ready', status: ready }] : [] },
  };
}

export function configuration(name: string, latestReady: string | undefined, ready: Condition['status'] = 'True'): Configuration {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Configuration',
    metadata: { name, namespace: NS, generation: 1 },
    spec: { template: { spec: { containers: [{ image: 'busybox' }] } } },
    status: { ...(latestReady ? { latestReadyRevisionName: latestReady } : {}), conditions: [{ type: 'Ready', status: ready }] },
  };
}

// goodConfig: revision-1 (http1) and revision-2 (h2c), latest ready revision-2.
export const goodOldRev = revision('good-revision-1', 'good-config', 'True');
export const goodNewRev = revision('good-revision-2', 'good-config', 'True', { h2c: true });
export const goodConfig = configuration('good-config', goodNewRev.metadata.name);
export const niceOldRev = revision('nice-revision-1', 'nice-config', 'True');
export const niceNewRev = revision('nice-revision-2', 'nice-config', 'True', { h2c: true });
export const niceConfig = configuration('nice-config', niceNewRev.metadata.name);
export const unreadyRev = revision('unready-revision', 'unready-config', undefined);
export const unreadyConfig = configuration('unready-config', undefined, 'Unknown');
export const failedRev = revision('failed-revision', 'failed-config', 'False');
export const failedConfig = configuration('failed-config', undefined, 'False');
export const emptyConfig = configuration('empty-config', undefined, 'Unknown');

export function lookups(configs: Configuration[], revisions: Revision[]): TrafficLookups {
  return {
    getConfiguration: (n) => configs.find((c) => c.metadata.name === n),
    getRevision: (n) => revisions.find((r) => r.metadata.name === n),
  };
}

export const allLookups = lookups(
  [goodConfig, niceConfig, unreadyConfig, failedConfig, emptyConfig],
  [goodOldRev, goodNewRev, niceOldRev, niceNewRev, unreadyRev, failedRev],
);

export function routeWith(traffic: Route['spec']['traffic'], meta: Partial<Route['metadata']> = {}): Route {
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name: 'test-route', namespace: NS, ...meta }, spec: { traffic } };
}
