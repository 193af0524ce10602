import { describe, expect, it } from 'vitest';
import { ApplyError, Cluster, type ClientResponse } from '../../src/index.js';
import { svc } from './load-helpers.js';

const URL = 'http://app.default.example.com/';

/** The Service `app` with these probes (YAML at the container's level) and template annotations. */
const service = (probes: string, annotations: Record<string, string> = {}) => svc('app', { container: probes, annotations });

/** Ready, then idle until the revision has scaled to zero: the next request is a cold start. */
function scaledToZero(yaml: string, seed: number): Cluster {
  const c = new Cluster({ seed });
  c.apply(yaml);
  c.waitForReady();
  c.runFor(120_000);
  expect(c.pods('app-00001').filter((p) => p.status !== 'Terminated')).toHaveLength(0);
  return c;
}

/** Sends the cold request; also says when Kubernetes marked the pod Ready meanwhile. */
function coldRequest(c: Cluster): { r: ClientResponse; answeredAt: number; readyAt: number[] } {
  const readyAt: number[] = [];
  c.trace.on('pod.phase', (e) => {
    if (e.ready === '2/2' && e.phase === 'Running') readyAt.push(e.t);
  });
  const sent = c.now;
  const r = c.request({ url: URL });
  expect(r.status).toBe(200);
  return { r, answeredAt: sent + r.latencyMs, readyAt };
}

const SEEDS = [1, 2, 3, 4, 5];

describe('readiness probe with periodSeconds (issue 10, point 6)', () => {
  // knative/serving pkg/queue/sharedmain/main.go builds queue-proxy's prober from
  // SERVING_READINESS_PROBE, and pkg/queue/health/handler.go ProbeHandler calls it for every
  // `K-Network-Probe: queue` request: pkg/queue/readiness/probe.go ProbeContainer probes the user
  // container afresh each time (once, with timeoutSeconds, when periodSeconds > 0). The activator
  // probes new pods every 200 ms (pkg/activator/net/revision_backends.go probeFrequency), so it
  // uses the pod as soon as the app answers, long before kubelet's 10 s probe marks it Ready.
  const yaml = service(`
readinessProbe:
  httpGet:
    path: /
  periodSeconds: 10
`);

  it.each(SEEDS)('serves a cold request in about 0.8 s, not 10.5 s (seed %i)', (seed) => {
    const c = scaledToZero(yaml, seed);
    const { r, readyAt } = coldRequest(c);
    expect(r.hops.map((h) => h.component)).toContain('activator');
    expect(r.latencyMs).toBeGreaterThan(300);
    expect(r.latencyMs).toBeLessThan(1500);
    // Kubernetes has not marked the pod Ready yet: kubelet probes queue-proxy every 10 s.
    expect(readyAt).toEqual([]);
    expect(c.pods('app-00001').map((p) => p.ready)).toEqual(['1/2']);
  });
});

describe('knsim.dev/unhealthy-* annotations', () => {
  it('are validated like the other knsim.dev annotations', () => {
    const c = new Cluster();
    expect(() => c.apply(service('', { 'knsim.dev/unhealthy-after': 'soon' }))).toThrow(ApplyError);
    expect(() => c.apply(service('', { 'knsim.dev/unhealthy-after': 'soon' }))).toThrow(/invalid value: soon: spec\.template\.metadata\.annotations\.knsim\.dev\/unhealthy-after/);
    expect(() => c.apply(service('', { 'knsim.dev/unhealthy-path': 'healthz' }))).toThrow(/want a path starting with "\/"/);
    expect(() => c.apply(service('', { 'knsim.dev/unhealthy-path': '/healthz' }))).toThrow(/knsim.dev\/unhealthy-path needs knsim.dev\/unhealthy-after/);
  });
});
