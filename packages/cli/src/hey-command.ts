import { readFileSync } from 'node:fs';
import { startClosedLoop, type ClientRequest, type ClientResponse, type Cluster } from '@knsim/sim-core';
import { HeyStats, HEY_CSV_HEADER, formatHey, heyCsvRow, heyJson, type HeyJson, type HeyResult } from '@knsim/report';
import { EXIT_FAILED, EXIT_OK, UserError } from './errors.js';
import { buildCluster } from './cluster-from-files.js';
import { withMagicDomain } from './magic-dns.js';
import { writeAllSync } from './write-sync.js';

/** What commander hands the hey action: hey's flags (by their letters) and the cluster's. */
export interface HeyFlags {
  n: number;
  c: number;
  q: number;
  z?: number;
  o?: string;
  m: string;
  H: string[];
  t: number;
  A?: string;
  d?: string;
  D?: string;
  T: string;
  U?: string;
  a?: string;
  x?: string;
  h2?: boolean;
  host?: string;
  disableCompression?: boolean;
  disableKeepalive?: boolean;
  disableRedirects?: boolean;
  cpus?: string;
  file: string[];
  after: number;
  seed: number;
  set: string[];
  latency: string[];
  readyTimeout: number;
  json?: boolean;
}

/** hey's User-Agent (hey.go's heyUA). */
const HEY_UA = 'hey/0.0.1';
/** Go's http.Client follows at most 10 redirects (client.go's defaultCheckRedirect). */
const MAX_REDIRECTS = 10;
/** knsim's limits (docs/limits.md): as `curl -n`, a scenario's closed-loop users, and `curl --rps`. */
export const HEY_LIMITS = { requests: 10_000_000, workers: 100_000, qps: 1_000_000 } as const;

/** hey.go's headerRegexp and authRegexp. */
const HEADER_RE = /^([\w-]+):\s*(.+)/;
const AUTH_RE = /^(.+):([^\s].+)/;

/** net/http's validMethod: a token. */
const METHOD_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** textproto.CanonicalMIMEHeaderKey: `content-type` → `Content-Type`. */
function canonicalKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The hey flags knsim cannot give an effect, each with why: refused before anything runs. */
function refuse(o: HeyFlags): void {
  if (o.x !== undefined) throw new UserError('-x: knsim models no HTTP proxy between hey and the cluster; drop -x');
  if (o.h2) throw new UserError("-h2: knsim's client speaks HTTP/1.1 (it models no HTTP/2 connections); drop -h2");
  if (o.disableKeepalive) throw new UserError('-disable-keepalive: knsim models no client TCP connections (every request costs the same network time either way), so it would have no effect; drop it');
  if (o.cpus !== undefined) throw new UserError("-cpus: sets how many cores the real hey runs on; knsim's requests cost no real time, so it would have no effect; drop it");
  if (o.o !== undefined && o.o !== 'csv') throw new UserError(`-o: only csv is supported (hey runs any other value as a Go template, which knsim does not), got ${JSON.stringify(o.o)}`);
  if (o.json && o.o === 'csv') throw new UserError('--json prints one JSON document: -o csv does not apply to it');
}

/** hey.go's checks of -n and -c, in its words, then knsim's limits. */
function checkCounts(o: HeyFlags): void {
  if (o.z !== undefined && o.z > 0) {
    if (o.c <= 0) throw new UserError('-c cannot be smaller than 1.');
  } else {
    if (o.n <= 0 || o.c <= 0) throw new UserError('-n and -c cannot be smaller than 1.');
    if (o.n < o.c) throw new UserError('-n cannot be less than -c.');
    if (o.n > HEY_LIMITS.requests) throw new UserError(`-n must be <= ${HEY_LIMITS.requests} (knsim's limit, docs/limits.md), got ${o.n}`);
  }
  if (o.c > HEY_LIMITS.workers) throw new UserError(`-c must be <= ${HEY_LIMITS.workers} workers (knsim's limit, docs/limits.md), got ${o.c}`);
  if (o.q < 0) throw new UserError(`-q must be >= 0 (0: no rate limit), got ${o.q}`);
  // hey's ticker period is 1e6/q whole microseconds: above a million it is 0, and Go's time.Tick(0) never ticks.
  if (o.q > HEY_LIMITS.qps) throw new UserError(`-q must be <= ${HEY_LIMITS.qps} per worker (hey's ticker period, 1e6/q microseconds, would be 0), got ${o.q}`);
  if (o.t < 0) throw new UserError(`-t must be >= 0 seconds (0: no timeout), got ${o.t}`);
}

function checkedUrl(u: string): URL {
  try {
    const url = new URL(u);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new UserError(`URL rejected: ${JSON.stringify(u)} is not an http:// or https:// URL (knsim hey -z 10s http://hello.default.example.com/)`);
}

/** The request hey.go builds: its headers in the order Go's Request.Write sends them. */
function buildRequest(url: string, o: HeyFlags): { request: ClientRequest; method: string; body: string } {
  const method = o.m.toUpperCase();
  if (!METHOD_RE.test(method)) throw new UserError(`-m: net/http: invalid method ${JSON.stringify(o.m)}`);
  const header = new Map<string, string>();
  header.set('Content-Type', o.T);
  for (const h of o.H) {
    const m = HEADER_RE.exec(h);
    if (m === null) throw new UserError(`-H: could not parse the provided input; input = ${h}`);
    const key = canonicalKey(m[1]!);
    // Go's client writes the Host line from the request's Host, never from its header map.
    if (key === 'Host') throw new UserError(`-H ${JSON.stringify(h)}: hey (Go's net/http) ignores a Host header; use -host ${m[2]}`);
    header.set(key, m[2]!);
  }
  if (o.A !== undefined && o.A !== '') header.set('Accept', o.A);
  if (o.a !== undefined && o.a !== '') {
    const m = AUTH_RE.exec(o.a);
    if (m === null) throw new UserError(`-a: could not parse the provided input; input = ${o.a}`);
    header.set('Authorization', `Basic ${Buffer.from(`${m[1]}:${m[2]}`).toString('base64')}`);
  }
  let body = o.d ?? '';
  if (o.D !== undefined && o.D !== '') {
    try {
      body = readFileSync(o.D, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`-D ${o.D}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
    }
  }
  const given = header.get('User-Agent');
  let ua = given === undefined || given === '' ? HEY_UA : `${given} ${HEY_UA}`;
  if (o.U !== undefined && o.U !== '') ua = `${o.U} ${HEY_UA}`;
  header.delete('User-Agent');
  // Request.Write: Host, User-Agent, then the header map sorted by key; the transport adds
  // Accept-Encoding: gzip unless -disable-compression (or the request names an encoding or a range).
  const headers: Array<[string, string]> = [];
  if (o.host !== undefined && o.host !== '') headers.push(['Host', o.host]);
  headers.push(['User-Agent', ua]);
  for (const k of [...header.keys()].sort()) headers.push([k, header.get(k)!]);
  if (!o.disableCompression && !header.has('Accept-Encoding') && !header.has('Range') && method !== 'HEAD') headers.push(['Accept-Encoding', 'gzip']);
  return { request: { url, method, headers, ...(body !== '' ? { body } : {}) }, method, body };
}

/** Go's url.Error: `Get "http://…": …` (client.go's urlErrorOp: the method with only its first letter upper case). */
function goError(method: string, url: string, err: string): string {
  const op = method === '' ? 'Get' : method[0] + method.slice(1).toLowerCase();
  return `${op} ${JSON.stringify(url)}: ${err}`;
}

/** What Go says for a request knsim's client got no answer to. */
function goTransportError(cluster: Cluster, r: ClientResponse, url: URL): string {
  const e = r.error ?? '';
  if (e.startsWith('Operation timed out')) return 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
  if (e.startsWith('Could not resolve host')) return `dial tcp: lookup ${url.hostname}: no such host`;
  if (e.startsWith('Failed to connect')) {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const ip = /^\d+\.\d+\.\d+\.\d+$/.test(url.hostname) ? url.hostname : url.hostname === 'gateway' ? null : cluster.resolveExternal(url.hostname).address;
    return `dial tcp ${ip ?? url.hostname}:${port}: connect: connection refused`;
  }
  return e;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Go's http.Client redirect policy (client.go): 301, 302 and 303 become a GET without a body,
 * 307 and 308 keep the method and body (not followed when the body cannot be sent again, as
 * hey's cannot); a custom Host survives only a relative Location; Authorization is dropped for
 * another host; the 11th redirect is an error.
 */
function redirectPolicy(o: HeyFlags, body: string) {
  return (res: ClientResponse, sent: ClientRequest, redirects: number): ClientRequest | ClientResponse | undefined => {
    if (o.disableRedirects || !REDIRECTS.has(res.status)) return undefined;
    const loc = res.headers.location;
    if (loc === undefined || loc === '') return undefined;
    const keep = res.status === 307 || res.status === 308;
    if (keep && body !== '') return undefined;
    let to: URL;
    try {
      to = new URL(loc, sent.url);
    } catch {
      return undefined;
    }
    if (redirects >= MAX_REDIRECTS) return { ...res, status: 0, error: `stopped after ${MAX_REDIRECTS} redirects` };
    const from = new URL(sent.url);
    const relative = !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(loc);
    const headers = (sent.headers as Array<[string, string]>).filter(([k]) => {
      if (k === 'Host') return relative;
      if (k === 'Authorization') return to.host === from.host;
      return true;
    });
    const method = keep ? (sent.method ?? 'GET') : sent.method === 'HEAD' ? 'HEAD' : 'GET';
    return { url: to.href, method, headers, ...(keep && sent.body !== undefined ? { body: sent.body } : {}) };
  };
}

/** Each revision's ready pods at the end, and the most it had during the load. */
function revisionPods(cluster: Cluster, before: Map<string, { max: number; ready: number }>, t0: number): HeyJson['revisions'] {
  const out: HeyJson['revisions'] = {};
  const all = cluster.revisions();
  const names = new Map<string, number>();
  for (const rv of all) names.set(rv.name, (names.get(rv.name) ?? 0) + 1);
  for (const rv of all) {
    const key = `${rv.namespace}/${rv.name}`;
    const b = before.get(key) ?? { max: 0, ready: 0 };
    const readyAtEnd = rv.readyPods.length;
    // The revision's running maximum is exact when the load raised it; otherwise the samples taken during the load.
    let max = Math.max(b.ready, readyAtEnd);
    if (rv.maxReadyPods > b.max) max = rv.maxReadyPods;
    else for (const s of rv.timeline) if (s.tMs >= t0 && s.readyPods > max) max = s.readyPods;
    out[names.get(rv.name)! > 1 ? key : rv.name] = { readyPodsAtEnd: readyAtEnd, maxReadyPods: max };
  }
  return out;
}

/**
 * `knsim hey`: a fresh cluster built from the -f files, then hey's load: -c workers, each sending
 * its next request when its last is answered (and at most -q a second), -n/-c requests each or
 * for -z; then hey's report (or its CSV, as the answers arrive; or one JSON document). Returns the
 * exit code: 1 when a request got a 5xx or no answer, as `knsim curl`.
 */
export function runHey(url: string, o: HeyFlags): number {
  refuse(o);
  checkCounts(o);
  const target = checkedUrl(url);
  const { request, method, body } = buildRequest(url, o);
  const magic = withMagicDomain(url, o.set);
  if (magic.note !== undefined) process.stderr.write(magic.note);
  const { cluster, applied } = buildCluster({ file: o.file, seed: o.seed, set: magic.sets, latency: o.latency, after: o.after, readyTimeout: o.readyTimeout });

  const before = new Map<string, { max: number; ready: number }>();
  for (const rv of cluster.revisions()) before.set(`${rv.namespace}/${rv.name}`, { max: rv.maxReadyPods, ready: rv.readyPods.length });

  const stats = new HeyStats();
  const csv = o.o === 'csv';
  const out = (s: string) => writeAllSync(1, s, EXIT_FAILED);
  if (csv) out(HEY_CSV_HEADER);
  const t0 = cluster.now;
  let bad = false;
  let saw404Empty = false;
  const duration = o.z !== undefined && o.z > 0 ? o.z : undefined;
  const done = startClosedLoop(cluster, {
    users: o.c,
    request,
    ...(duration !== undefined ? { durationMs: duration } : { requestsPerUser: Math.trunc(o.n / o.c) }),
    // hey's ticker: time.Duration(1e6/q) * time.Microsecond, whole microseconds.
    ...(o.q > 0 ? { tickUs: Math.trunc(1e6 / o.q) } : {}),
    ...(o.t > 0 ? { timeoutMs: o.t * 1000 } : {}),
    follow: redirectPolicy(o, body),
    onResponse: (r) => {
      const seconds = r.latencyMs / 1000;
      let dns = 0;
      for (const h of r.hops) if (h.component === 'dns') dns += h.endMs - h.startMs;
      dns /= 1000;
      const cl = r.headers['content-length'];
      const res: HeyResult = {
        status: r.status,
        duration: seconds,
        // knsim models no TCP handshake: dialling is the name lookup alone; a simulated request is
        // written at once and its answer arrives whole, so the wait is everything after the lookup.
        conn: dns,
        dns,
        req: 0,
        delay: Math.max(0, seconds - dns),
        res: 0,
        contentLength: cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : -1,
        offset: (r.startMs - t0) / 1000,
      };
      if (r.status === 0) res.error = goError(method, url, r.error?.startsWith('stopped after') ? r.error : goTransportError(cluster, r, target));
      if (r.status === 0 || r.status >= 500) bad = true;
      if (r.status === 404 && r.body === '') saw404Empty = true;
      if (stats.add(res) && csv) out(heyCsvRow(res));
    },
  });
  cluster.env.run({ until: done });
  const report = stats.report((cluster.now - t0) / 1000);
  const revisions = revisionPods(cluster, before, t0);
  if (o.json) out(JSON.stringify(heyJson(report, revisions), null, 2) + '\n');
  else {
    out(csv ? '\n' : formatHey(report));
    for (const [name, p] of Object.entries(revisions)) process.stderr.write(`knsim: revision ${name}: ${p.readyPodsAtEnd} ready pod(s) at the end, at most ${p.maxReadyPods} during the load\n`);
  }
  if (saw404Empty && applied === 0) process.stderr.write('knsim: 404 with an empty body: no manifest was applied (give -f FILE), so the gateway has no route for this host\n');
  return bad ? EXIT_FAILED : EXIT_OK;
}
