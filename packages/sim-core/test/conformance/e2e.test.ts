import { describe, expect, it } from 'vitest';
import { Cluster, type ClientResponse } from '../../src/index.js';
import { burst, condition, configurationYaml, createServiceReady, IMAGE, object, pollUntil, readyPods, routeYaml, serviceYaml, waitForReadyCondition } from './helpers.js';

/**
 * knative/serving test/e2e transcribed: routing, readiness, timeouts and autoscaling against
 * knsim's models of the test images. The autoscaling tests drive Knative's `autoscale` image
 * with `?sleep=500` (test/e2e/autoscale.go autoscaleSleep); that image belongs to knsim's CPU
 * model (issue 17's other part), so these use the generic app with
 * `knsim.dev/service-time: 500ms`: a 500 ms sleep per request is the whole of what the Go tests
 * ask of it, so their essence (concurrency per pod against the target) is kept.
 */

const HELLO_WORLD_TEXT = 'Hello World! How about some tasty noodles?';

// test/e2e/autoscale.go
const CONTAINER_CONCURRENCY = 6;
const TARGET_UTILIZATION = 0.7;
const RPS_TARGET = 10;
const AUTOSCALE_SLEEP = '500ms';
/** autoscaling.WindowMin */
const WINDOW_MIN = '6s';

interface AutoscalerOptions {
  metric?: 'concurrency' | 'rps';
  target: number;
  annotations?: Record<string, string>;
}

/** SetupSvc: a KPA Service with the metric, target and target utilisation, Ready. */
function setupSvc(seed: number, o: AutoscalerOptions): Cluster {
  const c = new Cluster({ seed });
  createServiceReady(c, 'auto', {
    image: IMAGE('autoscale'),
    annotations: {
      'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': o.metric ?? 'concurrency',
      'autoscaling.knative.dev/target': String(o.target),
      'autoscaling.knative.dev/target-utilization-percentage': String(TARGET_UTILIZATION * 100),
      'knsim.dev/service-time': AUTOSCALE_SLEEP,
      ...o.annotations,
    },
  });
  return c;
}

const AUTO_URL = 'http://auto.default.example.com/?sleep=500';

/** generateTrafficAtFixedConcurrency, until `stop()`. */
function fixedConcurrency(c: Cluster, n: number): { responses: ClientResponse[]; stop: () => void } {
  const responses: ClientResponse[] = [];
  let stopped = false;
  for (let i = 0; i < n; i++) {
    c.env.process(
      (function* () {
        while (!stopped) responses.push(yield* c.send({ url: AUTO_URL }));
      })(),
    );
  }
  return { responses, stop: () => (stopped = true) };
}

/** generateTrafficAtFixedRPS, until `stop()`. */
function fixedRps(c: Cluster, rps: number): { responses: ClientResponse[]; stop: () => void } {
  const responses: ClientResponse[] = [];
  let stopped = false;
  c.env.process(
    (function* () {
      while (!stopped) {
        c.env.process(
          (function* () {
            responses.push(yield* c.send({ url: AUTO_URL }));
          })(),
        );
        yield c.env.timeout(1000 / rps);
      }
    })(),
  );
  return { responses, stop: () => (stopped = true) };
}

/**
 * AutoscaleUpToNumPods / checkPodScale: traffic at targetPods × target, checked every 2 s: never
 * below minPods (which rises as pods come), quick mode done once targetPods ≤ ready ≤ maxPods;
 * sustaining mode must hold [targetPods-1, maxPods] at the end.
 */
function autoscaleUpToNumPods(c: Cluster, o: AutoscalerOptions, curPods: number, targetPods: number, durationMs: number, quick: boolean): void {
  let minPods = Math.floor(curPods / TARGET_UTILIZATION) - 1;
  const maxPods = Math.ceil(Math.ceil(targetPods / TARGET_UTILIZATION) * 1.1);
  const load = o.metric === 'rps' ? fixedRps(c, targetPods * o.target) : fixedConcurrency(c, targetPods * o.target);
  const end = c.now + durationMs;
  let done = false;
  while (c.now < end) {
    c.runFor(2000);
    const got = readyPods(c, 'auto-00001');
    expect(got, `#replicas at ${c.now} ms`).toBeGreaterThanOrEqual(minPods);
    if (quick && got >= targetPods && got <= maxPods) {
      done = true;
      break;
    }
    if (minPods < targetPods - 1) minPods = Math.min(got, targetPods) - 1;
  }
  if (!done) {
    const got = readyPods(c, 'auto-00001');
    expect(got).toBeGreaterThanOrEqual(targetPods - 1);
    expect(got).toBeLessThanOrEqual(maxPods);
  }
  load.stop();
  // Let the load's last requests finish.
  c.runFor(1000);
  expect(load.responses.filter((r) => r.status !== 200)).toEqual([]);
}

/** assertScaleDown: the Deployment reaches zero, its pods are gone, the Revision stays Ready. */
function assertScaleDown(c: Cluster): void {
  expect(pollUntil(c, () => c.revision('auto-00001').replicas === 0, 5 * 60_000, 1000)).toBe(true);
  expect(pollUntil(c, () => c.pods('auto-00001').every((p) => p.status === 'Terminated'), 2 * 60_000, 1000)).toBe(true);
  expect(condition(object(c, 'Revision', 'auto-00001'), 'Ready')?.status).toBe('True');
}

describe('e2e/helloworld_test.go', () => {
  it('TestHelloWorld: the helloworld image answers its text', () => {
    const c = new Cluster({ seed: 21 });
    createServiceReady(c, 'hello', { image: IMAGE('helloworld') });
    expect(c.request({ url: 'http://hello.default.example.com/' })).toMatchObject({ status: 200, body: `${HELLO_WORLD_TEXT}\n` });
  });
});

describe('e2e/autoscale_test.go', () => {
  for (const algo of ['linear', 'weightedExponential']) {
    it(`TestAutoscaleUpDownUp/aggregation-${algo}: up to 2 pods, down to zero, up again`, () => {
      const o: AutoscalerOptions = { target: CONTAINER_CONCURRENCY, annotations: { 'autoscaling.knative.dev/metric-aggregation-algorithm': algo } };
      const c = setupSvc(22, o);
      autoscaleUpToNumPods(c, o, 1, 2, 60_000, true);
      assertScaleDown(c);
      autoscaleUpToNumPods(c, o, 0, 2, 60_000, true);
    });
  }

  it('TestAutoscaleUpCountPods: 1 → 2 → 3 → 4 pods as concurrency rises', () => {
    const o: AutoscalerOptions = { target: CONTAINER_CONCURRENCY };
    const c = setupSvc(23, o);
    autoscaleUpToNumPods(c, o, 1, 2, 90_000, true);
    autoscaleUpToNumPods(c, o, 2, 3, 90_000, true);
    autoscaleUpToNumPods(c, o, 3, 4, 90_000, true);
  });

  it('TestRPSBasedAutoscaleUpCountPods: the same with the rps metric (target 10)', () => {
    const o: AutoscalerOptions = { metric: 'rps', target: RPS_TARGET };
    const c = setupSvc(24, o);
    autoscaleUpToNumPods(c, o, 1, 2, 90_000, true);
    autoscaleUpToNumPods(c, o, 2, 3, 90_000, true);
    autoscaleUpToNumPods(c, o, 3, 4, 90_000, true);
  });

  for (const algo of ['linear', 'weightedExponential']) {
    it(`TestAutoscaleSustaining/aggregation-${algo}: 8 pods held for 2 minutes`, () => {
      const o: AutoscalerOptions = { target: CONTAINER_CONCURRENCY, annotations: { 'autoscaling.knative.dev/metric-aggregation-algorithm': algo } };
      const c = setupSvc(25, o);
      autoscaleUpToNumPods(c, o, 1, 8, 120_000, false);
    });
  }

  it('TestTargetBurstCapacity: target 10, TBC 7, traffic at 7 + 5: two pods, and both in the endpoints', () => {
    const o: AutoscalerOptions = { target: 10, annotations: { 'autoscaling.knative.dev/target-burst-capacity': '7', 'autoscaling.knative.dev/panic-threshold-percentage': '200' } };
    const c = setupSvc(26, o);
    const a = fixedConcurrency(c, 7);
    const b = fixedConcurrency(c, 5);
    // 2 × stable window (60 s)
    expect(pollUntil(c, () => readyPods(c, 'auto-00001') === 2, 120_000)).toBe(true);
    // The public endpoints (ReadyAddressCount of the revision's Service) hold the 2 pods: excess
    // burst capacity 2×10 − 12 − 7 ≥ 0 takes the activator out of the path (Serve).
    expect(pollUntil(c, () => c.revision('auto-00001').sksMode === 'Serve' && readyPods(c, 'auto-00001') === 2, 120_000)).toBe(true);
    a.stop();
    b.stop();
    c.runFor(1000);
    expect(a.responses.length + b.responses.length).toBeGreaterThan(20);
    expect([...a.responses, ...b.responses].filter((r) => r.status !== 200)).toEqual([]);
  });

  it('TestTargetBurstCapacityMinusOne: TBC -1 keeps the activator in the path', () => {
    const c = setupSvc(27, { target: 10, annotations: { 'autoscaling.knative.dev/target-burst-capacity': '-1' } });
    expect(c.revision('auto-00001').activatorInPath).toBe(true);
    expect(c.revision('auto-00001').sksMode).toBe('Proxy');
  });

  it('TestTargetBurstCapacityZero: TBC 0 and a 10 s window: the idle revision scales to zero within a minute', () => {
    const c = setupSvc(28, { target: 10, annotations: { 'autoscaling.knative.dev/target-burst-capacity': '0', 'autoscaling.knative.dev/window': '10s' } });
    // Deployment ReadyReplicas == 0 within time.Minute (knsim: after the scale-to-zero grace period).
    expect(pollUntil(c, () => readyPods(c, 'auto-00001') === 0, 60_000, 1000)).toBe(true);
  });

  it('TestFastScaleToZero: TBC -1 and the minimum window: the private endpoints empty within the grace period + 15 s', () => {
    const c = setupSvc(29, { target: CONTAINER_CONCURRENCY, annotations: { 'autoscaling.knative.dev/target-burst-capacity': '-1', 'autoscaling.knative.dev/window': WINDOW_MIN } });
    const start = c.now;
    // config-autoscaler scale-to-zero-grace-period: 30 s.
    expect(pollUntil(c, () => readyPods(c, 'auto-00001') === 0, 30_000 + 15_000, 1000)).toBe(true);
    expect(c.now - start).toBeLessThanOrEqual(45_000);
  });

  it('TestActivationScale: activation-scale 3: from zero, the first request brings 3 pods', () => {
    const activationScale = 3;
    const c = setupSvc(30, { target: 6, annotations: { 'autoscaling.knative.dev/activation-scale': String(activationScale) } });
    expect(pollUntil(c, () => c.revision('auto-00001').replicas === 0, 5 * 60_000, 1000)).toBe(true);
    expect(c.request({ url: AUTO_URL }).status).toBe(200);
    expect(pollUntil(c, () => c.revision('auto-00001').desiredScale === activationScale, 5 * 60_000, 1000)).toBe(true);
  });
});

describe('e2e/activator_test.go', () => {
  it('TestActivatorOverload: 100 concurrent requests (timeout=300) to a cold cc=1, max-scale 10 revision all succeed', () => {
    const c = new Cluster({ seed: 31 });
    createServiceReady(c, 'overload', {
      image: IMAGE('timeout'),
      cc: 1,
      annotations: { 'autoscaling.knative.dev/max-scale': '10', 'autoscaling.knative.dev/target-burst-capacity': '-1' },
    });
    const rs = burst(c, 'http://overload.default.example.com/?timeout=300', 100);
    expect(rs.filter((r) => r.status !== 200)).toEqual([]);
    expect(rs.every((r) => r.body === 'Slept for 300 milliseconds')).toBe(true);
  });
});

describe('e2e/minscale_readiness_test.go', () => {
  it('TestMinScale: min-scale 4: Ready only with 4 pods; a new revision is Ready with 4 before the old one scales down', () => {
    const minScale = 4;
    const c = new Cluster({ seed: 32 });
    const cfg = (env: Record<string, string>) =>
      configurationYaml('ms', { image: IMAGE('helloworld'), env, annotations: { 'autoscaling.knative.dev/min-scale': String(minScale), 'autoscaling.knative.dev/window': WINDOW_MIN } });
    c.apply(cfg({}));
    c.apply(routeYaml('ms', 'ms'));
    let readyWith = -1;
    expect(waitForReadyCondition(c, 'Revision', 'ms-00001', 120_000, { atReady: () => (readyWith = readyPods(c, 'ms-00001')) })).toBe(true);
    expect(readyWith, 'first revision ready pods when Ready').toBeGreaterThanOrEqual(minScale);
    expect(readyPods(c, 'ms-00001'), 'first revision pods after Ready').toBe(minScale);
    c.apply(cfg({ FOO: 'BAR' }));
    let newReadyWith = -1;
    expect(waitForReadyCondition(c, 'Revision', 'ms-00002', 120_000, { stepMs: 50, atReady: () => (newReadyWith = readyPods(c, 'ms-00002')) })).toBe(true);
    expect(newReadyWith, 'second revision ready pods when Ready').toBeGreaterThanOrEqual(minScale);
    // Until the Route moves to the new revision the old one, still routed, keeps min-scale.
    expect(readyPods(c, 'ms-00001') >= minScale || (object(c, 'Route', 'ms').status.traffic as Array<{ revisionName: string }>)[0]!.revisionName === 'ms-00002').toBe(true);
    // The old revision, no longer routed, goes to zero.
    expect(pollUntil(c, () => readyPods(c, 'ms-00001') === 0, 5 * 60_000, 1000)).toBe(true);
  });
});

describe('e2e/minscale_readiness_test.go (annotation change)', () => {
  // Knative copies a Revision's annotations to its PodAutoscaler on every reconcile
  // (pkg/reconciler/revision/resources/pa.go MakePA), so patching min-scale on the Revision moves
  // the scale. knsim builds a revision's autoscaler settings once, at creation: a patched
  // Revision's annotations are stored but not acted on. Listed in docs/conformance.md.
  it.fails('TestMinScaleAnnotationChange: min-scale patched on the Revision 1 → 2 → 3 → removed — knsim reads a revision\'s annotations once', () => {
    const c = new Cluster({ seed: 45 });
    c.apply(configurationYaml('mc', { image: IMAGE('helloworld'), annotations: { 'autoscaling.knative.dev/min-scale': '1', 'autoscaling.knative.dev/window': WINDOW_MIN } }));
    c.apply(routeYaml('mc', 'mc'));
    c.waitForReady();
    expect(readyPods(c, 'mc-00001')).toBe(1);
    for (const want of [2, 3, 0]) {
      const rev = object(c, 'Revision', 'mc-00001') as { metadata: { annotations: Record<string, string> }; status?: unknown };
      if (want > 0) rev.metadata.annotations['autoscaling.knative.dev/min-scale'] = String(want);
      else delete rev.metadata.annotations['autoscaling.knative.dev/min-scale'];
      delete rev.status;
      c.apply(rev as never);
      // ensureDesiredScale / waitForDesiredScale
      expect(pollUntil(c, () => readyPods(c, 'mc-00001') === want, 5 * 60_000, 1000), `scale ${want}`).toBe(true);
    }
  });
});

describe('e2e/initial_scale_test.go, e2e/initscale/initial_scale_zero_test.go', () => {
  it('TestInitScalePositive: initial-scale 3: the Configuration is Ready with 3 pods', () => {
    const c = new Cluster({ seed: 33 });
    c.apply(configurationYaml('is', { image: IMAGE('helloworld'), annotations: { 'autoscaling.knative.dev/initial-scale': '3' } }));
    // CreateAndVerifyInitialScaleConfiguration (test/e2e/e2e.go): pods whose phase is not Pending
    // (a terminating pod's phase is still Running) number 3 when the Configuration is Ready.
    const podsNotPending = () => c.pods('is-00001').filter((p) => p.status === 'Running' || p.status === 'Terminating').length;
    let atReady = -1;
    expect(waitForReadyCondition(c, 'Configuration', 'is', 60_000, { stepMs: 50, atReady: () => (atReady = podsNotPending()) })).toBe(true);
    expect(atReady).toBe(3);
    // Then, with no traffic, fewer than initialScale remain.
    expect(pollUntil(c, () => c.pods('is-00001').filter((p) => p.status !== 'Terminated' && p.status !== 'Terminating').length < 3, 5 * 60_000, 1000)).toBe(true);
  });

  it('TestInitScaleZero: initial-scale 0 (allow-zero-initial-scale): Ready with no pod at all', () => {
    const c = new Cluster({ seed: 34 });
    c.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: config-autoscaler
  namespace: knative-serving
data:
  allow-zero-initial-scale: "true"
`);
    c.apply(configurationYaml('iz', { image: IMAGE('helloworld'), annotations: { 'autoscaling.knative.dev/initial-scale': '0' } }));
    c.waitForReady();
    expect(c.revision('iz-00001').maxReadyPods).toBe(0);
  });
});

describe('e2e/readiness_test.go', () => {
  it('TestReadinessAlternatePort: HEALTHCHECK_PORT=8077, probe /readiness on it', () => {
    const c = new Cluster({ seed: 35 });
    createServiceReady(c, 'alt', { image: IMAGE('readiness'), env: { HEALTHCHECK_PORT: '8077' }, container: 'readinessProbe:\n  httpGet:\n    port: 8077\n    path: /readiness' });
    expect(c.request({ url: 'http://alt.default.example.com/' })).toMatchObject({ status: 200, body: HELLO_WORLD_TEXT });
  });

  it('TestReadinessPathAndQuery: a probe path with a query (/query?probe=ok)', () => {
    const c = new Cluster({ seed: 36 });
    createServiceReady(c, 'pq', { image: IMAGE('readiness'), container: 'readinessProbe:\n  httpGet:\n    path: /query?probe=ok' });
    expect(c.request({ url: 'http://pq.default.example.com/' })).toMatchObject({ status: 200, body: HELLO_WORLD_TEXT });
  });

  it('TestLivenessProbeAwareOfStartupProbe: READY_DELAY 10 s behind a startup probe: the liveness probe waits, no restart', () => {
    const c = new Cluster({ seed: 37 });
    createServiceReady(c, 'aware', {
      image: IMAGE('readiness'),
      env: { READY_DELAY: '10s' },
      container: `startupProbe:
  httpGet:
    path: /healthz/readiness
    port: 8080
  periodSeconds: 1
  failureThreshold: 20
livenessProbe:
  httpGet:
    path: /healthz/liveness
    port: 8080
  periodSeconds: 1
  failureThreshold: 3`,
    });
    expect(c.request({ url: 'http://aware.default.example.com/' })).toMatchObject({ status: 200, body: HELLO_WORLD_TEXT });
    expect(c.pods('aware-00001').every((p) => p.restarts === 0)).toBe(true);
  });
});

describe('e2e/timeout_test.go TestRevisionTimeout', () => {
  const cases = [
    { name: 'does not exceed timeout seconds', timeoutSeconds: 10, initial: 2000, sleep: 0, status: 200 },
    { name: 'exceeds timeout seconds', timeoutSeconds: 10, initial: 12_000, sleep: 0, status: 504 },
    { name: 'writes response before response start timeout', timeoutSeconds: 10, responseStart: 7, initial: 4000, sleep: 0, status: 200 },
    { name: 'exceeds response start timeout', timeoutSeconds: 20, responseStart: 7, initial: 15_000, sleep: 0, status: 504 },
    { name: 'writes response before idle timeout', timeoutSeconds: 10, idle: 5, initial: 0, sleep: 2000, status: 200 },
    { name: 'exceeds idle timeout', timeoutSeconds: 15, idle: 7, initial: 20_000, sleep: 0, status: 504 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const c = new Cluster({ seed: 38 });
      const extra = [tc.responseStart ? `responseStartTimeoutSeconds: ${tc.responseStart}` : '', tc.idle ? `idleTimeoutSeconds: ${tc.idle}` : ''].filter(Boolean).join('\n');
      const yaml = serviceYaml('to', { image: IMAGE('timeout'), timeoutSeconds: tc.timeoutSeconds }).replace('      timeoutSeconds:', `${extra ? `${extra.split('\n').map((l) => `      ${l}`).join('\n')}\n` : ''}      timeoutSeconds:`);
      c.apply(yaml);
      c.waitForReady();
      const r = c.request({ url: `http://to.default.example.com/?initialTimeout=${tc.initial}&timeout=${tc.sleep}` });
      expect(r.status).toBe(tc.status);
    });
  }
});

describe('e2e/service_to_service_test.go', () => {
  /** TestProxyToHelloworld: an httpproxy Service whose TARGET_HOST is the helloworld's host answers HelloWorldText. */
  function proxyToHelloworld(c: Cluster, targetHost: string, accessibleExternally: boolean): void {
    createServiceReady(c, 'proxy', { image: IMAGE('httpproxy'), env: { TARGET_HOST: targetHost } });
    const r = c.request({ url: 'http://proxy.default.example.com/' });
    expect(r).toMatchObject({ status: 200, body: `${HELLO_WORLD_TEXT}\n` });
    // The helloworld directly from outside: only if it is public.
    const direct = c.request({ url: `http://${targetHost.replace(/\.svc\.cluster\.local$|\.svc$/, '.example.com')}/` });
    if (accessibleExternally) expect(direct.status).toBe(200);
    else expect(direct.status).not.toBe(200);
  }

  for (const [name, suffix] of [
    ['fqdn', ''],
    ['short', '.cluster.local'],
    ['shortest', '.svc.cluster.local'],
  ] as const) {
    it(`TestServiceToServiceCall/${name}: a cluster-local helloworld called through httpproxy by ${name} name`, () => {
      const c = new Cluster({ seed: 39 });
      createServiceReady(c, 'hw', { image: IMAGE('helloworld'), labels: { 'networking.knative.dev/visibility': 'cluster-local' } });
      const host = new URL(object(c, 'Route', 'hw').status.url as string).host;
      expect(host).toBe('hw.default.svc.cluster.local');
      proxyToHelloworld(c, host.slice(0, host.length - suffix.length), false);
    });
  }

  it('TestSvcToSvcViaActivator: TBC -1 (the activator in the path), cluster-local', () => {
    const c = new Cluster({ seed: 40 });
    createServiceReady(c, 'hw', {
      image: IMAGE('helloworld'),
      labels: { 'networking.knative.dev/visibility': 'cluster-local' },
      annotations: { 'autoscaling.knative.dev/target-burst-capacity': '-1' },
    });
    expect(c.revision('hw-00001').activatorInPath).toBe(true);
    proxyToHelloworld(c, 'hw.default.svc.cluster.local', false);
  });

  it('TestCallToPublicService: a public helloworld through httpproxy by its local address and its external one', () => {
    const c = new Cluster({ seed: 41 });
    createServiceReady(c, 'hw', { image: IMAGE('helloworld') });
    const route = object(c, 'Route', 'hw');
    expect(route.status.address.url).toBe('http://hw.default.svc.cluster.local');
    proxyToHelloworld(c, 'hw.default.svc.cluster.local', true);
    // external_address: TARGET_HOST the public host (the gateway resolves it from the pod too).
    createServiceReady(c, 'proxy', { image: IMAGE('httpproxy'), env: { TARGET_HOST: 'hw.default.example.com' } });
    expect(pollUntil(c, () => c.request({ url: 'http://proxy.default.example.com/' }).body === `${HELLO_WORLD_TEXT}\n`, 30_000)).toBe(true);
  });
});

describe('e2e/destroypod_test.go', () => {
  it('TestDestroyPodInflight: a 35 s request survives the Configuration being deleted halfway', () => {
    const c = new Cluster({ seed: 42 });
    c.apply(configurationYaml('inflight', { image: IMAGE('timeout') }));
    c.apply(routeYaml('inflight', 'inflight'));
    c.waitForReady();
    const url = 'http://inflight.default.example.com/';
    expect(c.request({ url })).toMatchObject({ status: 200, body: 'Slept for 0 milliseconds' });
    const ev = c.send({ url: `${url}?timeout=35000` });
    c.runFor(35_000 / 2);
    c.delete({ kind: 'Configuration', name: 'inflight', namespace: 'default' });
    const r = c.runUntilDone(ev);
    expect(r).toMatchObject({ status: 200, body: 'Slept for 35000 milliseconds' });
  });

  it('TestDestroyPodTimely: a deleted idle pod is gone long before the 5 min revision timeout', () => {
    const c = new Cluster({ seed: 43 });
    createServiceReady(c, 'timely', { image: IMAGE('helloworld'), timeoutSeconds: 300 });
    expect(c.request({ url: 'http://timely.default.example.com/' }).status).toBe(200);
    const pod = c.pods('timely-00001')[0]!.name;
    const start = c.now;
    c.deletePod('timely-00001', pod);
    expect(pollUntil(c, () => !c.pods('timely-00001').some((p) => p.name === pod && p.status !== 'Terminated'), 300_000, 1000)).toBe(true);
    expect(c.now - start).toBeLessThan(300_000 - 30_000);
  });

  it('TestDestroyPodWithRequests: six 12 s requests, the pod deleted under them: all succeed (autoscale sleep=12001 as service time)', () => {
    const c = new Cluster({ seed: 44 });
    createServiceReady(c, 'withreq', { image: IMAGE('autoscale'), timeoutSeconds: 300, annotations: { 'knsim.dev/service-time': '12001ms' } });
    const evs = [];
    for (let i = 1; i < 7; i++) {
      evs.push(c.send({ url: 'http://withreq.default.example.com/?sleep=12001' }));
      c.runFor(1000);
    }
    const pod = c.pods('withreq-00001').find((p) => p.status === 'Running')!.name;
    c.deletePod('withreq-00001', pod);
    const rs = evs.map((e) => c.runUntilDone(e));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

describe('e2e/subroutes_test.go', () => {
  for (const [name, suffix] of [
    ['fqdn', ''],
    ['short', '.cluster.local'],
    ['shortest', '.svc.cluster.local'],
  ] as const) {
    it(`TestSubrouteLocalSTS/${name}: a cluster-local Service's tag "current" reached through httpproxy by ${name} name`, () => {
      const c = new Cluster({ seed: 46 });
      createServiceReady(c, 'sts', {
        image: IMAGE('helloworld'),
        labels: { 'networking.knative.dev/visibility': 'cluster-local' },
        traffic: 'traffic:\n  - tag: current\n    percent: 100',
      });
      const address = new URL(object(c, 'Route', 'sts').status.address.url as string).host;
      const domain = `current-${address}`;
      createServiceReady(c, 'proxy', { image: IMAGE('httpproxy'), env: { TARGET_HOST: domain.slice(0, domain.length - suffix.length) } });
      expect(c.request({ url: 'http://proxy.default.example.com/' })).toMatchObject({ status: 200, body: `${HELLO_WORLD_TEXT}\n` });
    });
  }

  it('TestSubrouteVisibilityPublicToPrivate (the tag\'s Service labelled cluster-local): the tag\'s URL turns cluster-local, the route stays public', () => {
    const c = new Cluster({ seed: 47 });
    createServiceReady(c, 'sub', { image: IMAGE('helloworld'), traffic: 'traffic:\n  - tag: my-tag\n    percent: 100' });
    const tagUrl = () => (object(c, 'Route', 'sub').status.traffic as Array<{ tag: string; url: string }>).find((t) => t.tag === 'my-tag')!.url;
    expect(tagUrl()).toBe('http://my-tag-sub.default.example.com');
    c.label({ kind: 'Service', apiVersion: 'v1', name: 'my-tag-sub', namespace: 'default' }, { 'networking.knative.dev/visibility': 'cluster-local' });
    expect(pollUntil(c, () => tagUrl() === 'http://my-tag-sub.default.svc.cluster.local', 60_000)).toBe(true);
    expect(object(c, 'Route', 'sub').status.url).toBe('http://sub.default.example.com');
  });
});
