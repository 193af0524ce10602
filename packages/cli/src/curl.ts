import type { Cluster, ClientRequest, ClientResponse, Event, KnsimTraceEvent } from '@knsim/sim-core';
import { latencySummary, sortedRecord, type CurlOutput } from '@knsim/report';
import { EXIT_FAILED, EXIT_OK, UserError } from './errors.js';
import { buildCluster } from './cluster-from-files.js';
import { parseHeader } from './options.js';
import { withMagicDomain } from './magic-dns.js';

export { readManifest } from './cluster-from-files.js';

export interface CurlOptions {
  file: string[];
  header: string[];
  request?: string;
  data?: string;
  count: number;
  rps?: number;
  after: number;
  seed: number;
  set: string[];
  latency?: string[];
  json?: boolean;
  verbose?: boolean;
  fromPod?: string;
  readyTimeout: number;
  /** curl's `--max-time`, in ms: a request not answered by then counts as timed out (exit 28). */
  maxTimeMs?: number;
  /** curl's `-L`: follow redirects (at most 50, curl's --max-redirs default). */
  location?: boolean;
  /** curl's `--resolve HOST:PORT:ADDR`. */
  resolve?: string[];
  /** Collects the run's trace (from the cluster's creation) for -v and --trace. */
  trace?: KnsimTraceEvent[];
}

/** curl's exit codes knsim adopts where its own (0, 1 for a 5xx or no answer, 2 for a mistake) don't decide. */
export const CURL_EXIT = { couldNotResolve: 6, timedOut: 28, httpError: 22, writeError: 23 } as const;

const MAX_REDIRS = 50;

/** `--resolve HOST:PORT:ADDR` → a URL rewriter: the request goes to ADDR, with Host HOST (and the port when it is not 80). */
export function parseResolve(entries: readonly string[]): (url: URL) => { url: string; host?: string } {
  const rules = entries.map((e) => {
    const m = /^(\[[^\]]+\]|[^:]+):(\*|\d+):(.+)$/.exec(e);
    if (m === null) throw new UserError(`--resolve takes HOST:PORT:ADDRESS (for example example.com:80:gateway), got ${JSON.stringify(e)}`);
    return { host: m[1]!.toLowerCase(), port: m[2]!, addr: m[3]!.replace(/^\[|\]$/g, '') };
  });
  return (url) => {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const r = rules.find((x) => (x.host === '*' || x.host === url.hostname.toLowerCase()) && (x.port === '*' || x.port === port));
    if (r === undefined) return { url: url.href };
    const to = new URL(url.href);
    to.hostname = r.addr;
    return { url: to.href, host: url.host };
  };
}

function checkedUrl(u: string): URL {
  try {
    const url = new URL(u);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url;
  } catch {
    throw new UserError(`URL rejected: ${JSON.stringify(u)} is not an http:// or https:// URL (knsim curl http://hello.default.example.com/)`);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * `knsim curl`: a fresh cluster, each -f file applied in order and waited on until every
 * Knative object is Ready, then COUNT requests (one after another, or at --rps). Each response
 * is handed to `onResponse` in order as it arrives, so nothing is kept that the caller does not keep.
 */
export function runCurl(url: string, o: CurlOptions, onResponse: (r: ClientResponse, index: number) => void): { applied: number; cluster: Cluster } {
  const headers = o.header.map(parseHeader);
  const first = checkedUrl(url);
  const resolve = parseResolve(o.resolve ?? []);
  if (o.maxTimeMs !== undefined && !(o.maxTimeMs > 0)) throw new UserError(`--max-time must be > 0 seconds`);
  const trace = o.trace;
  // A Magic DNS URL (NAME.NS.1.2.3.4.sslip.io) makes its domain the cluster's, as Knative's default-domain job does.
  const magic = withMagicDomain(url, o.set);
  if (magic.note !== undefined) process.stderr.write(magic.note);
  const opts = { ...o, set: magic.sets };
  const { cluster, applied } = buildCluster(trace === undefined ? opts : { ...opts, onCluster: (c) => c.trace.on('*', (e) => trace.push(e)) });
  const method0 = o.request ?? (o.data !== undefined ? 'POST' : 'GET');

  const request = (target: URL, method: string, withBody: boolean): ClientRequest => {
    const r = resolve(target);
    const hs: Array<[string, string]> = [...headers];
    if (r.host !== undefined && !hs.some(([k]) => k.toLowerCase() === 'host')) hs.push(['Host', r.host]);
    return { url: r.url, method, headers: hs, ...(withBody && o.data !== undefined ? { body: o.data } : {}), ...(o.fromPod !== undefined ? { fromNamespace: o.fromPod } : {}) };
  };

  /** Runs until the event is processed or the deadline passes, whichever is first (no extra events scheduled). */
  const awaitResponse = (ev: Event<ClientResponse>, startMs: number): ClientResponse => {
    if (o.maxTimeMs === undefined) return cluster.runUntilDone(ev);
    const deadline = startMs + o.maxTimeMs;
    const env = cluster.env;
    while (!ev.processed && env.pending > 0 && env.peek() <= deadline) env.step();
    if (ev.processed) return ev.value;
    cluster.runUntil(Math.max(env.now, deadline));
    return { status: 0, body: '', headers: {}, startMs, endMs: deadline, latencyMs: o.maxTimeMs, revision: null, pod: null, hops: [], error: `Operation timed out after ${Math.round(o.maxTimeMs)} milliseconds with 0 bytes received` };
  };

  /** With -L, the redirects a response leads to, sent one after another; the result spans them all. */
  const follow = (res: ClientResponse, target: URL, method: string, startMs: number): ClientResponse => {
    let r = res;
    let at = target;
    let m = method;
    const hops = [...r.hops];
    let redirects = 0;
    while (o.location && REDIRECTS.has(r.status) && r.headers.location !== undefined && redirects < MAX_REDIRS) {
      at = new URL(r.headers.location, at);
      // curl turns a POST into a GET on 301, 302 and 303, as browsers do.
      if (r.status === 303 || ((r.status === 301 || r.status === 302) && m === 'POST')) m = 'GET';
      redirects++;
      const t0 = cluster.now;
      r = awaitResponse(cluster.send(request(at, m, m !== 'GET')), t0);
      hops.push(...r.hops);
    }
    if (redirects === 0) return res;
    return { ...r, startMs, latencyMs: r.endMs - startMs, hops, headers: { ...r.headers }, ...(redirects > 0 ? { redirects, effectiveUrl: at.href } : {}) } as ClientResponse;
  };

  if (o.rps === undefined) {
    for (let i = 0; i < o.count; i++) {
      const t0 = cluster.now;
      const r = awaitResponse(cluster.send(request(first, method0, true)), t0);
      onResponse(follow(r, first, method0, t0), i);
    }
  } else {
    if (!(o.rps > 0)) throw new UserError(`--rps must be > 0, got ${o.rps}`);
    const gap = 1000 / o.rps;
    const start = cluster.now;
    // In flight, oldest first; answered ones are handed on in order as soon as they are at the front.
    const pending: Array<{ ev: Event<ClientResponse>; t0: number }> = [];
    let next = 0;
    const drain = (all: boolean) => {
      while (pending.length > 0) {
        const p = pending[0]!;
        const late = o.maxTimeMs !== undefined && cluster.now >= p.t0 + o.maxTimeMs;
        if (!all && !p.ev.processed && !late) return;
        pending.shift();
        onResponse(follow(awaitResponse(p.ev, p.t0), first, method0, p.t0), next++);
      }
    };
    for (let i = 0; i < o.count; i++) {
      cluster.runUntil(start + i * gap);
      drain(false);
      pending.push({ ev: cluster.send(request(first, method0, true)), t0: cluster.now });
    }
    drain(true);
  }
  return { applied, cluster };
}

/** curl's exit code for the responses seen: a missing answer first (6, 28, else 1), then a 5xx (1), then with --fail a 4xx (22). */
export class CurlExit {
  private resolveFailed = false;
  private timedOut = false;
  private noAnswer = false;
  private serverError = false;
  private clientError = false;

  see(r: ClientResponse): void {
    if (r.status === 0) {
      if (r.error?.startsWith('Could not resolve host')) this.resolveFailed = true;
      else if (r.error?.startsWith('Operation timed out')) this.timedOut = true;
      else this.noAnswer = true;
    } else if (r.status >= 500) this.serverError = true;
    else if (r.status >= 400) this.clientError = true;
  }

  code(fail: boolean): number {
    if (this.resolveFailed) return CURL_EXIT.couldNotResolve;
    if (this.timedOut) return CURL_EXIT.timedOut;
    if (this.noAnswer || this.serverError) return EXIT_FAILED;
    if (fail && this.clientError) return CURL_EXIT.httpError;
    return EXIT_OK;
  }
}

/**
 * The `summary` of `knsim curl --json`, built one response at a time: what `makeCurlOutput`
 * computes from the whole list, without keeping the list (only the latencies, 8 bytes each, for
 * exact percentiles).
 */
export class CurlSummaryBuilder {
  private count = 0;
  private readonly byStatus = new Map<string, number>();
  private readonly byRevision = new Map<string, number>();
  private readonly byBody = new Map<string, number>();
  private latencies = new Float64Array(1024);

  add(r: Pick<ClientResponse, 'status' | 'revision' | 'body' | 'latencyMs'>): void {
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = r.latencyMs;
    const inc = (m: Map<string, number>, k: string | null | undefined) => {
      if (k !== null && k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
    };
    inc(this.byStatus, String(r.status));
    inc(this.byRevision, r.revision);
    inc(this.byBody, r.body);
  }

  summary(): CurlOutput['summary'] {
    const { p50, p90, p99, max } = latencySummary(Array.from(this.latencies.subarray(0, this.count)));
    return { count: this.count, byStatus: sortedRecord(this.byStatus), byRevision: sortedRecord(this.byRevision), byBody: sortedRecord(this.byBody), latencyMs: { p50, p90, p99, max } };
  }
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The response's status line and headers as `curl -i` prints them (CRLF line ends, a blank line after). */
export function headerBlock(r: ClientResponse): string {
  let s = `HTTP/1.1 ${r.status} ${REASONS[r.status] ?? ''}`.trimEnd() + '\r\n';
  for (const [k, v] of Object.entries(r.headers)) s += `${k}: ${v}\r\n`;
  return s + '\r\n';
}

const seconds = (ms: number) => (ms / 1000).toFixed(6);

/**
 * curl's `-w FORMAT` for one response: `%{http_code}`, `%{time_total}`, `%{time_starttransfer}`,
 * `%{time_namelookup}` (simulated seconds), `%{num_redirects}`, `%{url_effective}`,
 * `%{size_download}`, `%{content_type}`, `%%`, and the escapes `\n`, `\t`, `\r`, `\\`.
 * The simulated response arrives whole, so its first byte comes when it ends.
 */
export function writeOut(format: string, r: ClientResponse, url: string): { text: string; unknown: string[] } {
  const x = r as ClientResponse & { redirects?: number; effectiveUrl?: string };
  const dns = r.hops.find((h) => h.component === 'dns');
  const vars: Record<string, string> = {
    http_code: String(r.status).padStart(3, '0'),
    response_code: String(r.status).padStart(3, '0'),
    time_total: seconds(r.latencyMs),
    time_starttransfer: seconds(r.latencyMs),
    time_namelookup: seconds(dns ? dns.endMs - dns.startMs : 0),
    num_redirects: String(x.redirects ?? 0),
    url_effective: x.effectiveUrl ?? url,
    size_download: String(Buffer.byteLength(r.body)),
    content_type: r.headers['content-type'] ?? '',
  };
  const unknown: string[] = [];
  const text = format.replace(/%\{([a-z_]+)\}|%%|\\([ntr\\])/g, (m, name: string | undefined, esc: string | undefined) => {
    if (m === '%%') return '%';
    if (esc !== undefined) return esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : '\\';
    if (name! in vars) return vars[name!]!;
    unknown.push(name!);
    return '';
  });
  return { text, unknown };
}
