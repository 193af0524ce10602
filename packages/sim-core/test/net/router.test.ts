import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HTTPRoute, VirtualService } from '../../src/apis/istio/v1alpha3.js';
import { compileRouteConfiguration } from '../../src/net/envoy/compile.js';
import type { CompiledRouteConfiguration } from '../../src/net/envoy/compiled-config.js';
import { applyResponseHeaders } from '../../src/net/envoy/header-operations.js';
import { matchRequest } from '../../src/net/envoy/match.js';
import { pickDestination, route, type RouteDecision } from '../../src/net/envoy/router.js';
import { selectVirtualHost } from '../../src/net/envoy/virtual-host.js';
import { compileGatewayConfig } from '../../src/net/istio/gateway-config.js';
import { HttpHeaders } from '../../src/net/http.js';
import { mulberry32 } from '../../src/engine/rng.js';
import { countingRng, gatewayPodLabels, ingressGateway, ingressGatewayService, request, vs } from './fixtures.js';

/** The 8080 listener (compiled) of a gateway carrying the given VirtualServices (bound to the Knative ingress gateway). */
function listener(...vss: VirtualService[]): CompiledRouteConfiguration {
  for (const v of vss) v.spec.gateways ??= ['knative-serving/knative-ingress-gateway'];
  return compileRouteConfiguration(compileGatewayConfig({ podLabels: gatewayPodLabels, gateways: [ingressGateway], virtualServices: vss, services: [ingressGatewayService] }).listeners[0]!);
}

const one = (http: HTTPRoute[], hosts = ['example.com']) => listener(vs('v', { hosts, http }));
const to = (host: string): HTTPRoute['route'] => [{ destination: { host } }];

function fwd(d: RouteDecision) {
  if (d.kind !== 'forward') throw new Error(`expected forward, got ${JSON.stringify(d)}`);
  return d;
}
function local(d: RouteDecision) {
  if (d.kind !== 'local') throw new Error(`expected local, got ${d.kind}`);
  return d;
}

describe('virtual host selection', () => {
  const cfg = listener(
    vs('exact', { hosts: ['a.example.com'], http: [{ route: to('exact') }] }),
    vs('wild', { hosts: ['*.example.com'], http: [{ route: to('wild') }] }),
    vs('deeper', { hosts: ['*.b.example.com'], http: [{ route: to('deeper') }] }),
    vs('star', { hosts: ['*'], http: [{ route: to('star') }] }),
  );
  const pick = (host: string) => fwd(route(cfg, request(host), countingRng())).cluster.host;

  it('exact beats the longest suffix wildcard, which beats *', () => {
    expect(pick('a.example.com')).toBe('exact.default.svc.cluster.local');
    expect(pick('x.b.example.com')).toBe('deeper.default.svc.cluster.local');
    expect(pick('x.example.com')).toBe('wild.default.svc.cluster.local');
    expect(pick('example.com')).toBe('star.default.svc.cluster.local');
  });

  it('is case-insensitive and ignores the port', () => {
    expect(pick('A.Example.COM:8080')).toBe('exact.default.svc.cluster.local');
    expect(selectVirtualHost(cfg, 'nothing.org')?.name).toBe('*:80');
  });
});

describe('matching (§1.2)', () => {
  const req = request;
  it('uri prefix is a plain string prefix; exact and regex ignore the query', () => {
    expect(matchRequest({ uri: { prefix: '/search' } }, req('h', '/searchfoo'))).toBe(true);
    expect(matchRequest({ uri: { exact: '/a' } }, req('h', '/a?x=1'))).toBe(true);
    expect(matchRequest({ uri: { regex: '/a/[0-9]+' } }, req('h', '/a/12?q'))).toBe(true);
    expect(matchRequest({ uri: { regex: '/a/[0-9]+' } }, req('h', '/a/12/x'))).toBe(false);
  });

  it('ignoreUriCase applies to exact and prefix, not regex', () => {
    expect(matchRequest({ uri: { prefix: '/Search' }, ignoreUriCase: true }, req('h', '/SEARCH/x'))).toBe(true);
    expect(matchRequest({ uri: { regex: '/abc' }, ignoreUriCase: true }, req('h', '/ABC'))).toBe(false);
    expect(matchRequest({ uri: { regex: '(?i)/abc' } }, req('h', '/ABC'))).toBe(true);
  });

  it('authority includes the port and is case-sensitive', () => {
    expect(matchRequest({ authority: { exact: 'example.com' } }, req('example.com:80'))).toBe(false);
    expect(matchRequest({ authority: { prefix: 'example.com' } }, req('example.com:80'))).toBe(true);
    expect(matchRequest({ authority: { exact: 'example.com' } }, req('Example.com'))).toBe(false);
  });

  it('headers: names case-insensitive, {} means present, pseudo-header keys ignored', () => {
    const r = req('h', '/', { headers: { 'Knative-Serving-Tag': 'blue' } });
    expect(matchRequest({ headers: { 'knative-serving-tag': { exact: 'blue' } } }, r)).toBe(true);
    expect(matchRequest({ headers: { 'knative-serving-tag': {} } }, r)).toBe(true);
    expect(matchRequest({ headers: { 'x-missing': {} } }, r)).toBe(false);
    expect(matchRequest({ headers: { 'x-missing': { regex: '*' } } }, r)).toBe(false);
    expect(matchRequest({ headers: { uri: { exact: '/nope' } } }, r)).toBe(true);
  });

  it('withoutHeaders treats a missing header as empty', () => {
    const m = { withoutHeaders: { 'end-user': { exact: 'mark' } } };
    expect(matchRequest(m, req('h'))).toBe(true);
    expect(matchRequest(m, req('h', '/', { headers: { 'end-user': 'bob' } }))).toBe(true);
    expect(matchRequest(m, req('h', '/', { headers: { 'end-user': 'mark' } }))).toBe(false);
    expect(matchRequest({ withoutHeaders: { x: {} } }, req('h'))).toBe(true);
    expect(matchRequest({ withoutHeaders: { x: {} } }, req('h', '/', { headers: { x: '' } }))).toBe(false);
  });

  it('queryParams: {} is presence, exact "" matches ?key and ?key=, regex is a full match', () => {
    expect(matchRequest({ queryParams: { a: {} } }, req('h', '/?a'))).toBe(true);
    expect(matchRequest({ queryParams: { a: { exact: '' } } }, req('h', '/?a'))).toBe(true);
    expect(matchRequest({ queryParams: { a: { exact: '' } } }, req('h', '/?a='))).toBe(true);
    expect(matchRequest({ queryParams: { id: { regex: '\\d+$' } } }, req('h', '/?id=123'))).toBe(true);
    expect(matchRequest({ queryParams: { id: { regex: '\\d+$' } } }, req('h', '/?id=a123'))).toBe(false);
    expect(matchRequest({ queryParams: { a: {} } }, req('h', '/'))).toBe(false);
  });

  it('method and scheme', () => {
    expect(matchRequest({ method: { exact: 'POST' }, scheme: { exact: 'http' } }, req('h', '/', { method: 'POST' }))).toBe(true);
    expect(matchRequest({ method: { exact: 'POST' } }, req('h'))).toBe(false);
  });

  it('first match wins, match entries are ORed', () => {
    const cfg = one([
      { match: [{ uri: { prefix: '/a' } }, { headers: { x: { exact: '1' } } }], route: to('first') },
      { route: to('second') },
    ]);
    expect(fwd(route(cfg, request('example.com', '/b', { headers: { x: '1' } }), countingRng())).cluster.host).toBe('first.default.svc.cluster.local');
    expect(fwd(route(cfg, request('example.com', '/b'), countingRng())).cluster.host).toBe('second.default.svc.cluster.local');
  });
});

describe('prefix_rewrite quirks (§1.3)', () => {
  const path = (http: HTTPRoute, p: string) => fwd(route(one([http]), request('example.com', p), countingRng())).request.path;
  it('match /search + rewrite / gives //x and /foo', () => {
    const http: HTTPRoute = { match: [{ uri: { prefix: '/search' } }], rewrite: { uri: '/' }, route: to('s') };
    expect(path(http, '/search/x')).toBe('//x');
    expect(path(http, '/searchfoo')).toBe('/foo');
    expect(path(http, '/search/x?q=1')).toBe('//x?q=1');
  });
  it('match /search/ + rewrite / gives /x', () => {
    expect(path({ match: [{ uri: { prefix: '/search/' } }], rewrite: { uri: '/' }, route: to('s') }, '/search/x')).toBe('/x');
  });
  it('without a uri match the implicit prefix is /', () => {
    expect(path({ rewrite: { uri: '/v2' }, route: to('s') }, '/foo')).toBe('/v2foo');
  });
  it('an exact match replaces the whole path', () => {
    expect(path({ match: [{ uri: { exact: '/old' } }], rewrite: { uri: '/new' }, route: to('s') }, '/old')).toBe('/new');
  });
  it('uriRegexRewrite substitutes \\1 groups', () => {
    expect(path({ rewrite: { uriRegexRewrite: { match: '^/service/([^/]+)(/.*)$', rewrite: '\\2/instance/\\1' } }, route: to('s') }, '/service/foo/v1/api')).toBe('/v1/api/instance/foo');
  });
});

describe('actions', () => {
  it('redirect: 301 by default, Location per §1.3 with default ports dropped', () => {
    const cfg = one([{ match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', authority: 'new.example.com' } }, { redirect: { scheme: 'https', redirectCode: 308 } }]);
    const a = local(route(cfg, request('example.com', '/old?x=1'), countingRng()));
    expect(a.response.status).toBe(301);
    expect(a.response.headers.get('location')).toBe('http://new.example.com/new?x=1');
    const b = local(route(cfg, request('example.com:80', '/p'), countingRng()));
    expect(b.response.status).toBe(308);
    expect(b.response.headers.get('location')).toBe('https://example.com/p');
  });

  it('directResponse', () => {
    const d = local(route(one([{ directResponse: { status: 418, body: { string: 'teapot' } } }]), request('example.com'), countingRng()));
    expect([d.reason, d.response.status, d.response.body]).toEqual(['directResponse', 418, 'teapot']);
    const bytes = local(route(one([{ directResponse: { status: 200, body: { bytes: 'aMOpbGxv' } } }]), request('example.com'), countingRng()));
    expect(bytes.response.body).toBe('héllo');
  });

  it('fault abort at 100% is a local reply with FI and Envoy\'s body; omitted percentage never fires', () => {
    const abort = local(route(one([{ fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: to('s') }]), request('example.com'), countingRng()));
    expect([abort.response.status, abort.response.body, abort.response.responseFlags]).toEqual([503, 'fault filter abort', 'FI']);
    const rng = countingRng();
    const never = route(one([{ fault: { abort: { httpStatus: 503 }, delay: { fixedDelay: '1s' } }, route: to('s') }]), request('example.com'), rng);
    expect(fwd(never).fault).toEqual({});
    expect(rng.draws).toBe(0);
  });

  it('fault delay at 50% draws once', () => {
    const cfg = one([{ fault: { delay: { fixedDelay: '2s', percentage: { value: 50 } } }, route: to('s') }]);
    expect(fwd(route(cfg, request('example.com'), countingRng([0.1]))).fault).toEqual({ delayMs: 2000 });
    expect(fwd(route(cfg, request('example.com'), countingRng([0.9]))).fault).toEqual({});
  });

  it('timeout and retries are resolved', () => {
    const d = fwd(route(one([{ timeout: '3s', retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx,503' }, route: to('s') }]), request('example.com'), countingRng()));
    expect(d.timeoutMs).toBe(3000);
    expect(d.retries).toMatchObject({ numRetries: 3, perTryTimeoutMs: 1000, retryOn: ['5xx', 'retriable-status-codes'], retriableStatusCodes: [503] });
  });

  it('mirror: absent percentage = 100%, the shadow Host gets -shadow', () => {
    const d = fwd(route(one([{ mirror: { host: 'copy' }, route: to('s') }]), request('example.com:8080'), countingRng()));
    expect(d.mirrors).toHaveLength(1);
    expect(d.mirrors[0]!.cluster.host).toBe('copy.default.svc.cluster.local');
    expect(d.mirrors[0]!.request.authority).toBe('example.com-shadow:8080');
    const none = fwd(route(one([{ mirror: { host: 'copy' }, mirrorPercentage: { value: 0 }, route: to('s') }]), request('example.com'), countingRng()));
    expect(none.mirrors).toEqual([]);
  });

  it('CORS: an allowed preflight is answered by Envoy; actual requests get ACAO only when allowed', () => {
    const cfg = one([{ corsPolicy: { allowOrigins: [{ exact: 'https://a.test' }], allowMethods: ['GET', 'POST'], maxAge: '24h' }, route: to('s') }]);
    const pre = local(route(cfg, request('example.com', '/', { method: 'OPTIONS', headers: { origin: 'https://a.test', 'access-control-request-method': 'POST' } }), countingRng()));
    expect(pre.response.status).toBe(200);
    expect(pre.response.headers.get('access-control-allow-origin')).toBe('https://a.test');
    expect(pre.response.headers.get('access-control-max-age')).toBe('86400');
    const other = fwd(route(cfg, request('example.com', '/', { method: 'OPTIONS', headers: { origin: 'https://b.test', 'access-control-request-method': 'POST' } }), countingRng()));
    expect(other.cors).toEqual({ allowed: false, origin: 'https://b.test' });
    const actual = fwd(route(cfg, request('example.com', '/', { headers: { origin: 'https://a.test' } }), countingRng()));
    const res = applyResponseHeaders({ status: 200, body: '', headers: new HttpHeaders() }, actual.responseHeaders);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.test');
  });
});

describe('header operations', () => {
  it('route set/add/remove; destination ops win with one destination; authority via set', () => {
    const cfg = one([
      {
        headers: { request: { set: { 'x-a': 'route', 'x-b': 'route' }, add: { 'x-multi': '2' }, remove: ['x-drop'] }, response: { set: { 'x-res': 'r' } } },
        route: [{ destination: { host: 's' }, headers: { request: { set: { 'x-b': 'dest', ':authority': 'other.host' } }, response: { remove: ['server'] } } }],
      },
    ]);
    const d = fwd(route(cfg, request('example.com', '/', { headers: [['x-multi', '1'], ['x-drop', 'y']] }), countingRng()));
    expect(d.request.headers.get('x-a')).toBe('route');
    expect(d.request.headers.get('x-b')).toBe('dest');
    expect(d.request.headers.getAll('x-multi')).toEqual(['1', '2']);
    expect(d.request.headers.has('x-drop')).toBe(false);
    expect(d.request.authority).toBe('other.host');
    const res = applyResponseHeaders({ status: 200, body: '', headers: new HttpHeaders({ server: 'envoy' }) }, d.responseHeaders);
    expect(res.headers.toRecord()).toEqual({ 'x-res': 'r' });
  });

  it('with weighted destinations the route-level set wins', () => {
    const cfg = one([
      {
        headers: { request: { set: { 'x-b': 'route' } } },
        route: [
          { destination: { host: 'a' }, weight: 50, headers: { request: { set: { 'x-b': 'dest' } } } },
          { destination: { host: 'b' }, weight: 50 },
        ],
      },
    ]);
    expect(fwd(route(cfg, request('example.com'), countingRng([0.1]))).request.headers.get('x-b')).toBe('route');
  });

  it('a set replaces what the client sent under that name, in any case, and adds it when absent', () => {
    // Knative's routes only set headers (Knative-Serving-Namespace/Revision): a client cannot
    // choose the revision by sending them itself.
    const cfg = one([{ route: [{ destination: { host: 's' }, headers: { request: { set: { 'Knative-Serving-Revision': 'hello-00002', 'Knative-Serving-Namespace': 'default' } } } }] }]);
    const spoofed = fwd(route(cfg, request('example.com', '/', { headers: [['knative-serving-revision', 'evil'], ['Knative-Serving-Revision', 'evil2'], ['x-a', '1']] }), countingRng()));
    expect(spoofed.request.headers.getAll('knative-serving-revision')).toEqual(['hello-00002']);
    expect(spoofed.request.headers.get('x-a')).toBe('1');
    const plain = fwd(route(cfg, request('example.com', '/', { headers: [['x-a', '1']] }), countingRng()));
    expect(plain.request.headers.entries()).toEqual([
      ['x-a', '1'],
      ['Knative-Serving-Namespace', 'default'],
      ['Knative-Serving-Revision', 'hello-00002'],
    ]);
  });

  it('the original request is not modified', () => {
    const cfg = one([{ rewrite: { uri: '/x', authority: 'y' }, headers: { request: { set: { a: 'b' } } }, route: to('s') }]);
    const req = request('example.com', '/p');
    route(cfg, req, countingRng());
    expect([req.authority, req.path, req.headers.has('a')]).toEqual(['example.com', '/p', false]);
  });
});

describe('weighted destinations', () => {
  const dests = (ws: number[]) => ws.map((w, i) => ({ destination: { host: `d${i}` }, weight: w }));

  it('draws r in [0,sum) and takes the first cumulative weight above r; weight 0 is never chosen', () => {
    expect(pickDestination(dests([90, 10]), countingRng([0.89]))!.destination.host).toBe('d0');
    expect(pickDestination(dests([90, 10]), countingRng([0.9]))!.destination.host).toBe('d1');
    expect(pickDestination(dests([0, 30, 0, 70]), countingRng([0]))!.destination.host).toBe('d1');
    expect(pickDestination(dests([0, 30, 0, 70]), countingRng([0.999]))!.destination.host).toBe('d3');
  });

  it('property: picks what the filtered-copy reading of Envoy\'s weighted clusters picks (no draw when fewer than two are live)', () => {
    const reference = <D extends { weight?: number }>(ds: readonly D[], next: () => number): D | undefined => {
      if (ds.length <= 1) return ds[0];
      const live = ds.filter((d) => (d.weight ?? 0) > 0);
      if (live.length === 0) return ds[0];
      if (live.length === 1) return live[0];
      const r = next() * live.reduce((s, d) => s + d.weight!, 0);
      let acc = 0;
      for (const d of live) if (r < (acc += d.weight!)) return d;
      return live[live.length - 1];
    };
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat({ max: 100 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { maxLength: 6 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (ws, u) => {
        let drawsA = 0;
        let drawsB = 0;
        const a = pickDestination(dests(ws), { next: () => (drawsA++, u) });
        const b = reference(dests(ws), () => (drawsB++, u));
        expect(a?.destination.host).toBe(b?.destination.host);
        expect(drawsA).toBe(drawsB);
      }),
    );
  });

  it('weights are relative (a total other than 100 is normalised)', () => {
    expect(pickDestination(dests([1, 3]), countingRng([0.26]))!.destination.host).toBe('d1');
  });

  it('property: choice frequencies converge to the weights (binomial bound)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 5 }), fc.integer(), (ws, seed) => {
        const rng = mulberry32(seed);
        const n = 4000;
        const counts = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const h = pickDestination(dests(ws), rng)!.destination.host;
          counts.set(h, (counts.get(h) ?? 0) + 1);
        }
        const total = ws.reduce((a, b) => a + b, 0);
        ws.forEach((w, i) => {
          const p = w / total;
          const sd = Math.sqrt(n * p * (1 - p));
          // 5 standard deviations: a false failure has probability < 1e-6 per destination.
          expect(Math.abs((counts.get(`d${i}`) ?? 0) - n * p)).toBeLessThanOrEqual(5 * sd + 1);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('property: a single-destination route never draws, whatever its weight', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.constantFrom('/', '/a', '/a/b?q=1'), (w, p) => {
        const rng = countingRng();
        fwd(route(one([{ route: [{ destination: { host: 's' }, weight: w }] }]), request('example.com', p), rng));
        expect(rng.draws).toBe(0);
      }),
    );
  });

  it('property: route() is deterministic for the same rng state', () => {
    const cfg = one([{ route: dests([20, 30, 50]), mirror: { host: 'm' }, mirrorPercentage: { value: 50 }, fault: { delay: { fixedDelay: '1s', percentage: { value: 30 } } } }]);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = route(cfg, request('example.com'), mulberry32(seed));
        const b = route(cfg, request('example.com'), mulberry32(seed));
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
    );
  });
});
