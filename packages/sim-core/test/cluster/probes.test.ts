import { describe, expect, it } from 'vitest';
import { ApplyError, Cluster, type ClientResponse, type KnsimTraceEvent } from '../../src/index.js';
import { closedLoop, svc } from './load-helpers.js';

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

describe('startupProbe (issue 10, point 7)', () => {
  // pkg/activator/net/revision_backends.go getOrCreateRevisionWatcher: a startup probe (or an
  // exec readiness probe) turns enableProbeOptimisation off, so probePodIPs counts a probed pod
  // only once it is in the ready addresses. Kubernetes marks the pod Ready only after the user
  // container's startup probe passed (pkg/kubelet/prober/prober_manager.go UpdatePodStatus:
  // ready needs started); kubelet's worker does not probe before initialDelaySeconds and then on
  // its periodSeconds ticker (pkg/kubelet/prober/worker.go run, doProbe).
  const yaml = service(`
startupProbe:
  httpGet:
    path: /
  initialDelaySeconds: 6
`);

  it.each(SEEDS)('holds the cold request until the startup probe has passed (seed %i)', (seed) => {
    const { r, answeredAt, readyAt } = coldRequest(scaledToZero(yaml, seed));
    expect(r.latencyMs).toBeGreaterThanOrEqual(6000);
    // The activator used the pod only after Kubernetes marked it Ready.
    expect(readyAt).toHaveLength(1);
    expect(answeredAt).toBeGreaterThan(readyAt[0]!);
  });

  it('shows the user container not ready (1/2) until the startup probe passes', () => {
    const c = new Cluster({ seed: 1 });
    const watch: string[] = [];
    c.trace.on('pod.phase', (e) => watch.push(`${e.phase} ${e.ready}`));
    c.apply(yaml);
    c.waitForReady();
    // queue-proxy is ready at once; the user container only once started.
    expect(watch.filter((l, i) => l !== watch[i - 1])).toEqual(['Pending 0/2', 'ContainerCreating 0/2', 'Running 0/2', 'Running 1/2', 'Running 2/2']);
  });

  it('uses only Ready pods with an exec readiness probe too', () => {
    // pkg/reconciler/revision/resources/deploy.go keeps an exec readiness probe on the user
    // container for kubelet (queue-proxy gets a TCP probe instead: resources/queue.go
    // applyReadinessProbeDefaults), and the activator waits for Kubernetes' readiness.
    const exec = service(`
readinessProbe:
  exec:
    command: [cat, /tmp/ready]
`);
    const { r, answeredAt, readyAt } = coldRequest(scaledToZero(exec, 1));
    expect(readyAt).toHaveLength(1);
    expect(answeredAt).toBeGreaterThan(readyAt[0]!);
    // kubelet's first exec probe comes as the container starts, before the app listens; the
    // next one a period (Kubernetes' default 10 s) later.
    expect(r.latencyMs).toBeGreaterThan(5000);
  });
});

describe('livenessProbe (issue 10, point 7)', () => {
  // The app answers 500 on /healthz from 20 s after it started listening; kubelet's liveness
  // probe (every 1 s, failureThreshold 3) fails three times in a row and kubelet restarts the
  // container (pkg/kubelet/prober/worker.go doProbe sets the result once resultRun reaches
  // failureThreshold; kuberuntime_manager.go computePodActions kills and restarts a container
  // whose liveness failed). Its preStop hook asks queue-proxy to drain (Knative's
  // resources/deploy.go), which lets go after 1 s when no SIGTERM came (pkg/queue/sharedmain/
  // handlers.go adminHandler); the app then exits, so requests inside it fail with 502.
  const yaml = service(
    `
livenessProbe:
  httpGet:
    path: /healthz
  periodSeconds: 1
  failureThreshold: 3
`,
    {
      'autoscaling.knative.dev/min-scale': '1',
      'knsim.dev/unhealthy-after': '20s',
      'knsim.dev/unhealthy-path': '/healthz',
      'knsim.dev/service-time': '3s',
    },
  );

  it('restarts the container, counts the restart, and fails the requests that were inside the app', () => {
    const c = new Cluster({ seed: 1 });
    const events: KnsimTraceEvent[] = [];
    c.trace.on('pod.phase', (e) => events.push(e));
    c.trace.on('kubelet.probe', (e) => events.push(e));
    c.apply(yaml);
    c.waitForReady();
    const responses: ClientResponse[] = closedLoop(c, URL, 4, c.now + 30_000);
    c.runFor(40_000);
    const pods = c.pods('app-00001');
    expect(pods).toHaveLength(1);
    expect(pods[0]!.restarts).toBe(1);
    expect(pods[0]!.ready).toBe('2/2');

    const probes = events.filter((e): e is Extract<KnsimTraceEvent, { type: 'kubelet.probe' }> => e.type === 'kubelet.probe' && e.probe === 'liveness');
    const phases = events.filter((e): e is Extract<KnsimTraceEvent, { type: 'pod.phase' }> => e.type === 'pod.phase');
    const kill = phases.find((e) => e.reason.startsWith('Killing'))!;
    expect(kill.reason).toBe('Killing: Container user-container failed liveness probe, will be restarted');
    // three failures in a row, a second apart, the last one at the kill
    const failures = probes.filter((p) => p.result === 'Failure' && p.t <= kill.t).slice(-3);
    expect(failures.map((p) => [p.t - kill.t, p.consecutive, p.message])).toEqual([
      [-2000, 1, 'HTTP probe failed with statuscode: 500'],
      [-1000, 2, 'HTTP probe failed with statuscode: 500'],
      [0, 3, 'HTTP probe failed with statuscode: 500'],
    ]);
    // The pod stays the same pod, Running throughout: its user container goes and comes back.
    const watch = phases.filter((e) => e.t >= kill.t).map((e) => `${e.phase} ${e.ready} ${e.restarts}`);
    expect(watch.filter((l, i) => l !== watch[i - 1])).toEqual(['Running 2/2 0', 'Running 1/2 1', 'Running 2/2 1']);

    // Requests inside the app when it exited get queue-proxy's 502 (the reverse proxy's error).
    const exited = phases.find((e) => e.reason === 'Container user-container exited')!.t;
    const failed = responses.filter((r) => r.status === 502);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((r) => r.body)).toContain('EOF');
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(10);
    // Every other failure falls in the restart: queue-proxy still sends to the app, which does
    // not listen yet (Knative's own liveness test shows these 502s).
    for (const r of responses) if (r.status !== 200) expect(r.body === 'EOF' || r.body === 'dial tcp 127.0.0.1:8080: connect: connection refused').toBe(true);
    expect(exited).toBeGreaterThan(kill.t + 1000); // the preStop drain holds for 1 s first
  });

  it('restarts at once while the instance before lived past its back-off, then backs off 10 s, 20 s, 40 s', () => {
    // kuberuntime_manager.go SyncPod kills the container and starts it again in one sync, and
    // doBackOff checks the pod status from before the kill: the instance that exited before
    // this one (none the first time; no back-off entry the second). From the third restart
    // that exit is within the back-off (10 s, doubling: client-go flowcontrol/backoff.go), so
    // the start waits the back-off out from this exit.
    const c = new Cluster({ seed: 2 });
    const phases: Array<Extract<KnsimTraceEvent, { type: 'pod.phase' }>> = [];
    c.trace.on('pod.phase', (e) => phases.push(e));
    c.apply(
      service(
        `
livenessProbe:
  httpGet:
    path: /healthz
  periodSeconds: 1
  failureThreshold: 1
`,
        { 'autoscaling.knative.dev/min-scale': '1', 'knsim.dev/unhealthy-after': '2s', 'knsim.dev/unhealthy-path': '/healthz' },
      ),
    );
    c.waitForReady();
    c.runFor(120_000);
    const exits = phases.filter((e) => e.reason === 'Container user-container exited');
    const starts = phases.filter((e) => e.reason.startsWith('Started container user-container'));
    const waits = starts.slice(0, 5).map((r, i) => Math.round((r.t - exits[i]!.t) / 1000));
    expect(waits).toEqual([0, 0, 10, 20, 40]);
    expect(phases.filter((e) => e.reason.startsWith('BackOff')).length).toBeGreaterThanOrEqual(3);
    // still the one pod: kubelet restarts the container, the Deployment keeps its pod
    expect(new Set(phases.map((e) => e.pod)).size).toBe(1);
    // RESTARTS counts every exit, including one still waiting out its back-off
    expect(c.pods('app-00001')[0]!.restarts).toBe(exits.length);
  });
});

describe('readiness failures after Ready', () => {
  // kubelet keeps probing queue-proxy after Ready; queue-proxy runs the user's probe each time
  // and answers 503 when it fails (pkg/queue/health/handler.go), and failureThreshold failures
  // in a row set the result to Failure (pkg/kubelet/prober/worker.go doProbe).
  it('takes the pod out of the ready endpoints after failureThreshold failed probes', () => {
    const c = new Cluster({ seed: 3 });
    c.apply(
      service(
        `
readinessProbe:
  httpGet:
    path: /ready
  periodSeconds: 2
  failureThreshold: 2
`,
        { 'autoscaling.knative.dev/min-scale': '1', 'knsim.dev/unhealthy-after': '10s', 'knsim.dev/unhealthy-path': '/ready' },
      ),
    );
    c.waitForReady();
    const watch: string[] = [];
    c.trace.on('pod.phase', (e) => watch.push(`${e.phase} ${e.ready}`));
    c.runFor(20_000);
    expect(watch).toEqual(['Running 1/2']);
    expect(c.revision('app-00001').readyPods).toHaveLength(0);
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
