import { describe, expect, it } from 'vitest';
import { Cluster, type ClientResponse } from '../../src/index.js';
import { entryRoute } from '../apis/seed-manifests.js';

/**
 * Issue 13: Istio's route resilience features at the ingress gateway, each as Envoy does it
 * (envoy source/common/router/router.cc and retry_state_impl.cc for retries and per-try
 * timeouts, extensions/filters/http/fault for delay and abort, shadow_writer_impl.cc for
 * mirrors; istio pilot/pkg/networking/core/route/route.go for the translation), with their
 * response flags (source/common/stream_info/utility.cc) on the gateway hop.
 */

function hello(annotations: Record<string, string>): string {
  const ann = Object.entries(annotations).map(([k, v]) => `        ${k}: "${v}"`).join('\n');
  return `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "2"
${ann}
    spec:
      containers:
      - image: ghcr.io/knative/helloworld-go:latest
        env:
        - name: TARGET
          value: World
`;
}

function cluster(annotations: Record<string, string>, policies: string): Cluster {
  const c = new Cluster({ seed: 13 });
  c.apply(hello(annotations));
  c.waitForReady();
  c.apply(entryRoute(policies));
  c.runFor(1000);
  return c;
}

const shop = (c: Cluster) => c.request({ url: 'http://shop.example.com/' });
/** The first gateway hop: the one the entry route's policies run on. */
const entryHop = (r: ClientResponse) => r.hops.find((h) => h.component === 'gateway')!;

function sendMany(c: Cluster, n: number): ClientResponse[] {
  const out: ClientResponse[] = [];
  for (let i = 0; i < n; i++) out.push(shop(c));
  return out;
}

describe('retries', () => {
  it('a retry policy turns the app\'s failures into successes at the expected rate, and marks the exhausted ones URX', () => {
    const n = 400;
    // Half the answers fail; Istio's mesh default (retries omitted) does not retry a 500.
    const noRetry = sendMany(cluster({ 'knsim.dev/error-rate': '0.5' }, 'timeout: 10s'), n);
    const failedWithout = noRetry.filter((r) => r.status === 500).length;
    expect(Math.abs(failedWithout - n * 0.5)).toBeLessThan(45); // Binomial(400, 0.5): sd 10
    // attempts: 2 on 5xx: a request fails only when all three tries do, p = 0.125.
    const withRetry = sendMany(cluster({ 'knsim.dev/error-rate': '0.5' }, 'retries: {attempts: 2, retryOn: 5xx}'), n);
    const failed = withRetry.filter((r) => r.status === 500);
    expect(Math.abs(failed.length - n * 0.125)).toBeLessThan(30); // Binomial(400, 0.125): sd 6.6
    expect(failed.every((r) => entryHop(r).flags === 'URX')).toBe(true);
    expect(withRetry.filter((r) => r.status === 200).every((r) => entryHop(r).flags === undefined)).toBe(true);
  });

  it('retries omitted: Istio\'s mesh default retries a connection failure twice (503 UF,URX after three tries); retries: {} tries once (UF)', () => {
    // A Service selecting the gateway pods on a port nothing listens on: every connect fails.
    const dead = `apiVersion: v1
kind: Service
metadata: {name: dead, namespace: default}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http, port: 80, targetPort: 9999}]
`;
    const tries = (policies: string) => {
      const c = new Cluster({ seed: 13 });
      c.apply(dead);
      c.apply(entryRoute(policies).replace('istio-ingressgateway.istio-system.svc.cluster.local', 'dead.default.svc.cluster.local'));
      c.runFor(1000);
      const r = shop(c);
      return { status: r.status, body: r.body, flags: entryHop(r).flags };
    };
    const byDefault = tries('timeout: 10s');
    expect(byDefault).toMatchObject({ status: 503, flags: 'UF,URX' });
    expect(byDefault.body).toMatch(/^upstream connect error or disconnect\/reset before headers/);
    expect(tries('retries: {}')).toMatchObject({ status: 503, flags: 'UF' });
  });

  it('retries: {} (Knative\'s own VirtualServices) disables retries', () => {
    const rs = sendMany(cluster({ 'knsim.dev/error-rate': '0.5' }, 'retries: {}'), 200);
    const failed = rs.filter((r) => r.status === 500).length;
    expect(Math.abs(failed - 100)).toBeLessThan(30);
    expect(rs.every((r) => entryHop(r).flags === undefined)).toBe(true);
  });

  it('perTryTimeout bounds each try: a slow app gets 504 upstream request timeout after every try (UT,URX), where no per-try timeout waits for it', () => {
    const slow = { 'knsim.dev/service-time': '300ms' };
    const bounded = shop(cluster(slow, 'retries: {attempts: 1, perTryTimeout: 100ms, retryOn: 5xx}'));
    expect(bounded.status).toBe(504);
    expect(bounded.body).toBe('upstream request timeout');
    expect(entryHop(bounded).flags).toBe('UT,URX');
    // Two tries of 100 ms (and a back-off of at most 25 ms): well under the app's 300 ms.
    expect(bounded.latencyMs).toBeLessThan(300);
    const unbounded = shop(cluster(slow, 'retries: {attempts: 1, retryOn: 5xx}'));
    expect(unbounded.status).toBe(200);
  });
});

describe('faults', () => {
  it('an abort at 100% always aborts with "fault filter abort" (FI), and never reaches the app', () => {
    const rs = sendMany(cluster({}, 'fault: {abort: {httpStatus: 503, percentage: {value: 100}}}'), 50);
    expect(rs.every((r) => r.status === 503 && r.body === 'fault filter abort' && entryHop(r).flags === 'FI')).toBe(true);
    expect(rs.every((r) => r.hops.every((h) => h.component !== 'app'))).toBe(true);
  });

  it('an abort or a delay without a percentage never happens (istio#39969, istio/api#2522)', () => {
    const rs = sendMany(cluster({}, 'fault: {abort: {httpStatus: 503}, delay: {fixedDelay: 5s}}'), 50);
    expect(rs.every((r) => r.status === 200 && r.latencyMs < 1000 && entryHop(r).flags === undefined)).toBe(true);
  });

  it('an abort at 30% aborts about 30% of requests', () => {
    const rs = sendMany(cluster({}, 'fault: {abort: {httpStatus: 500, percentage: {value: 30}}}'), 400);
    const aborted = rs.filter((r) => r.body === 'fault filter abort').length;
    expect(Math.abs(aborted - 120)).toBeLessThan(40); // sd 9.2
  });

  it('a delay at 100% holds every request (DI), and with an abort both flags show (DI,FI)', () => {
    const delayed = shop(cluster({}, 'fault: {delay: {fixedDelay: 2s, percentage: {value: 100}}}'));
    expect(delayed.status).toBe(200);
    expect(delayed.latencyMs).toBeGreaterThanOrEqual(2000);
    expect(entryHop(delayed).flags).toBe('DI');
    const both = shop(cluster({}, 'fault: {delay: {fixedDelay: 1s, percentage: {value: 100}}, abort: {httpStatus: 418, percentage: {value: 100}}}'));
    expect([both.status, both.body, entryHop(both).flags]).toEqual([418, 'fault filter abort', 'DI,FI']);
    expect(both.latencyMs).toBeGreaterThanOrEqual(1000);
  });
});

describe('mirror, CORS, directResponse, redirect', () => {
  it('mirrors about mirrorPercentage of the requests, fire and forget, to the -shadow host', () => {
    const c = cluster({}, `mirror: {host: istio-ingressgateway.istio-system.svc.cluster.local, port: {number: 80}}
    mirrorPercentage: {value: 50}`);
    const shadows: string[] = [];
    c.trace.on('gateway.route', (e) => {
      if (e.authority.endsWith('-shadow')) shadows.push(e.authority);
    });
    const rs = sendMany(c, 200);
    c.runFor(1000);
    expect(rs.every((r) => r.status === 200)).toBe(true);
    expect(new Set(shadows)).toEqual(new Set(['hello.default.example.com-shadow']));
    expect(Math.abs(shadows.length - 100)).toBeLessThan(30);
  });

  it('answers an allowed CORS preflight itself (200, the origin echoed) and forwards the actual request with ACAO', () => {
    const c = cluster({}, `corsPolicy: {allowOrigins: [{exact: "https://a.example"}], allowMethods: [GET, POST], maxAge: 24h}`);
    const pre = c.request({ url: 'http://shop.example.com/', method: 'OPTIONS', headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(200);
    expect(pre.headers['access-control-allow-origin']).toBe('https://a.example');
    expect(pre.hops.some((h) => h.component === 'app')).toBe(false);
    const actual = c.request({ url: 'http://shop.example.com/', headers: { Origin: 'https://a.example' } });
    expect([actual.status, actual.headers['access-control-allow-origin']]).toEqual([200, 'https://a.example']);
    const other = c.request({ url: 'http://shop.example.com/', headers: { Origin: 'https://b.example' } });
    expect([other.status, other.headers['access-control-allow-origin']]).toEqual([200, undefined]);
  });

  it('directResponse and redirect answer at the gateway with their status, body and Location', () => {
    const direct = (p: string) => {
      const c = new Cluster({ seed: 13 });
      c.apply(`apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: entry, namespace: default}
spec:
  gateways: [knative-serving/knative-ingress-gateway]
  hosts: [shop.example.com]
  http:
  - ${p}
`);
      c.runFor(1000);
      return c.request({ url: 'http://shop.example.com/old?q=1' });
    };
    const d = direct('directResponse: {status: 503, body: {string: "maintenance"}}');
    expect([d.status, d.body]).toEqual([503, 'maintenance']);
    const r = direct('redirect: {uri: /new, authority: www.example.com, redirectCode: 308}');
    expect(r.status).toBe(308);
    expect(r.headers['location']).toBe('http://www.example.com/new?q=1');
  });
});
