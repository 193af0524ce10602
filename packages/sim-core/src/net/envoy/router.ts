import type { CorsPolicy, HeaderOperations, HTTPMatchRequest, HTTPRoute, HTTPRouteDestination, Percent, StringMatch } from '../../apis/istio/v1alpha3.js';
import { compileRe2, re2FullMatch } from '../../apis/istio/re2.js';
import { parseDuration } from '../../engine/duration.js';
import type { Rng } from '../../engine/rng.js';
import { HttpHeaders, HttpRequestMessage, copyRequest, hostWithoutPort, parseQuery, portOf, splitPath, type HttpRequest, type HttpResponse } from '../http.js';
import { domainMatchRank, resolveShortnameToFQDN } from '../istio/hosts.js';
import type { RetryPolicy } from '../istio/retry.js';
import { faultAbort, localReply, noRoute } from './local-reply.js';
import type { EnvoyRoute, RouteConfiguration, VirtualHost, VirtualServiceRef } from './route-configuration.js';

/**
 * One request through one Envoy route configuration, as a pure function: virtual host by Host,
 * first matching route, then its action. Randomness (weighted clusters, fault and mirror
 * percentages) comes only from `rng`, and only when the outcome is actually uncertain: a
 * single destination, a 100% fault or an absent percentage never draws.
 */

/** An upstream cluster: `outbound|<port>|<subset>|<host>` in Istio's naming. */
export interface ClusterRef {
  host: string;
  /** Omitted: the Service's only port (Istio), resolved by the caller. */
  port?: number;
  subset?: string;
}

export interface CorsResult {
  /** The request's Origin is one of allowOrigins. */
  allowed: boolean;
  origin: string;
}

export interface RouteInfo {
  vhost: string;
  virtualService: VirtualServiceRef;
  routeName: string;
  routeIndex: number;
  matchIndex?: number;
}

export type RouteDecision =
  | ({
      kind: 'local';
      reason: 'noRoute' | 'directResponse' | 'redirect' | 'requireTls' | 'faultAbort' | 'corsPreflight';
      response: HttpResponse;
      /** A fault delay that happens before the local reply (delay and abort together). */
      delayMs?: number;
    } & Partial<RouteInfo>)
  | ({
      kind: 'forward';
      cluster: ClusterRef;
      /** The request as the upstream sees it: rewrites and request header operations applied. */
      request: HttpRequest;
      /** Response header operations, to apply in order with `applyHeaderOperations`. */
      responseHeaders: readonly HeaderOperations[];
      timeoutMs?: number;
      /** null = no retries (`retries: {}`); otherwise the resolved policy (Istio's default when omitted). */
      retries: RetryPolicy | null;
      fault: { delayMs?: number };
      mirrors: Array<{ cluster: ClusterRef; request: HttpRequest }>;
      cors?: CorsResult;
    } & RouteInfo)
  | {
      /** Sidecar only: a host no VirtualService names goes straight to its Service. */
      kind: 'passthrough';
      cluster: ClusterRef;
      request: HttpRequest;
    };

/** Istio's cluster name for a destination. */
export function clusterName(c: ClusterRef, port = c.port): string {
  return `outbound|${port ?? ''}|${c.subset ?? ''}|${c.host}`;
}

/** Envoy's vhost selection: exact domain, then the longest `*.suffix`, then `prefix*`, then `*`; case-insensitive, port ignored. */
export function selectVirtualHost(config: RouteConfiguration, authority: string): VirtualHost | undefined {
  // A route configuration never changes once compiled (a push brings a new one), so the
  // answer for an authority is remembered with it: load sends the same Host again and again.
  let cache = vhostCaches.get(config);
  if (cache === undefined) {
    cache = new Map();
    vhostCaches.set(config, cache);
  }
  let vh = cache.get(authority);
  if (vh === undefined && !cache.has(authority)) {
    vh = selectVirtualHostUncached(config, authority);
    if (cache.size >= VHOST_CACHE_LIMIT) cache.clear();
    cache.set(authority, vh);
  }
  return vh;
}

const VHOST_CACHE_LIMIT = 4096;
const vhostCaches = new WeakMap<RouteConfiguration, Map<string, VirtualHost | undefined>>();

function selectVirtualHostUncached(config: RouteConfiguration, authority: string): VirtualHost | undefined {
  const host = hostWithoutPort(authority).toLowerCase();
  let best: VirtualHost | undefined;
  let bestRank = -1;
  for (const vh of config.virtualHosts) {
    for (const d of vh.domains) {
      const r = domainMatchRank(d.toLowerCase(), host);
      if (r > bestRank) {
        best = vh;
        bestRank = r;
      }
    }
  }
  return best;
}

const isPresence = (m: StringMatch) => m.exact === undefined && m.prefix === undefined && (m.regex === undefined || m.regex === '*');

function stringMatch(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  if (isPresence(m)) return true;
  if (m.exact !== undefined) return ignoreCase ? value.toLowerCase() === m.exact.toLowerCase() : value === m.exact;
  if (m.prefix !== undefined) return ignoreCase ? value.toLowerCase().startsWith(m.prefix.toLowerCase()) : value.startsWith(m.prefix);
  return re2FullMatch(m.regex!, value);
}

const PSEUDO_HEADER_KEYS = new Set(['uri', 'scheme', 'method', 'authority']);

type ValueTest = (value: string | undefined) => boolean;
type RequestTest = (req: HttpRequest) => boolean;

/** `stringMatch` for one StringMatch, decided once: the test per request is a comparison. */
function compileStringMatch(m: StringMatch, ignoreCase = false): ValueTest {
  if (isPresence(m)) return (v) => v !== undefined;
  if (m.exact !== undefined) {
    const e = m.exact;
    if (!ignoreCase) return (v) => v === e;
    const el = e.toLowerCase();
    return (v) => v !== undefined && v.toLowerCase() === el;
  }
  if (m.prefix !== undefined) {
    const p = ignoreCase ? m.prefix.toLowerCase() : m.prefix;
    return ignoreCase ? (v) => v !== undefined && v.toLowerCase().startsWith(p) : (v) => v !== undefined && v.startsWith(p);
  }
  const re = m.regex!;
  return (v) => v !== undefined && re2FullMatch(re, v);
}

const compiledMatches = new WeakMap<HTTPMatchRequest, RequestTest>();

/** An HTTPMatchRequest as one test of a request: every field set must match (AND). */
function compileMatch(m: HTTPMatchRequest): RequestTest {
  let c = compiledMatches.get(m);
  if (c !== undefined) return c;
  const tests: RequestTest[] = [];
  if (m.uri !== undefined) {
    // ignoreUriCase applies to exact and prefix only; a regex carries its own (?i).
    const t = compileStringMatch(m.uri, m.ignoreUriCase === true && m.uri.regex === undefined);
    tests.push((req) => {
      const q = req.path.indexOf('?');
      return t(q < 0 ? req.path : req.path.slice(0, q));
    });
  }
  if (m.scheme !== undefined) {
    const t = compileStringMatch(m.scheme);
    tests.push((req) => t(req.scheme));
  }
  if (m.method !== undefined) {
    const t = compileStringMatch(m.method);
    tests.push((req) => t(req.method));
  }
  if (m.authority !== undefined) {
    // :authority includes any port and is matched case-sensitively, unlike vhost selection.
    const t = compileStringMatch(m.authority);
    tests.push((req) => t(req.authority));
  }
  // Matches are ANDed: their order does not change the result.
  for (const k of Object.keys(m.headers ?? {})) {
    if (PSEUDO_HEADER_KEYS.has(k.toLowerCase())) continue;
    const name = k.toLowerCase();
    const t = compileStringMatch(m.headers![k]!);
    tests.push((req) => t(req.headers.getLower(name)));
  }
  for (const k of Object.keys(m.withoutHeaders ?? {})) {
    const name = k.toLowerCase();
    const sm = m.withoutHeaders![k]!;
    // invert_match with treat_missing_header_as_empty: absent counts as "".
    if (isPresence(sm)) tests.push((req) => req.headers.getLower(name) === undefined);
    else {
      const t = compileStringMatch(sm);
      tests.push((req) => !t(req.headers.getLower(name) ?? ''));
    }
  }
  if (m.queryParams !== undefined) {
    const wanted = Object.keys(m.queryParams).map((k) => ({ key: k, sm: m.queryParams![k]! }));
    tests.push((req) => {
      const q = req.path.indexOf('?');
      const params = parseQuery(q < 0 ? '' : req.path.slice(q + 1));
      for (const { key, sm } of wanted) {
        // Envoy keeps the first value of a repeated parameter.
        const p = params.find((x) => x.key === key);
        if (p === undefined) return false;
        if (isPresence(sm)) continue;
        if (!stringMatch(sm, p.value)) return false;
      }
      return true;
    });
  }
  if (tests.length === 0) c = () => true;
  else if (tests.length === 1) c = tests[0]!;
  else if (tests.length === 2) {
    const [a, b] = tests as [RequestTest, RequestTest];
    c = (req) => a(req) && b(req);
  } else {
    c = (req) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i]!(req)) return false;
      return true;
    };
  }
  compiledMatches.set(m, c);
  return c;
}

/** One HTTPMatchRequest against a request: every field set must match (AND). */
export function matchRequest(m: HTTPMatchRequest | undefined, req: HttpRequest): boolean {
  return m === undefined || compileMatch(m)(req);
}

/** Header operations in the order Envoy applies them, with Host and pseudo-headers dropped. */
interface CompiledHeaderOps {
  remove: string[];
  /** (name, lower-case name, value), sorted by name (istiod emits map keys sorted). */
  set: Array<readonly [string, string, string]>;
  add: Array<readonly [string, string, string]>;
  /** A `set` of `:authority` or `Host`: the request's authority is rewritten. */
  authority: string | undefined;
}

const compiledOps = new WeakMap<HeaderOperations, CompiledHeaderOps>();

function compileHeaderOps(ops: HeaderOperations): CompiledHeaderOps {
  let c = compiledOps.get(ops);
  if (c === undefined) {
    const sortedEntries = (rec: Record<string, string> | undefined) =>
      Object.keys(rec ?? {})
        .sort()
        .filter((k) => !isInternalHeader(k))
        .map((k) => [k, k.toLowerCase(), rec![k]!] as const);
    c = { remove: (ops.remove ?? []).filter((k) => !isInternalHeader(k)), set: sortedEntries(ops.set), add: sortedEntries(ops.add), authority: authoritySet(ops) };
    compiledOps.set(ops, c);
  }
  return c;
}

/** Header operations that only set distinct names, as flat (name, lower, value) triples; else null. */
function setsOnly(opsList: readonly CompiledHeaderOps[]): string[] | null {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const o of opsList) {
    if (o.remove.length > 0 || o.add.length > 0) return null;
    for (const [k, l, v] of o.set) {
      if (seen.has(l)) return null;
      seen.add(l);
      lines.push(k, l, v);
    }
  }
  return lines;
}

function applyCompiledOps(headers: HttpHeaders, c: CompiledHeaderOps): void {
  for (const k of c.remove) headers.remove(k);
  for (const [k, l, v] of c.set) headers.setLower(k, l, v);
  for (const [k, l, v] of c.add) headers.addLower(k, l, v);
}

/** Applies Istio header operations the way Envoy's HeaderParser does: remove, then set, then add. */
export function applyHeaderOperations(headers: HttpHeaders, ops: HeaderOperations | undefined): void {
  if (ops !== undefined) applyCompiledOps(headers, compileHeaderOps(ops));
}

// Istio drops operations on pseudo-headers and Host (an authority `set` becomes a host rewrite).
const isInternalHeader = (k: string) => k.startsWith(':') || k.toLowerCase() === 'host';
const authoritySet = (ops: HeaderOperations | undefined): string | undefined => {
  for (const k of Object.keys(ops?.set ?? {})) if (k.toLowerCase() === ':authority' || k.toLowerCase() === 'host') return ops!.set![k];
  return undefined;
};

/** Envoy prefix_rewrite / regex_rewrite (the path only; the query string is kept). */
export function rewritePath(http: HTTPRoute, match: HTTPMatchRequest | undefined, path: string): string {
  const rw = http.rewrite;
  if (rw?.uri !== undefined) {
    const uri = match?.uri;
    if (uri?.exact !== undefined) return rw.uri;
    if (uri?.prefix !== undefined) return rw.uri + path.slice(uri.prefix.length);
    // [U] a regex uri match with a uri rewrite: Istio replaces the whole path.
    if (uri?.regex !== undefined) return rw.uri;
    // No uri match: Envoy's implicit prefix is "/", so `/foo` becomes `<uri>foo`.
    return rw.uri + path.slice(1);
  }
  if (rw?.uriRegexRewrite !== undefined) {
    const c = compileRe2(rw.uriRegexRewrite.match);
    if (!c.ok) return path;
    // RE2 GlobalReplace: every match, `\N` for capture groups.
    const global = new RegExp(c.source, `${c.flags}g`);
    const sub = rw.uriRegexRewrite.rewrite.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
    return path.replace(global, sub);
  }
  return path;
}

/** The percentage of a fault or mirror, 0–100; `absent` when the field is not set. */
function percentOf(p: Percent | undefined, legacy: number | undefined, absent: number): number {
  if (p?.value !== undefined) return p.value;
  if (legacy !== undefined) return legacy;
  return absent;
}

/** Draws only when the outcome is uncertain (0 < pct < 100). */
function sample(pct: number, rng: Rng): boolean {
  if (pct <= 0) return false;
  if (pct >= 100) return true;
  return rng.next() * 100 < pct;
}

/** Weighted clusters: weight-0 entries dropped; `r ∈ [0,sum)`, first cumulative weight above r. */
export function pickDestination(dests: readonly HTTPRouteDestination[], rng: Rng): HTTPRouteDestination | undefined {
  if (dests.length <= 1) return dests[0];
  const live = dests.filter((d) => (d.weight ?? 0) > 0);
  if (live.length === 0) return dests[0];
  if (live.length === 1) return live[0];
  const total = live.reduce((s, d) => s + d.weight!, 0);
  const r = rng.next() * total;
  let acc = 0;
  for (const d of live) {
    acc += d.weight!;
    if (r < acc) return d;
  }
  return live[live.length - 1];
}

function redirectResponse(http: HTTPRoute, req: HttpRequest): HttpResponse {
  const rd = http.redirect!;
  const { path, query } = splitPath(req.path);
  const scheme = rd.scheme ?? req.scheme;
  const host = rd.authority ?? hostWithoutPort(req.authority);
  const reqPort = portOf(req.authority);
  let port: number | undefined;
  if (rd.port !== undefined) port = rd.port;
  else if (rd.derivePort === 'FROM_REQUEST_PORT') port = reqPort;
  else if (rd.derivePort === 'FROM_PROTOCOL_DEFAULT') port = undefined;
  else if (rd.authority === undefined) port = reqPort;
  // Default ports are not written: :80 for http, :443 for https.
  if ((scheme === 'http' && port === 80) || (scheme === 'https' && port === 443)) port = undefined;
  if (scheme !== req.scheme && port === (req.scheme === 'http' ? 80 : 443)) port = undefined;
  let newPath = path;
  let newQuery = query;
  if (rd.uri !== undefined) {
    const q = rd.uri.indexOf('?');
    newPath = q < 0 ? rd.uri : rd.uri.slice(0, q);
    if (q >= 0) newQuery = rd.uri.slice(q + 1);
  }
  const location = `${scheme}://${host}${port !== undefined ? `:${port}` : ''}${newPath}${newQuery !== '' ? `?${newQuery}` : ''}`;
  return localReply(rd.redirectCode ?? 301, undefined, '', { location });
}

function originAllowed(policy: CorsPolicy, origin: string): boolean {
  return (policy.allowOrigins ?? []).some((m) => (m.exact === '*' ? true : stringMatch(m, origin)));
}

function corsHeaders(policy: CorsPolicy, origin: string, preflight: boolean): Record<string, string> {
  const h: Record<string, string> = { 'access-control-allow-origin': origin };
  if (policy.allowCredentials) h['access-control-allow-credentials'] = 'true';
  if (preflight) {
    if ((policy.allowMethods ?? []).length > 0) h['access-control-allow-methods'] = policy.allowMethods!.join(',');
    if ((policy.allowHeaders ?? []).length > 0) h['access-control-allow-headers'] = policy.allowHeaders!.join(',');
    if (policy.maxAge !== undefined) h['access-control-max-age'] = String(Math.floor(parseDuration(policy.maxAge) / 1000));
  } else if ((policy.exposeHeaders ?? []).length > 0) {
    h['access-control-expose-headers'] = policy.exposeHeaders!.join(',');
  }
  return h;
}

// `directResponse.body.bytes` is base64 (proto bytes in JSON); decoded as UTF-8 text.
function decodeBase64(b64: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of b64.replace(/[=\s]/g, '')) {
    const v = alphabet.indexOf(ch === '-' ? '+' : ch === '_' ? '/' : ch);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  try {
    return decodeURIComponent(bytes.map((x) => `%${x.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    // Not UTF-8: one character per byte.
    return String.fromCharCode(...bytes);
  }
}

const cloneRequest = copyRequest;

// Envoy's shadow policy appends "-shadow" to the host (before any port).
function shadowAuthority(authority: string): string {
  const host = hostWithoutPort(authority);
  return `${host}-shadow${authority.slice(host.length)}`;
}

function destinationCluster(d: { host: string; subset?: string; port?: { number: number } }, vsNamespace: string): ClusterRef {
  return {
    host: resolveShortnameToFQDN(d.host, vsNamespace),
    ...(d.port !== undefined ? { port: d.port.number } : {}),
    ...(d.subset !== undefined ? { subset: d.subset } : {}),
  };
}

/** Routes one request through one route configuration. */
export function route(config: RouteConfiguration, req: HttpRequest, rng: Rng): RouteDecision {
  const vh = selectVirtualHost(config, req.authority);
  if (vh === undefined) {
    if (config.kind === 'sidecar') {
      return { kind: 'passthrough', cluster: { host: hostWithoutPort(req.authority).toLowerCase(), port: portOf(req.authority) ?? config.port }, request: cloneRequest(req) };
    }
    return { kind: 'local', reason: 'noRoute', response: noRoute() };
  }
  if (vh.requireTls === true && req.scheme === 'http') {
    // require_tls ALL: 301 to the same host and path over https (the default port is dropped).
    const location = `https://${hostWithoutPort(req.authority)}${req.path}`;
    return { kind: 'local', reason: 'requireTls', response: localReply(301, undefined, '', { location }), vhost: vh.name };
  }
  const r = firstMatchingRoute(vh, req);
  if (r === undefined) return { kind: 'local', reason: 'noRoute', response: noRoute(), vhost: vh.name };
  const http = r.http;

  // The CORS filter runs before the router: an allowed preflight never reaches the upstream.
  let cors: CorsResult | undefined;
  const origin = http.corsPolicy === undefined ? undefined : req.headers.getLower('origin');
  if (http.corsPolicy !== undefined && origin !== undefined) {
    const allowed = originAllowed(http.corsPolicy, origin);
    cors = { allowed, origin };
    const preflight = req.method === 'OPTIONS' && req.headers.has('access-control-request-method');
    if (preflight && allowed) {
      return { kind: 'local', reason: 'corsPreflight', response: localReply(200, undefined, '', corsHeaders(http.corsPolicy, origin, true)), ...routeInfo(vh, r) };
    }
    if (preflight && http.corsPolicy.unmatchedPreflights === 'IGNORE') {
      return { kind: 'local', reason: 'corsPreflight', response: localReply(200), ...routeInfo(vh, r) };
    }
  }

  if (http.directResponse !== undefined) {
    const b = http.directResponse.body;
    const body = b?.string ?? (b?.bytes !== undefined ? decodeBase64(b.bytes) : '');
    return { kind: 'local', reason: 'directResponse', response: localReply(http.directResponse.status, undefined, body), ...routeInfo(vh, r) };
  }
  if (http.redirect !== undefined) {
    return { kind: 'local', reason: 'redirect', response: redirectResponse(http, req), ...routeInfo(vh, r) };
  }

  // Fault filter: delay and abort sampled independently; an omitted percentage never fires.
  let delayMs: number | undefined;
  const delay = http.fault?.delay;
  if (delay !== undefined && sample(percentOf(delay.percentage, delay.percent, 0), rng)) delayMs = delay.fixedDelay !== undefined ? parseDuration(delay.fixedDelay) : 0;
  const abort = http.fault?.abort;
  if (abort !== undefined && sample(percentOf(abort.percentage, undefined, 0), rng)) {
    const response = abort.httpStatus !== undefined ? faultAbort(abort.httpStatus) : faultAbort(200);
    if (abort.httpStatus === undefined && abort.grpcStatus !== undefined) response.headers.set('grpc-status', abort.grpcStatus);
    return { kind: 'local', reason: 'faultAbort', response, ...(delayMs !== undefined ? { delayMs } : {}), ...routeInfo(vh, r) };
  }

  const dests = http.route ?? [];
  const dest = pickDestination(dests, rng);
  if (dest === undefined) return { kind: 'local', reason: 'noRoute', response: noRoute(), ...routeInfo(vh, r) };

  const compiled = compileRoute(r);
  const cd = single(dests) ? compiled.dests[0]! : compiled.dests[dests.indexOf(dest)]!;
  const q = req.path.indexOf('?');
  let outPath = req.path;
  if (http.rewrite !== undefined) {
    const path = q < 0 ? req.path : req.path.slice(0, q);
    const newPath = rewritePath(http, r.match, path);
    outPath = q < 0 ? newPath : `${newPath}${req.path.slice(q)}`;
  }
  let headers: HttpHeaders;
  if (cd.setLines !== null) headers = req.headers.cloneSetting(cd.setLines);
  else {
    headers = req.headers.clone();
    for (const ops of cd.requestOps) applyCompiledOps(headers, ops);
  }
  const out = new HttpRequestMessage(req.method, req.scheme, cd.authority ?? http.rewrite?.authority ?? req.authority, outPath, headers, req.body);
  let responseHeaders = cd.responseHeaders;
  if (cors?.allowed) responseHeaders = [...responseHeaders, { set: corsHeaders(http.corsPolicy!, cors.origin, false) }];

  let mirrors: Array<{ cluster: ClusterRef; request: HttpRequest }> = NO_MIRRORS;
  for (const m of compiled.mirrors) {
    if (!sample(m.pct, rng)) continue;
    const shadow = cloneRequest(out);
    shadow.authority = shadowAuthority(out.authority);
    if (mirrors === NO_MIRRORS) mirrors = [];
    mirrors.push({ cluster: m.cluster, request: shadow });
  }

  return new Forward(
    cd.cluster,
    out,
    responseHeaders,
    r.timeoutMs,
    r.retryPolicy,
    delayMs !== undefined ? { delayMs } : NO_FAULT,
    mirrors,
    cors,
    vh.name,
    r.virtualService,
    r.name,
    r.routeIndex,
    r.matchIndex,
  );
}

/** A forward decision (a class, not a literal: see RequestContext in k8s/network.ts). */
class Forward {
  readonly kind = 'forward' as const;
  constructor(
    readonly cluster: ClusterRef,
    readonly request: HttpRequest,
    readonly responseHeaders: readonly HeaderOperations[],
    readonly timeoutMs: number | undefined,
    readonly retries: RetryPolicy | null,
    readonly fault: { delayMs?: number },
    readonly mirrors: Array<{ cluster: ClusterRef; request: HttpRequest }>,
    readonly cors: CorsResult | undefined,
    readonly vhost: string,
    readonly virtualService: VirtualServiceRef,
    readonly routeName: string,
    readonly routeIndex: number,
    readonly matchIndex: number | undefined,
  ) {}
}

const single = (dests: readonly unknown[]) => dests.length === 1;

/** Which route answered, for local replies (a forward carries these fields itself). */
function routeInfo(vh: VirtualHost, r: EnvoyRoute): RouteInfo {
  return {
    vhost: vh.name,
    virtualService: r.virtualService,
    routeName: r.name,
    routeIndex: r.routeIndex,
    ...(r.matchIndex !== undefined ? { matchIndex: r.matchIndex } : {}),
  };
}

const vhostMatchers = new WeakMap<VirtualHost, Array<{ route: EnvoyRoute; test: RequestTest | null }>>();

/** The first route of a virtual host whose match the request passes (Envoy's route order). */
function firstMatchingRoute(vh: VirtualHost, req: HttpRequest): EnvoyRoute | undefined {
  let ms = vhostMatchers.get(vh);
  if (ms === undefined) {
    ms = vh.routes.map((route) => ({ route, test: route.match === undefined ? null : compileMatch(route.match) }));
    vhostMatchers.set(vh, ms);
  }
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (m.test === null || m.test(req)) return m.route;
  }
  return undefined;
}
const NO_FAULT: { delayMs?: number } = Object.freeze({});
const NO_MIRRORS: Array<{ cluster: ClusterRef; request: HttpRequest }> = Object.freeze([]) as unknown as Array<{ cluster: ClusterRef; request: HttpRequest }>;

/** What a route's action fixes for every request: per destination its cluster and header operations, and the mirrors. */
interface CompiledRoute {
  dests: Array<{
    cluster: ClusterRef;
    requestOps: CompiledHeaderOps[];
    /** When the operations only set distinct headers: those sets as flat (name, lower, value) triples. */
    setLines: string[] | null;
    /** The authority the operations set last, if any. */
    authority: string | undefined;
    responseHeaders: HeaderOperations[];
  }>;
  mirrors: Array<{ cluster: ClusterRef; pct: number }>;
}

const compiledRoutes = new WeakMap<EnvoyRoute, CompiledRoute>();

function compileRoute(r: EnvoyRoute): CompiledRoute {
  let c = compiledRoutes.get(r);
  if (c !== undefined) return c;
  const http = r.http;
  const vsNs = r.virtualService.namespace;
  const dests = http.route ?? [];
  // One destination: Istio merges its header operations after the route's (they win).
  // Weighted clusters: per-cluster operations apply first, the route's after (they win).
  const one = dests.length === 1;
  const defined = <T>(xs: Array<T | undefined>): T[] => xs.filter((x): x is T => x !== undefined);
  c = {
    dests: dests.map((dest) => {
      const requestOps = defined(one ? [http.headers?.request, dest.headers?.request] : [dest.headers?.request, http.headers?.request]).map(compileHeaderOps);
      return {
        cluster: destinationCluster(dest.destination, vsNs),
        requestOps,
        setLines: setsOnly(requestOps),
        authority: requestOps.reduce<string | undefined>((a, o) => o.authority ?? a, undefined),
        responseHeaders: defined(one ? [http.headers?.response, dest.headers?.response] : [dest.headers?.response, http.headers?.response]),
      };
    }),
    mirrors: (http.mirrors !== undefined && http.mirrors.length > 0
      ? http.mirrors.map((m) => ({ d: m.destination, pct: percentOf(m.percentage, undefined, 100) }))
      : http.mirror !== undefined
        ? [{ d: http.mirror, pct: percentOf(http.mirrorPercentage, http.mirrorPercent, 100) }]
        : []
    ).map((m) => ({ cluster: destinationCluster(m.d, vsNs), pct: m.pct })),
  };
  compiledRoutes.set(r, c);
  return c;
}

/** Applies a forward decision's response header operations to the upstream's response. */
export function applyResponseHeaders(res: HttpResponse, ops: readonly HeaderOperations[]): HttpResponse {
  if (ops.length === 0) return res;
  const headers = res.headers.clone();
  for (const o of ops) applyHeaderOperations(headers, o);
  return { ...res, headers };
}
