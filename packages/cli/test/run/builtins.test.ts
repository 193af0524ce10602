import { describe, expect, it } from 'vitest';
import { findBuiltin, listBuiltins, loadScenarioFile, runScenario } from '@knsim/scenarios';
import { makeSummary, stableStringify, type SummaryJson } from '@knsim/report';

const cache = new Map<string, SummaryJson>();
function run(name: string, seed?: number): SummaryJson {
  const key = `${name}/${seed ?? ''}`;
  if (!cache.has(key)) {
    const b = findBuiltin(name)!;
    cache.set(key, makeSummary(runScenario(loadScenarioFile(b.file), seed !== undefined ? { seed } : {})));
  }
  return cache.get(key)!;
}

// What `knsim run <built-in>` reports: each built-in's summary, as the scenario's README tells it.
describe('built-in scenarios', () => {
  it('routing-across-services: each path returns its service, unmatched paths 404, cluster-local hides and routing-internal restores', () => {
    const s = run('routing-across-services');
    expect(s.requests['direct-search']!.body).toBe('Search Service is called !\n');
    expect(s.requests['direct-login']!.body).toBe('Login Service is called !\n');
    expect(s.requests.search!.body).toBe('Search Service is called !\n');
    expect(s.requests.login!.body).toBe('Login Service is called !\n');
    expect(s.requests['unmatched-path']!.status).toBe(404);
    expect(s.requests['search-after-cluster-local']!.status).toBe(404);
    expect(s.requests['direct-after-cluster-local']!.status).toBe(404);
    expect(s.requests['search-internal']!.body).toBe('Search Service is called !\n');
    expect(s.requests['login-internal']!.body).toBe('Login Service is called !\n');
    expect(s.loads.mixed!.byStatus).toEqual({ '200': s.loads.mixed!.sent });
  });

  it('higress-plugins (seed 004, issue 13): Higress serves the 50/50 split; key-rate-limit 429s the third request; key-auth 401/403/200; the same through the Istio API', () => {
    const s = run('higress-plugins');
    expect(s.requests.hello!.body).toBe('Hello World!\n');
    expect(s.requests.hello!.hops.find((h) => h.component === 'gateway')!.name).toMatch(/^higress-gateway-/);
    const share = s.loads.split!.byRevision['hello-00001']! / s.loads.split!.completed;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    expect(['rate-1', 'rate-2', 'rate-3', 'rate-other-key'].map((r) => s.requests[r]!.status)).toEqual([200, 200, 429, 200]);
    expect(s.requests['rate-3']!.body).toBe('Too many requests');
    expect(['auth-no-key', 'auth-consumer1', 'auth-consumer2'].map((r) => s.requests[r]!.status)).toEqual([401, 403, 200]);
    expect(['istio-api-no-key', 'istio-api-consumer2'].map((r) => s.requests[r]!.status)).toEqual([401, 200]);
    expect(s.plugins).toEqual({
      'higress-system/key-auth (key-auth)': { allow: 2, 'deny 401': 2, 'deny 403': 1 },
      'higress-system/key-rate-limit (key-rate-limit)': { allow: 2, 'limited 429': 1, skip: 3 },
    });
  });

  it('life-of-a-request: the cold request passes the activator and carries the cold start', () => {
    const s = run('life-of-a-request');
    const cold = s.requests.cold!;
    expect(cold.hops.map((h) => h.component)).toEqual(['dns', 'gateway', 'activator', 'queue-proxy', 'app']);
    expect(cold.latencyMs).toBeGreaterThan(300);
    expect(s.requests.warm!.latencyMs).toBeLessThan(20);
    expect(s.revisions['hello-00001']!.coldStarts).toBe(1);
    // before the cold request the revision had scaled to zero
    expect(s.revisions['hello-00001']!.timeline.some((t) => t.desiredPods === 0)).toBe(true);
  });

  it('gray-release: shares within a binomial bound, tag hosts, v3 after the traffic block is dropped, rollback', () => {
    const s = run('gray-release');
    expect(s.loads['v1-only']!.byRevision).toEqual({ 'stock-service-example-v1': s.loads['v1-only']!.completed });
    const within = (k: number, n: number, p: number) => Math.abs(k - n * p) <= 5 * Math.sqrt(n * p * (1 - p));
    const half = s.loads['split-50-50']!;
    expect(within(half.byRevision['stock-service-example-v1']!, half.completed, 0.5)).toBe(true);
    expect(s.requests['tag-v1']!.body).toBe('Welcome to the v1 app!\n');
    expect(s.requests['tag-v2']!.body).toBe('Welcome to the v2 app!\n');
    expect(s.requests['after-v3']!.body).toBe('Welcome to the v3 app!\n');
    expect(s.requests['tag-v3']!.body).toBe('Welcome to the v3 app!\n');
    const three = s.loads['split-40-30-30']!;
    expect(within(three.byRevision['stock-service-example-v1']!, three.completed, 0.4)).toBe(true);
    expect(within(three.byRevision['stock-service-example-v2']!, three.completed, 0.3)).toBe(true);
    expect(within(three.byRevision['stock-service-example-v3']!, three.completed, 0.3)).toBe(true);
    expect(s.loads['rolled-back']!.byRevision).toEqual({ 'stock-service-example-v1': s.loads['rolled-back']!.completed });
  });

  it('scale-from-zero: bursts on a scaled-to-zero service panic the autoscaler and every request is answered', () => {
    const s = run('scale-from-zero');
    const burst = s.loads.burst!;
    expect(burst.byStatus).toEqual({ '200': burst.sent });
    expect(burst.latencyMs.max).toBeGreaterThan(500); // the cold start
    const rev = s.revisions['autoscale-00001']!;
    expect(rev.timeline.some((t) => t.panic)).toBe(true);
    expect(rev.maxReadyPods).toBeGreaterThan(3);
    expect(rev.coldStarts).toBeGreaterThanOrEqual(1);
  });

  it('scale-to-zero: the pod one request woke goes to zero with the Higress guide\'s pod watch', () => {
    const s = run('scale-to-zero');
    const pods = s.revisions['hello-00001']!.pods;
    // The first pod (initial scale) goes, then the one the request wakes: the same seven lines each.
    const lines = ['0/2 Pending', '0/2 ContainerCreating', '1/2 Running', '2/2 Running', '2/2 Terminating', '1/2 Terminating', '0/2 Terminating'];
    expect(pods.map((p) => `${p.ready} ${p.status}`)).toEqual([...lines, ...lines]);
    const t = (i: number) => pods[7 + i]!.tMs - pods[7]!.tMs;
    expect(t(4)).toBeGreaterThanOrEqual(60_000); // the stable window after the request
    expect(t(4)).toBeLessThan(63_000);
    expect(t(5) - t(4)).toBeGreaterThanOrEqual(30_000); // queue-proxy's 30 s drain after SIGTERM
    expect(t(6) - t(5)).toBeLessThan(2_000);
    const tl = s.revisions['hello-00001']!.timeline;
    expect(tl.at(-1)!.readyPods).toBe(0);
    expect(tl.at(-1)!.desiredPods).toBe(0);
    expect(s.requests.wake!.status).toBe(200);
  });

  it('gives byte-identical summary.json for the same seed, and a different one for another seed', () => {
    for (const b of listBuiltins()) {
      const again = makeSummary(runScenario(loadScenarioFile(b.file)));
      expect(stableStringify(again)).toBe(stableStringify(run(b.name)));
    }
    expect(stableStringify(run('gray-release', 99))).not.toBe(stableStringify(run('gray-release')));
  });
});
