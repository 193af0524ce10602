import type { Environment } from '../engine/environment.js';
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent, Hop } from '../trace/events.js';
import { HttpHeaders, HttpRequestMessage, type HttpResponse } from '../net/http.js';
import { isConnectionReset, RequestContext, type Network } from '../k8s/network.js';
import type { ClientRequest, ClientResponse } from './types.js';
import type { ClientResolution } from '../net/dns/cluster-dns.js';
import { UserInputError } from '../apis/errors.js';

/** What the client path needs from the cluster. */
export interface ClientHost {
  readonly env: Environment;
  readonly net: Network;
  readonly trace: TraceBus<KnsimTraceEvent>;
  readonly recordHops: boolean;
  /** The ingress gateway's external address (the `gateway` URL alias). */
  loadBalancerIp(): string;
  resolveExternal(name: string): ClientResolution;
  resolveInCluster(name: string, namespace: string, nowMs: number): ClientResolution;
  /**
   * kube-proxy / the cloud load balancer: a virtual address and port to one backend pod's
   * address and target port (null: nothing listens there).
   */
  pickBackend(ip: string, port: number, rng: Rng): { ip: string; port: number; name: string } | null;
  latencies: { clientToLoadBalancer: Distribution; dnsQuery: Distribution; externalDns: Distribution };
  readonly urls: ParsedUrls;
}

export interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  authority: string;
  /** The host is an IPv4 literal. */
  ipLiteral: boolean;
  /** `Basic …` for the URL's `user:password@`, as curl sends it; undefined without one. */
  authorization?: string;
}

/**
 * The client's own address, as the first proxy sees it (and puts first in X-Forwarded-For):
 * outside the cluster an address from TEST-NET-2 (RFC 5737), the load balancer keeping the
 * source; from a pod, an address of the pod network no simulated pod is given.
 */
export const EXTERNAL_CLIENT_ADDRESS = '198.51.100.1';
export const POD_CLIENT_ADDRESS = '10.244.255.254';

/** What curl sends when given no headers, as header lines. */
const CURL_HEADER_LINES: readonly string[] = ['User-Agent', 'user-agent', 'curl/8.5.0', 'Accept', 'accept', '*/*'];

/** Parsed URLs, memoised per cluster: load generators send the same URL many times. */
export class ParsedUrls {
  private readonly byUrl = new Map<string, ParsedUrl>();

  get(url: string): ParsedUrl {
    let p = this.byUrl.get(url);
    if (p === undefined) {
      p = parseUrl(url);
      if (this.byUrl.size < 10_000) this.byUrl.set(url, p);
    }
    return p;
  }
}

/** Parses an absolute http(s) URL. */
export function parseUrl(url: string): ParsedUrl {
  const m = /^(https?):\/\/(?:([^/?#@]*)@)?([^/?#:[\]]+|\[[^\]]*\])(?::(\d*))?([/?][^#]*)?(?:#.*)?$/i.exec(url);
  if (m === null) throw new UserInputError(`invalid URL ${JSON.stringify(url)}: want http://host[:port]/path`);
  const scheme = m[1]!.toLowerCase() as 'http' | 'https';
  const host = m[3]!.toLowerCase();
  // knsim's networks (the cluster's and the load balancer's) are IPv4 only.
  if (host.startsWith('[')) throw new UserInputError(`invalid URL ${JSON.stringify(url)}: IPv6 literal hosts are not simulated (knsim's networks are IPv4 only)`);
  const port = m[4] !== undefined && m[4] !== '' ? Number(m[4]) : scheme === 'https' ? 443 : 80;
  if (!(port > 0 && port < 65536)) throw new UserInputError(`invalid URL ${JSON.stringify(url)}: bad port`);
  let path = m[5] ?? '';
  if (path === '' || path.startsWith('?')) path = `/${path}`;
  const authority = m[4] !== undefined && m[4] !== '' ? `${host}:${port}` : host;
  const out: ParsedUrl = { scheme, host, port, path, authority, ipLiteral: /^\d+\.\d+\.\d+\.\d+$/.test(host) };
  if (m[2] !== undefined) out.authorization = `Basic ${base64(percentDecode(m[2]))}`;
  return out;
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Base64 of a string's UTF-8 bytes (curl's Basic credentials). */
function base64(s: string): string {
  const bytes: number[] = [];
  const enc = encodeURIComponent(s);
  for (let i = 0; i < enc.length; i++) {
    if (enc[i] === '%') {
      bytes.push(parseInt(enc.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(enc.charCodeAt(i));
  }
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += A[(n >> 18) & 63]! + A[(n >> 12) & 63]! + (i + 1 < bytes.length ? A[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? A[n & 63]! : '=');
  }
  return out;
}


/** Resets request ids (each Cluster numbers its requests from 1). */
export class RequestIds {
  private n = 1;
  next(): number {
    return this.n++;
  }
}

/**
 * The client side of one request: resolve the URL's host (the external resolver, or cluster DNS
 * with the pod's search path when sent from a namespace), connect through the load balancer or
 * kube-proxy, send, and collect the response with every hop.
 */
export function* clientRequest(host: ClientHost, req: ClientRequest, id: number, rng: Rng): Generator<any, ClientResponse, any> {
  // Run as its own process: deadlines along the path interrupt that process.
  const self = host.env.activeProcess!;
  const env = host.env;
  const start = env.now;
  const url = host.urls.get(req.url);
  const hops: Hop[] | null = host.recordHops ? [] : null;
  const trace = host.trace;
  if (trace.active) trace.emit({ type: 'request.start', t: start, id, method: req.method ?? 'GET', url: req.url, ...(req.tag ? { tag: req.tag } : {}) });
  // Name resolution.
  let ip: string;
  let viaLoadBalancer = false;
  if (url.host === 'gateway') {
    ip = host.loadBalancerIp();
    viaLoadBalancer = true;
  } else if (url.ipLiteral) {
    ip = url.host;
    viaLoadBalancer = ip === host.loadBalancerIp();
  } else {
    const dnsStart = env.now;
    const r = req.fromNamespace !== undefined ? host.resolveInCluster(url.host, req.fromNamespace, env.now) : host.resolveExternal(url.host);
    const per = req.fromNamespace !== undefined ? host.latencies.dnsQuery : host.latencies.externalDns;
    let dnsMs = 0;
    for (let i = 0; i < r.roundTrips; i++) dnsMs += Math.max(0, per.sample(rng));
    if (dnsMs > 0) yield env.timeout(dnsMs);
    if (hops !== null) hops.push({ component: 'dns', name: url.host, startMs: dnsStart, endMs: env.now });
    if (trace.active) trace.emit({ type: 'dns.query', t: env.now, id, client: req.fromNamespace ? `pod in ${req.fromNamespace}` : 'external', name: url.host, answer: r.queries.join('; ') || (r.address ?? 'NXDOMAIN') });
    if (r.address === null) return finish(host, req, id, start, hops, 0, '', null, null, `Could not resolve host: ${url.host}`);
    ip = r.address;
    viaLoadBalancer = ip === host.loadBalancerIp();
  }

  let authority = url.authority;
  let headers: HttpHeaders;
  if (req.headers !== undefined) {
    headers = new HttpHeaders(req.headers);
    const h = headers.get('host');
    if (h !== undefined) {
      authority = h;
      headers.remove('host');
    }
    if (headers.getLower('user-agent') === undefined) headers.addLower('User-Agent', 'user-agent', 'curl/8.5.0');
    if (headers.getLower('accept') === undefined) headers.addLower('Accept', 'accept', '*/*');
  } else {
    headers = HttpHeaders.fromLines(CURL_HEADER_LINES);
  }
  // curl turns user:password@ into Basic credentials unless an Authorization header is given.
  if (url.authorization !== undefined && headers.getLower('authorization') === undefined) headers.addLower('Authorization', 'authorization', url.authorization);
  const source = req.fromNamespace !== undefined ? POD_CLIENT_ADDRESS : EXTERNAL_CLIENT_ADDRESS;
  const httpReq = new HttpRequestMessage(req.method === undefined ? 'GET' : req.method.toUpperCase(), url.scheme, authority, url.path, headers, req.body ?? '', source);

  const lbMs = viaLoadBalancer ? Math.max(0, host.latencies.clientToLoadBalancer.sample(rng)) : 0;
  const backend = host.pickBackend(ip, url.port, rng);
  const ctx = new RequestContext(id, self, hops);
  if (backend === null) {
    if (lbMs > 0) yield env.timeout(lbMs);
    return finish(host, req, id, start, hops, 0, '', null, null, `Failed to connect to ${url.host} port ${url.port}: Connection refused`);
  }
  const net = host.net;
  const outMs = net.delay() + lbMs;
  const handler = net.handlerAt(backend.ip, backend.port);
  if (handler === undefined) {
    yield env.timeout(outMs);
    return finish(host, req, id, start, hops, 0, '', null, ctx, `Failed to connect to ${url.host} port ${url.port}: Connection refused`);
  }
  let res: HttpResponse;
  try {
    // A call the process runs itself (engine/process.ts): no frame of ours between it and its events.
    res = (yield handler(httpReq, ctx, outMs)) as HttpResponse;
  } catch (err) {
    // The server it connected to (a gateway pod) restarted, or its node was lost, with the
    // request inside: curl's errors 56 and 28.
    if (!isConnectionReset(err, backend.ip)) throw err;
    return finish(host, req, id, start, hops, 0, '', null, ctx, err.cause.reason === 'timeout' ? 'Recv failure: Connection timed out' : 'Recv failure: Connection reset by peer');
  }
  yield env.timeout(net.delay());
  return finish(host, req, id, start, hops, res.status, res.body, res.headers, ctx);
}

/** A ClientResponse (a class, not a literal: see RequestContext in k8s/network.ts). */
class Response implements ClientResponse {
  // Assigned in ClientResponse's key order (what JSON output shows).
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly startMs: number;
  readonly endMs: number;
  readonly latencyMs: number;
  readonly revision: string | null;
  readonly pod: string | null;
  readonly hops: Hop[];
  declare error?: string;

  constructor(status: number, body: string, headers: Record<string, string>, startMs: number, endMs: number, servedBy: { readonly revision: string; readonly pod: string } | null, hops: Hop[]) {
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.startMs = startMs;
    this.endMs = endMs;
    this.latencyMs = endMs - startMs;
    this.revision = servedBy === null ? null : servedBy.revision;
    this.pod = servedBy === null ? null : servedBy.pod;
    this.hops = hops;
  }
}

function finish(
  host: ClientHost,
  req: ClientRequest,
  id: number,
  start: number,
  hops: Hop[] | null,
  status: number,
  body: string,
  headers: HttpHeaders | null,
  ctx: RequestContext | null,
  error?: string,
): ClientResponse {
  const now = host.env.now;
  const servedBy = ctx === null ? null : ctx.servedBy;
  const res = new Response(status, body, headers !== null ? headers.toRecord() : {}, start, now, servedBy, hops ?? []);
  if (error !== undefined) res.error = error;
  const trace = host.trace;
  if (trace.active) {
    trace.emit({ type: 'request.end', t: now, id, status, latencyMs: res.latencyMs, revision: res.revision, pod: res.pod, hops: res.hops, ...(error ? { error } : {}), ...(req.tag ? { tag: req.tag } : {}) });
  }
  return res;
}

