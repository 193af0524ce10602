import type { Service as K8sService } from '../apis/core/v1.js';
import { parseDuration } from '../engine/duration.js';
import type { Rng } from '../engine/rng.js';
import { HttpHeaders, hostWithoutPort, splitPath, type HttpRequest, type HttpResponse } from '../net/http.js';
import type { Gateway, HeaderOperations, HTTPMatchRequest, HTTPRoute, HTTPRouteDestination, StringMatch, VirtualService } from './istio-types.js';

/** Istio's mesh-default retry policy, used when a route says nothing about retries. */
export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

export interface RetryPolicy {
  attempts: number;
  perTryTimeoutMs: number;
  retryOn: string[];
  retriableStatusCodes: number[];
}

/** One Envoy route: a single match of a VirtualService's HTTP route, with its action. */
export interface CompiledRoute {
  virtualService: string; // ns/name
  routeIndex: number;
  match: HTTPMatchRequest | null;
  http: HTTPRoute;
  timeoutMs: number;
  retries: RetryPolicy | null;
  catchAll: boolean;
}

export interface VirtualHost {
  /** The domain as written ("example.com", "*.example.com", "*"). */
  domain: string;
  routes: CompiledRoute[];
}

/** Envoy's RouteConfiguration for one listener port. */
export interface RouteConfiguration {
  port: number;
  vhosts: VirtualHost[];
}

/** What Istio pushes to one gateway deployment: a route configuration per listener port. */
export interface GatewayConfig {
  listeners: Map<number, RouteConfiguration>;
}

/** `name`, `./name`, `ns/name`, or the legacy FQDN `name.ns.svc.cluster.local` → `ns/name` (resolveGatewayName). */
export function resolveGatewayName(name: string, vsNamespace: string): string {
  if (name === 'mesh') return 'mesh';
  if (name.startsWith('./')) return `${vsNamespace}/${name.slice(2)}`;
  if (name.includes('/')) return name;
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(name);
  if (m) return `${m[2]}/${m[1]}`;
  if (!name.includes('.')) return `${vsNamespace}/${name}`;
  const parts = name.split('.');
  return `${parts[1]}/${parts[0]}`;
}

/** A VS host without a dot is short for `<host>.<vsNamespace>.svc.cluster.local`. */
export function expandHost(host: string, namespace: string): string {
  if (host === '*' || host.includes('.') || host.startsWith('*')) return host.toLowerCase();
  return `${host}.${namespace}.svc.cluster.local`.toLowerCase();
}

function wildcardCovers(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1); // ".example.com"
    if (name.startsWith('*.')) return name.slice(1).endsWith(suffix);
    return name.endsWith(suffix) && name.length > suffix.length;
  }
  return pattern === name;
}

/** The intersection of a VS host and a server host: the more specific name, or null. */
export function intersectHosts(vsHost: string, serverHost: string): string | null {
  if (wildcardCovers(serverHost, vsHost)) return vsHost;
  if (wildcardCovers(vsHost, serverHost)) return serverHost;
  return null;
}

function isCatchAll(m: HTTPMatchRequest | null): boolean {
  if (m === null) return true;
  const keys = Object.keys(m).filter((k) => !['name', 'gateways', 'port', 'ignoreUriCase'].includes(k));
  if (keys.length === 0) return true;
  if (keys.length !== 1 || keys[0] !== 'uri') return false;
  return m.uri?.prefix === '/' || m.uri?.regex === '.*' || m.uri?.regex === '/.*';
}

export function parseRetries(r: HTTPRoute['retries']): RetryPolicy | null {
  if (r === undefined) return { attempts: 2, perTryTimeoutMs: 0, retryOn: DEFAULT_RETRY_ON.split(','), retriableStatusCodes: [] };
  const attempts = r.attempts ?? 0;
  if (attempts <= 0) return null;
  const tokens = (r.retryOn ?? DEFAULT_RETRY_ON).split(',').map((t) => t.trim()).filter(Boolean);
  const codes = tokens.filter((t) => /^\d{3}$/.test(t)).map(Number);
  const retryOn = tokens.filter((t) => !/^\d{3}$/.test(t));
  if (codes.length > 0 && !retryOn.includes('retriable-status-codes')) retryOn.push('retriable-status-codes');
  return { attempts, perTryTimeoutMs: r.perTryTimeout ? parseDuration(r.perTryTimeout) : 0, retryOn, retriableStatusCodes: codes };
}

export interface CompileInput {
  /** Labels of the gateway pods being configured. */
  podLabels: Record<string, string>;
  gateways: readonly Gateway[];
  virtualServices: readonly VirtualService[];
  /** Services in front of the gateway pods (for Istio's port translation). */
  services: readonly K8sService[];
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

/**
 * What istiod pushes to one gateway deployment (pilot/pkg/networking/core/gateway.go): a
 * listener per Gateway server port (translated to the target port of the Service in front of
 * the pods unless that Service disables translation), a virtual host per host shared by a
 * bound VirtualService and the server, routes concatenated in VirtualService order with
 * catch-all routes moved last (SortVHostRoutes), and a route per match entry.
 */
export function compileGatewayConfig(input: CompileInput): GatewayConfig {
  const listeners = new Map<number, Map<string, CompiledRoute[]>>();
  const gws = input.gateways.filter((g) => selects(g.spec.selector, input.podLabels));
  const translate = (port: number): number => {
    for (const s of input.services) {
      if (!selects(s.spec.selector, input.podLabels) || Object.keys(s.spec.selector ?? {}).length === 0) continue;
      if (s.metadata.labels?.['experimental.istio.io/disable-gateway-port-translation'] === 'true') continue;
      const p = s.spec.ports?.find((x) => x.port === port);
      if (p && typeof p.targetPort === 'number') return p.targetPort;
    }
    return port;
  };
  const vss = [...input.virtualServices].sort(
    (a, b) =>
      ((a.metadata as { creationIndex?: number }).creationIndex ?? 0) - ((b.metadata as { creationIndex?: number }).creationIndex ?? 0) ||
      cmp(a.metadata.name, b.metadata.name) ||
      cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? ''),
  );
  for (const gw of gws) {
    const gwKey = `${gw.metadata.namespace ?? 'default'}/${gw.metadata.name}`;
    for (const server of gw.spec.servers ?? []) {
      if (server.tls?.httpsRedirect) continue; // an https redirect server answers 301 (not simulated as a separate listener)
      const port = translate(server.port.number);
      let vhosts = listeners.get(port);
      if (vhosts === undefined) {
        vhosts = new Map();
        listeners.set(port, vhosts);
      }
      for (const vs of vss) {
        const vsNs = vs.metadata.namespace ?? 'default';
        const vsGateways = (vs.spec.gateways && vs.spec.gateways.length > 0 ? vs.spec.gateways : ['mesh']).map((g) => resolveGatewayName(g, vsNs));
        if (!vsGateways.includes(gwKey)) continue;
        const hosts = (vs.spec.hosts ?? []).map((h) => expandHost(h, vsNs));
        for (const sh of server.hosts) {
          const slash = sh.indexOf('/');
          const nsFilter = slash >= 0 ? sh.slice(0, slash) : '*';
          const serverHost = (slash >= 0 ? sh.slice(slash + 1) : sh).toLowerCase();
          if (nsFilter !== '*' && !(nsFilter === '.' ? vsNs === gw.metadata.namespace : nsFilter === vsNs)) continue;
          for (const h of hosts) {
            const name = intersectHosts(h, serverHost);
            if (name === null) continue;
            const routes = vhosts.get(name) ?? [];
            (vs.spec.http ?? []).forEach((http, routeIndex) => {
              const matches = http.match && http.match.length > 0 ? http.match : [null];
              for (const m of matches) {
                if (m !== null) {
                  if (m.port !== undefined && m.port !== server.port.number) continue;
                  if (m.gateways && m.gateways.length > 0 && !m.gateways.map((g) => resolveGatewayName(g, vsNs)).includes(gwKey)) continue;
                }
                const catchAll = isCatchAll(m);
                routes.push({
                  virtualService: `${vsNs}/${vs.metadata.name}`,
                  routeIndex,
                  match: m,
                  http,
                  timeoutMs: http.timeout ? parseDuration(http.timeout) : 0,
                  retries: parseRetries(http.retries),
                  catchAll,
                });
                if (catchAll) break;
              }
            });
            vhosts.set(name, routes);
          }
        }
      }
    }
  }
  const out = new Map<number, RouteConfiguration>();
  for (const port of [...listeners.keys()].sort((a, b) => a - b)) {
    const vh = listeners.get(port)!;
    const vhosts: VirtualHost[] = [...vh.keys()].sort().map((domain) => {
      // Dedupe the same VS route bound through several server hosts, keep order, catch-alls last.
      const seen = new Set<string>();
      const routes = vh.get(domain)!.filter((r) => {
        const k = `${r.virtualService}#${r.routeIndex}#${JSON.stringify(r.match)}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      return { domain, routes: [...routes.filter((r) => !r.catchAll), ...routes.filter((r) => r.catchAll)] };
    });
    out.set(port, { port, vhosts });
  }
  return { listeners: out };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Envoy's virtual host selection: exact domain, then the longest suffix wildcard, then `*` (port ignored, case-insensitive). */
export function selectVirtualHost(rc: RouteConfiguration, authority: string): VirtualHost | null {
  const host = hostWithoutPort(authority).toLowerCase();
  let best: VirtualHost | null = null;
  let bestLen = -1;
  let star: VirtualHost | null = null;
  for (const vh of rc.vhosts) {
    if (vh.domain === host) return vh;
    if (vh.domain === '*') star = vh;
    else if (vh.domain.startsWith('*.')) {
      const suffix = vh.domain.slice(1);
      if (host.endsWith(suffix) && host.length > suffix.length && suffix.length > bestLen) {
        best = vh;
        bestLen = suffix.length;
      }
    }
  }
  return best ?? star;
}

const regexCache = new Map<string, RegExp | null>();

/** RE2 patterns as JavaScript regexps matching the whole value (`(?i)` turns on case-insensitivity). */
export function re2(pattern: string): RegExp | null {
  let r = regexCache.get(pattern);
  if (r === undefined) {
    let flags = '';
    let p = pattern;
    if (p.startsWith('(?i)')) {
      flags = 'i';
      p = p.slice(4);
    }
    try {
      r = new RegExp(`^(?:${p})$`, flags);
    } catch {
      r = null;
    }
    regexCache.set(pattern, r);
  }
  return r;
}

function stringMatches(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (m.exact === undefined && m.prefix === undefined && m.regex === undefined) return value !== undefined; // {} = present
  if (value === undefined) return false;
  if (m.exact !== undefined) return ignoreCase ? value.toLowerCase() === m.exact.toLowerCase() : value === m.exact;
  if (m.prefix !== undefined) return ignoreCase ? value.toLowerCase().startsWith(m.prefix.toLowerCase()) : value.startsWith(m.prefix);
  if (m.regex === '*') return true;
  return re2(m.regex!)?.test(value) ?? false;
}

function queryValues(query: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  if (query === '') return m;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeQ(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : decodeQ(part.slice(eq + 1));
    m.set(k, [...(m.get(k) ?? []), v]);
  }
  return m;
}

function decodeQ(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Whether one match entry (fields ANDed) matches the request. */
export function matchRequest(m: HTTPMatchRequest | null, req: HttpRequest): boolean {
  if (m === null) return true;
  const { path, query } = splitPath(req.path);
  if (m.uri && !stringMatches(m.uri, path, m.ignoreUriCase === true && m.uri.regex === undefined)) return false;
  if (m.scheme && !stringMatches(m.scheme, req.scheme)) return false;
  if (m.method && !stringMatches(m.method, req.method)) return false;
  if (m.authority && !stringMatches(m.authority, req.authority)) return false;
  for (const [k, sm] of Object.entries(m.headers ?? {})) {
    if (['uri', 'scheme', 'method', 'authority'].includes(k.toLowerCase())) continue;
    if (!stringMatches(sm, req.headers.get(k))) return false;
  }
  for (const [k, sm] of Object.entries(m.withoutHeaders ?? {})) {
    const v = req.headers.get(k);
    const isPresence = sm.exact === undefined && sm.prefix === undefined && sm.regex === undefined;
    if (isPresence ? v !== undefined : stringMatches(sm, v ?? '')) return false;
  }
  if (m.queryParams) {
    const q = queryValues(query);
    for (const [k, sm] of Object.entries(m.queryParams)) {
      const v = q.get(k)?.[0];
      if (!stringMatches(sm, v)) return false;
    }
  }
  return true;
}

function applyHeaderOps(h: HttpHeaders, ops: HeaderOperations | undefined, req?: HttpRequest): void {
  if (!ops) return;
  for (const [k, v] of Object.entries(ops.set ?? {})) {
    if ((k.toLowerCase() === 'host' || k.toLowerCase() === ':authority') && req) req.authority = v;
    else if (!k.startsWith(':') && k.toLowerCase() !== 'host') h.set(k, v);
  }
  for (const [k, v] of Object.entries(ops.add ?? {})) if (!k.startsWith(':') && k.toLowerCase() !== 'host') h.add(k, v);
  for (const k of ops.remove ?? []) h.remove(k);
}

/** Applies a route's response header operations. */
export function applyResponseHeaders(res: HttpResponse, ops: readonly (HeaderOperations | undefined)[]): void {
  for (const o of ops) applyHeaderOps(res.headers, o);
}

export type RouteDecision =
  | { kind: 'local'; response: HttpResponse; vhost: string | null; virtualService: string | null }
  | {
      kind: 'forward';
      vhost: string;
      virtualService: string;
      route: CompiledRoute;
      host: string;
      port: number | undefined;
      request: HttpRequest;
      responseHeaders: Array<HeaderOperations | undefined>;
      timeoutMs: number;
      retries: RetryPolicy | null;
    };

export function localReply(status: number, flag: string | undefined, body = '', headers: Record<string, string> = {}): HttpResponse {
  const h = new HttpHeaders(body === '' ? headers : { 'content-type': 'text/plain', ...headers });
  return { status, body, headers: h, ...(flag ? { responseFlags: flag } : {}) };
}

/** Envoy's local reply bodies. */
export const ENVOY_BODIES = {
  noHealthyUpstream: 'no healthy upstream',
  upstreamTimeout: 'upstream request timeout',
  connectFailure: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
  overflow: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
  faultAbort: 'fault filter abort',
} as const;

function rewritePath(http: HTTPRoute, m: HTTPMatchRequest | null, req: HttpRequest): string {
  const { path, query } = splitPath(req.path);
  let next = path;
  const rw = http.rewrite;
  if (rw?.uri !== undefined) {
    if (m?.uri?.exact !== undefined) next = rw.uri;
    else if (m?.uri?.prefix !== undefined) next = rw.uri + path.slice(m.uri.prefix.length);
    else if (m?.uri?.regex !== undefined) next = rw.uri; // [U] regex + uri rewrite: replace the path
    else next = rw.uri + path.slice(1); // the implicit prefix "/"
  } else if (rw?.uriRegexRewrite) {
    const r = re2(rw.uriRegexRewrite.match);
    if (r) next = path.replace(new RegExp(r.source.slice(4, -2), r.flags + 'g'), rw.uriRegexRewrite.rewrite.replace(/\\(\d)/g, '$$$1'));
  }
  return query === '' ? next : `${next}?${query}`;
}

function pickDestination(dests: readonly HTTPRouteDestination[], rng: Rng): HTTPRouteDestination {
  if (dests.length === 1) return dests[0]!;
  const live = dests.filter((d) => (d.weight ?? 0) > 0);
  const pool = live.length > 0 ? live : dests;
  if (pool.length === 1) return pool[0]!;
  const total = pool.reduce((s, d) => s + (d.weight ?? 0), 0);
  const r = rng.next() * total;
  let acc = 0;
  for (const d of pool) {
    acc += d.weight ?? 0;
    if (r < acc) return d;
  }
  return pool[pool.length - 1]!;
}

/**
 * One request on one listener (pure): the virtual host by Host, the first route whose match
 * matches, and its action — a local reply (404 NR when nothing matches, a redirect, a direct
 * response) or where to forward the rewritten request. A weighted choice draws from `rng` only
 * when there are several destinations.
 */
export function routeRequest(rc: RouteConfiguration | undefined, req: HttpRequest, rng: Rng): RouteDecision {
  if (rc === undefined) return { kind: 'local', response: localReply(404, 'NR'), vhost: null, virtualService: null };
  const vh = selectVirtualHost(rc, req.authority);
  if (vh === null) return { kind: 'local', response: localReply(404, 'NR'), vhost: null, virtualService: null };
  const route = vh.routes.find((r) => matchRequest(r.match, req));
  if (route === undefined) return { kind: 'local', response: localReply(404, 'NR'), vhost: vh.domain, virtualService: null };
  const http = route.http;
  if (http.directResponse) {
    return { kind: 'local', response: localReply(http.directResponse.status, undefined, http.directResponse.body?.string ?? ''), vhost: vh.domain, virtualService: route.virtualService };
  }
  if (http.redirect) {
    const r = http.redirect;
    const scheme = r.scheme ?? req.scheme;
    const host = r.authority ?? hostWithoutPort(req.authority);
    const reqPort = req.authority.includes(':') ? Number(req.authority.slice(req.authority.lastIndexOf(':') + 1)) : undefined;
    let port = r.port ?? (r.derivePort === 'FROM_REQUEST_PORT' ? reqPort : undefined);
    if ((scheme === 'http' && port === 80) || (scheme === 'https' && port === 443)) port = undefined;
    const path = r.uri ?? splitPath(req.path).path;
    return {
      kind: 'local',
      response: localReply(r.redirectCode ?? 301, undefined, '', { location: `${scheme}://${host}${port ? `:${port}` : ''}${path}` }),
      vhost: vh.domain,
      virtualService: route.virtualService,
    };
  }
  const dests = http.route ?? [];
  if (dests.length === 0) return { kind: 'local', response: localReply(404, 'NR'), vhost: vh.domain, virtualService: route.virtualService };
  const dest = pickDestination(dests, rng);
  const headers = req.headers.clone();
  const next: HttpRequest = { ...req, headers, path: rewritePath(http, route.match, req) };
  if (http.rewrite?.authority) next.authority = http.rewrite.authority;
  applyHeaderOps(headers, http.headers?.request, next);
  applyHeaderOps(headers, dest.headers?.request, next);
  return {
    kind: 'forward',
    vhost: vh.domain,
    virtualService: route.virtualService,
    route,
    host: expandHost(dest.destination.host, route.virtualService.split('/')[0]!),
    port: dest.destination.port?.number,
    request: next,
    responseHeaders: [dest.headers?.response, http.headers?.response],
    timeoutMs: route.timeoutMs,
    retries: route.retries,
  };
}
