import { Cluster } from '@knsim/sim-core';
import type { KObject } from '@knsim/sim-core';

export interface ControlPlaneBenchParams {
  /** Knative Services applied to the fresh cluster. */
  services: number;
  seed: number;
}

export interface ControlPlaneBenchResult {
  services: number;
  /** Kernel events processed from the apply until every Service was Ready. */
  events: number;
  /** Simulated time from the apply until every Service was Ready. */
  simulatedMs: number;
}

/** The Services, one per name, each one revision of one pod (min-scale 1 keeps it up once Ready). */
export function controlPlaneServices(n: number): KObject[] {
  const out: KObject[] = [];
  const width = String(Math.max(n, 1)).length;
  for (let i = 0; i < n; i++) {
    out.push({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: `svc-${String(i).padStart(width, '0')}`, namespace: 'default' },
      spec: { template: { spec: { containers: [{ image: 'example.com/hello:v1' }] } } },
    } as KObject);
  }
  return out;
}

/**
 * The control-plane benchmark's model (issue 14): N Knative Services — each a Configuration, a
 * Revision with one pod, a Route, a KIngress and its VirtualServices — applied at once to a
 * fresh cluster, which then runs until every one is Ready (`waitForReady`). The work is the
 * controllers', Istio's pushes and the pods' start-up; no request is sent.
 */
export function runControlPlaneBench(p: ControlPlaneBenchParams): ControlPlaneBenchResult {
  const c = new Cluster({ seed: p.seed, hops: false });
  const startEvents = c.env.eventsProcessed;
  const start = c.now;
  c.apply(controlPlaneServices(p.services));
  c.waitForReady({ timeoutMs: 3_600_000 });
  return { services: p.services, events: c.env.eventsProcessed - startEvents, simulatedMs: c.now - start };
}
