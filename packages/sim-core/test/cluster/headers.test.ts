import { describe, expect, it } from 'vitest';
import { Cluster, type HttpRequest } from '../../src/index.js';
import { svc } from './load-helpers.js';
import { forwardedShim } from '../../src/queue/forwarded.js';

/** A cluster whose app records the request headers it receives. */
function echoCluster(seed = 2, annotations: Record<string, string> = {}) {
  const c = new Cluster({ seed });
  const seen: Array<Record<string, string>> = [];
  c.registerApp('echo', (req: HttpRequest) => {
    seen.push(req.headers.toRecord());
    return { status: 200, body: 'ok' };
  });
  c.apply(svc('app', { image: 'example.com/team/echo:1.0', annotations }));
  c.waitForReady();
  return { c, seen };
}

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('headers Envoy, the activator and Go add (issue 10.14)', () => {
  // pkg/activator/handler/context_handler.go reads Knative-Serving-Revision/-Namespace and removes
  // them; Envoy's connection manager (use_remote_address) adds x-request-id, x-forwarded-proto and
  // the downstream address to x-forwarded-for; Go's httputil.ReverseProxy appends its peer.
  it("the user container gets Envoy's request headers and not the revision headers", () => {
    const { c, seen } = echoCluster();
    c.request({ url: 'http://app.default.example.com/' });
    const h = seen.at(-1)!;
    expect(h['knative-serving-revision']).toBeUndefined();
    expect(h['knative-serving-namespace']).toBeUndefined();
    expect(h['x-request-id']).toMatch(UUID4);
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-for']?.split(', ')[0]).toBe('198.51.100.1');
  });

  it('x-request-id is a fresh UUID per request, the same for the same seed', () => {
    const a = echoCluster(5);
    const b = echoCluster(5);
    for (const x of [a, b]) for (let i = 0; i < 3; i++) x.c.request({ url: 'http://app.default.example.com/' });
    const ids = (x: typeof a) => x.seen.slice(-3).map((h) => h['x-request-id']);
    expect(new Set(ids(a)).size).toBe(3);
    expect(ids(a)).toEqual(ids(b));
  });

  // Envoy's connection manager sets `server` (Istio names it istio-envoy) and the router
  // x-envoy-upstream-service-time; Go's net/http server adds date and content-length.
  it("the client sees Envoy's and Go's response headers, with the date from the simulated clock", () => {
    const { c } = echoCluster();
    const r = c.request({ url: 'http://app.default.example.com/' });
    expect(r.headers.server).toBe('istio-envoy');
    expect(r.headers['content-length']).toBe('2');
    expect(Number(r.headers['x-envoy-upstream-service-time'])).toBeGreaterThanOrEqual(0);
    expect(r.headers.date).toBe(new Date(Date.UTC(2026, 0, 1) + Math.floor(r.endMs / 1000) * 1000).toUTCString());
    // Envoy's own replies carry them too.
    const miss = c.request({ url: 'http://gateway/', headers: { Host: 'nothing.example.com' } });
    expect(miss.status).toBe(404);
    expect(miss.headers.server).toBe('istio-envoy');
    expect(miss.headers.date).toMatch(/ GMT$/);
  });
});

// pkg/queue/sharedmain/handlers.go: queue-proxy's ForwardedShimHandler (pkg/queue/forwarded_shim.go)
// and its reverse proxy (NewHeaderPruningReverseProxy with activator.RevisionHeaders).
describe("queue-proxy's Forwarded shim and reverse proxy", () => {
  it('the app sees client, gateway and activator in X-Forwarded-For, and a Forwarded header from what queue-proxy received', () => {
    const { c, seen } = echoCluster();
    c.request({ url: 'http://app.default.example.com/' });
    const h = seen.at(-1)!;
    const xff = h['x-forwarded-for']!.split(', ');
    expect(xff).toHaveLength(3);
    expect(xff[0]).toBe('198.51.100.1');
    expect(h.forwarded).toBe(`for=198.51.100.1;proto=http, for=${xff[1]}`);
  });

  it('in Serve mode (no activator) the revision headers are pruned by queue-proxy', () => {
    const { c, seen } = echoCluster(2, { 'autoscaling.knative.dev/target-burst-capacity': '0' });
    c.runFor(5_000);
    const r = c.request({ url: 'http://app.default.example.com/' });
    expect(r.hops.map((x) => x.component)).not.toContain('activator');
    const h = seen.at(-1)!;
    expect(h['knative-serving-revision']).toBeUndefined();
    expect(h['x-forwarded-for']!.split(', ')).toHaveLength(2);
  });

  it('builds the shim as generateForwarded does', () => {
    expect(forwardedShim('1.2.3.4, 5.6.7.8', 'https', 'example.com')).toBe('for=1.2.3.4;host=example.com;proto=https, for=5.6.7.8');
    expect(forwardedShim('::1', undefined, undefined)).toBe('for="[::1]"');
    expect(forwardedShim(undefined, 'http', undefined)).toBe('proto=http');
    expect(forwardedShim(undefined, undefined, undefined)).toBeUndefined();
  });
});
