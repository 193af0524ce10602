import { describe, expect, it } from 'vitest';
import { Cluster, type ClientResponse } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';

/**
 * Knative Serving's test images (knative/serving test/test_images/), each answering as its Go
 * program does, selected by the image's last path segment under any registry.
 */

const E2E = 'gcr.io/knative-e2e';

/** A cluster with Service `app` of this image (plus env and container YAML), Ready. */
function serve(image: string, opts: { env?: Record<string, string>; container?: string; cc?: number; timeoutSeconds?: number; seed?: number; ready?: boolean } = {}): Cluster {
  const env = Object.entries(opts.env ?? {});
  const container = [env.length ? `env:\n${env.map(([k, v]) => `  - name: ${k}\n    value: ${JSON.stringify(v)}`).join('\n')}` : '', opts.container ?? ''].join('\n');
  const c = new Cluster({ seed: opts.seed ?? 1 });
  c.apply(svc('app', { image, container, cc: opts.cc, timeoutSeconds: opts.timeoutSeconds }));
  if (opts.ready !== false) c.waitForReady();
  return c;
}

/** The Revision's Ready condition status. */
function revisionReady(c: Cluster): string | undefined {
  const rev = c.inspect().objects.find((o) => o.kind === 'Revision' && o.metadata.name === 'app-00001') as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined;
  return rev?.status?.conditions?.find((x) => x.type === 'Ready')?.status;
}

const url = (path = '/') => `http://app.default.example.com${path}`;
const get = (c: Cluster, path = '/', headers?: Record<string, string>): ClientResponse => c.request({ url: url(path), headers });

/** Sends all at once and runs until every one is answered. */
function concurrently(c: Cluster, paths: string[]): ClientResponse[] {
  const evs = paths.map((p) => c.send({ url: url(p) }));
  return evs.map((e) => c.runUntilDone(e));
}

describe('helloworld, pizzaplanetv1, pizzaplanetv2 (test/test_images/helloworld/helloworld.go, pizzaplanetv*/main.go)', () => {
  it.each([
    [`${E2E}/helloworld`, 'Hello World! How about some tasty noodles?\n'],
    ['kind.local/knative.dev/serving/test/test_images/pizzaplanetv1@sha256:' + '0'.repeat(64), 'What a spaceport!'],
    [`${E2E}/pizzaplanetv2:latest`, 'Re-energize yourself with a slice of pepperoni!'],
  ])('%s answers its text', (image, body) => {
    const r = get(serve(image));
    expect(r.status).toBe(200);
    expect(r.body).toBe(body);
  });
});

describe('timeout (test/test_images/timeout/timeout.go)', () => {
  it('sleeps initialTimeout + timeout ms and says how long it slept', () => {
    const c = serve(`${E2E}/timeout`);
    const r = get(c, '/?initialTimeout=300&timeout=1200');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Slept for 1200 milliseconds');
    expect(r.latencyMs).toBeGreaterThan(1500);
    expect(r.latencyMs).toBeLessThan(1600);
    const bad = get(c, '/?timeout=abc');
    expect(bad.body).toBe('Slept for 0 milliseconds');
    expect(bad.latencyMs).toBeLessThan(100);
  });

  it('a revision timeout shorter than the sleep ends the request (504 from queue-proxy)', () => {
    const c = serve(`${E2E}/timeout`, { timeoutSeconds: 1 });
    expect(get(c, '/?timeout=2000').status).toBe(504);
    expect(get(c, '/?timeout=200').status).toBe(200);
  });
});

describe('singlethreaded (test/test_images/singlethreaded/main.go)', () => {
  it('fails a request that arrives while another is inside (500, no body)', () => {
    // containerConcurrency 0: queue-proxy lets both in, the program answers the second 500.
    const c = serve(`${E2E}/singlethreaded`);
    const rs = concurrently(c, ['/', '/']);
    expect(rs.map((r) => r.status).sort()).toEqual([200, 500]);
    expect(rs.find((r) => r.status === 200)!.body).toBe('One at a time');
    expect(rs.find((r) => r.status === 500)!.body).toBe('');
    // Once the 500 ms are over the next one is served.
    expect(get(c).status).toBe(200);
  });

  it('with containerConcurrency 1 queue-proxy serialises: every request succeeds', () => {
    const c = serve(`${E2E}/singlethreaded`, { cc: 1 });
    const rs = concurrently(c, ['/', '/', '/', '/']);
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('failing and deadstart (test/test_images/failing/failing.go, deadstart/deadstart.go)', () => {
  it('failing never listens and exits with 5 after 10 s: kubelet restarts it in CrashLoopBackOff', () => {
    const c = serve(`${E2E}/failing`, { ready: false });
    const exits: string[] = [];
    c.trace.on('pod.phase', (e) => {
      if (e.reason.startsWith('Container user-container exited') || e.reason.startsWith('BackOff')) exits.push(`${Math.round(e.t / 1000)} ${e.reason}`);
    });
    c.runFor(60_000);
    const [pod] = c.pods('app-00001');
    // The program never listens: queue-proxy's probe of it fails too.
    expect(pod!.ready).toBe('0/2');
    expect(pod!.restarts).toBeGreaterThanOrEqual(2);
    // Started at ~t0, exits 10 s later, restarted at once; the second exit backs off 10 s, the third 20 s.
    expect(exits.filter((e) => e.includes('exited with code 5: Crashed...')).length).toBeGreaterThanOrEqual(3);
    expect(exits.some((e) => e.includes('BackOff'))).toBe(true);
    expect(revisionReady(c)).not.toBe('True');
  });

  it('kubectl shows CrashLoopBackOff while kubelet waits to restart a crashed container', () => {
    const c = serve(`${E2E}/deadstart`, { ready: false });
    const statuses = new Set<string>();
    for (let i = 0; i < 60; i++) {
      c.runFor(500);
      for (const p of c.pods('app-00001')) statuses.add(p.status);
    }
    expect(statuses).toContain('CrashLoopBackOff');
    expect(c.pods('app-00001')[0]!.restarts).toBeGreaterThanOrEqual(2);
  });
});

describe('flaky (test/test_images/flaky/main.go)', () => {
  it('answers 200 every PERIOD-th request and 500 otherwise, with the count', () => {
    const c = serve(`${E2E}/flaky`, { env: { PERIOD: '3' } });
    const rs = [1, 2, 3, 4, 5, 6].map(() => get(c));
    expect(rs.map((r) => r.status)).toEqual([500, 500, 200, 500, 500, 200]);
    expect(rs.map((r) => r.body)).toEqual(['count = 1', 'count = 2', 'count = 3', 'count = 4', 'count = 5', 'count = 6']);
  });

  it('without PERIOD the program exits at start (log.Fatal) and never becomes Ready', () => {
    const c = serve(`${E2E}/flaky`, { ready: false });
    c.runFor(30_000);
    expect(c.pods('app-00001')[0]!.restarts).toBeGreaterThanOrEqual(1);
    expect(revisionReady(c)).not.toBe('True');
  });
});

describe('readiness and healthprobes (test/test_images/readiness/readiness.go, healthprobes/health_probes.go)', () => {
  const probe = `readinessProbe:
  httpGet:
    path: /healthz/readiness
  periodSeconds: 1
  failureThreshold: 1`;

  it('/start-failing fails the readiness probe: the pod leaves the endpoints', () => {
    const c = serve(`${E2E}/readiness`, { container: probe, env: { } });
    expect(get(c).body).toBe('Hello World! How about some tasty noodles?');
    expect(get(c, '/healthz/readiness').status).toBe(200);
    const r = get(c, '/start-failing');
    expect(r.body).toBe('will now fail readiness');
    expect(get(c, '/healthz/readiness').body).toBe('not healthy\n');
    c.runFor(5_000);
    expect(c.pods('app-00001').map((p) => p.ready)).toEqual(['1/2']);
  });

  it('READY_DELAY keeps the revision from becoming Ready until it has passed', () => {
    const c = serve(`${E2E}/healthprobes`, { container: probe, env: { READY_DELAY: '10s' }, ready: false });
    let readyAt = -1;
    c.trace.on('pod.phase', (e) => {
      if (e.ready === '2/2' && readyAt < 0) readyAt = e.t;
    });
    c.waitForReady();
    expect(readyAt).toBeGreaterThanOrEqual(10_000);
  });

  it('readiness counts liveness probes (/healthz/liveness, /healthz/livenessCounter)', () => {
    const c = serve(`${E2E}/readiness`, { container: 'livenessProbe:\n  httpGet:\n    path: /healthz/liveness\n  periodSeconds: 1' });
    c.runFor(5_000);
    expect(Number(get(c, '/healthz/livenessCounter').body)).toBeGreaterThanOrEqual(4);
  });

  it('/query answers as handleQuery writes it: text then http.Error after the header went out', () => {
    const c = serve(`${E2E}/readiness`);
    expect(get(c, '/query?probe=ok')).toMatchObject({ status: 200, body: 'Hello World! How about some tasty noodles?no query\n' });
    expect(get(c, '/query')).toMatchObject({ status: 500, body: 'no query\n' });
  });
});

describe('observed-concurrency (test/test_images/observed-concurrency/observed_concurrency.go)', () => {
  it('answers its start and end in Unix nanoseconds, `timeout` ms apart', () => {
    const c = serve(`${E2E}/observed-concurrency`);
    const r = get(c, '/?timeout=250');
    const [start, end] = r.body.trim().split(',').map((x) => BigInt(x));
    expect(end! - start!).toBe(250_000_000n);
    expect(start! > 1_767_225_600_000_000_000n).toBe(true);
  });
});

describe('envvars, environment, runtime (test/test_images/envvars, environment, runtime)', () => {
  it('envvars reports K_SERVICE, K_CONFIGURATION and K_REVISION', () => {
    expect(get(serve(`${E2E}/envvars`)).body).toBe('Here are our env vars service:app - configuration:app - revision:app-00001');
  });

  it('environment answers the environment as JSON on /envvars', () => {
    const c = serve(`${E2E}/environment`, { env: { FOO: 'bar' } });
    const env = JSON.parse(get(c, '/envvars').body) as Record<string, string>;
    expect(env).toMatchObject({ FOO: 'bar', PORT: '8080', K_SERVICE: 'app', K_REVISION: 'app-00001' });
    expect(get(c, '/nope').status).toBe(404);
  });

  it('runtime answers RuntimeInfo: the request it got and the environment', () => {
    const c = serve(`${E2E}/runtime`);
    const r = get(c, '/some/path?x=1', { 'X-Custom': 'yes' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    const info = JSON.parse(r.body) as { request: { uri: string; host: string; method: string; headers: Record<string, string[]> }; host: { envs: Record<string, string> } };
    expect(info.request).toMatchObject({ uri: '/some/path?x=1', host: 'app.default.example.com', method: 'GET' });
    expect(info.request.headers['X-Custom']).toEqual(['yes']);
    // What queue-proxy and the gateway added on the way.
    expect(info.request.headers['X-Forwarded-For']).toBeDefined();
    expect(info.host.envs).toMatchObject({ PORT: '8080', K_SERVICE: 'app', K_CONFIGURATION: 'app', K_REVISION: 'app-00001' });
    expect(r.body.startsWith('{\n\t"host"')).toBe(true);
  });
});

describe('bloatingcow (test/test_images/bloatingcow/bloatingcow.go)', () => {
  it('moos, and answers a bad memory_in_mb as Go writes it (body before the header: 200)', () => {
    const c = serve(`${E2E}/bloatingcow`);
    expect(get(c, '/?memory_in_mb=10').body).toBe('Moo!\n');
    expect(get(c, '/?memory_in_mb=lots')).toMatchObject({ status: 200, body: 'cannot convert lots to int' });
  });
});

describe('httpproxy (test/test_images/httpproxy/httpproxy.go)', () => {
  it('forwards the request through the cluster to TARGET_HOST and answers what came back', () => {
    const c = new Cluster({ seed: 1 });
    c.apply(svc('target', { image: `${E2E}/helloworld` }));
    c.apply(
      svc('proxy', {
        image: `${E2E}/httpproxy`,
        container: 'env:\n  - name: TARGET_HOST\n    value: target.default.svc.cluster.local',
      }),
    );
    c.waitForReady();
    const r = c.request({ url: 'http://proxy.default.example.com/' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World! How about some tasty noodles?\n');
    expect(r.revision).toBe('proxy-00001');
  });

  it('answers 502 with Go\'s error when the target cannot be resolved', () => {
    const c = serve(`${E2E}/httpproxy`, { env: { TARGET_HOST: 'nowhere.default.svc.cluster.local' } });
    const r = get(c);
    expect(r.status).toBe(502);
    expect(r.body).toBe('dial tcp: lookup nowhere.default.svc.cluster.local: no such host\n');
  });
});

describe('annotations still override a test image', () => {
  it('knsim.dev/response replaces the body, the image still sleeps', () => {
    const c = new Cluster({ seed: 1 });
    c.apply(svc('app', { image: `${E2E}/timeout`, annotations: { 'knsim.dev/response': 'overridden' } }));
    c.waitForReady();
    const r = get(c, '/?timeout=500');
    expect(r.body).toBe('overridden');
    expect(r.latencyMs).toBeGreaterThan(500);
  });
});

describe('a registered handler may forward as httpproxy does (AppAnswer.proxy)', () => {
  it('forwards through the cluster, and a malformed proxy is the caller\'s mistake', () => {
    const c = new Cluster({ seed: 1 });
    c.registerApp('forwarder', () => ({ status: 200, body: '', proxy: { target: 'http://target.default.svc.cluster.local', host: 'target.default.svc.cluster.local' } }));
    c.apply(svc('target', { image: `${E2E}/pizzaplanetv1` }));
    c.apply(svc('fwd', { image: 'example.com/forwarder' }));
    c.waitForReady();
    expect(c.request({ url: 'http://fwd.default.example.com/' }).body).toBe('What a spaceport!');
    const bad = new Cluster({ seed: 1 });
    bad.registerApp('forwarder', () => ({ status: 200, body: '', proxy: { target: 'nowhere', host: 'x' } }));
    bad.apply(svc('fwd', { image: 'example.com/forwarder' }));
    bad.waitForReady();
    expect(() => bad.request({ url: 'http://fwd.default.example.com/' })).toThrow(/registered app "forwarder" answered proxy .*want \{target/);
  });
});

describe('kubectl get pod -o yaml of a crashing container (failing)', () => {
  it('the user container is waiting in CrashLoopBackOff, its last state terminated with exit code 5', () => {
    const c = serve(`${E2E}/failing`, { ready: false });
    let seen: { state?: { waiting?: { reason: string } }; lastState?: { terminated?: { exitCode: number; reason: string; message?: string } } } | undefined;
    for (let i = 0; i < 120 && seen?.state?.waiting?.reason !== 'CrashLoopBackOff'; i++) {
      c.runFor(500);
      const pod = c.inspect().objects.find((o) => o.kind === 'Pod' && o.metadata.name.startsWith('app-00001')) as { status: { containerStatuses: Array<{ name: string }> } } | undefined;
      seen = pod?.status.containerStatuses.find((s) => s.name === 'user-container') as typeof seen;
    }
    expect(seen?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(seen?.lastState?.terminated).toEqual({ exitCode: 5, reason: 'Error', message: 'Crashed...' });
  });
});
