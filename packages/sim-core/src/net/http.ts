const lowerNames = new Map<string, string>();
/** Never changed (not frozen: copying a frozen array takes a slow path). */
const NO_LINES: readonly string[] = [];

/** A header name's lower-case form, remembered: the same few names are looked up on every request. */
function lowerName(name: string): string {
  let l = lowerNames.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (lowerNames.size < 4096) lowerNames.set(name, l);
  }
  return l;
}

/** What `DeferredHeaderEdit.peek` answers for a name whose value needs the edit applied. */
export const APPLY_FIRST: unique symbol = Symbol('apply first');

/**
 * Header edits a proxy has decided on, applied when something needs the headers they give
 * (`HttpHeaders.defer`, `cloneDeferring`). `apply` must depend only on the headers it edits,
 * so applying it later, or to a copy, gives what applying it at once would have.
 */
export interface DeferredHeaderEdit {
  /**
   * A lookup through the edit: the value it sets for `lower`, null when it removes the name,
   * undefined when it leaves the name alone, APPLY_FIRST when the value needs it applied.
   */
  peek(lower: string): string | null | undefined | typeof APPLY_FIRST;
  apply(headers: HttpHeaders): void;
}

/** One deferred edit, then another (a copy made with `cloneDeferring` of headers that had one). */
class ChainedEdits implements DeferredHeaderEdit {
  constructor(
    private readonly first: DeferredHeaderEdit,
    private readonly second: DeferredHeaderEdit,
  ) {}

  peek(lower: string): string | null | undefined | typeof APPLY_FIRST {
    const v = this.second.peek(lower);
    return v !== undefined ? v : this.first.peek(lower);
  }

  apply(h: HttpHeaders): void {
    this.first.apply(h);
    this.second.apply(h);
  }
}

/** `src` without the names in `drop` and with each of `lines` set (appended, replacing any of their names). */
function edited(src: readonly string[], lines: readonly string[], drop: readonly string[]): string[] {
  const h: string[] = NO_LINES.slice();
  outer: for (let i = 0; i < src.length; i += 3) {
    const lower = src[i + 1]!;
    for (let d = 0; d < drop.length; d++) if (drop[d] === lower) continue outer;
    for (let l = 1; l < lines.length; l += 3) if (lines[l] === lower) continue outer;
    h.push(src[i]!, lower, src[i + 2]!);
  }
  for (let l = 0; l < lines.length; l++) h.push(lines[l]!);
  return h;
}

/**
 * What a Go reverse proxy on the request path (the activator's, queue-proxy's) does to the
 * request it forwards, deferred: drops the names in `drop`, sets the constant `lines` (flat
 * triples), and appends its peer to X-Forwarded-For (httputil.ReverseProxy). A lookup of a
 * name it sets or drops answers without applying it.
 */
export class ReverseProxyEdit implements DeferredHeaderEdit {
  constructor(
    private readonly lines: readonly string[],
    private readonly drop: readonly string[],
    private readonly peer: string | undefined,
  ) {}

  peek(lower: string): string | null | undefined | typeof APPLY_FIRST {
    if (lower === 'x-forwarded-for') return APPLY_FIRST;
    const lines = this.lines;
    for (let l = 1; l < lines.length; l += 3) if (lines[l] === lower) return lines[l + 1]!;
    for (let d = 0; d < this.drop.length; d++) if (this.drop[d] === lower) return null;
    return undefined;
  }

  apply(h: HttpHeaders): void {
    const xff = forwardedFor(h, this.peer);
    h.applyEditing(xff === undefined ? this.lines : [...this.lines, 'X-Forwarded-For', 'x-forwarded-for', xff], this.drop);
  }
}

/**
 * HTTP messages as they travel through the simulated data path. Header names are
 * case-insensitive, order is kept, and a name may repeat (Envoy's `add` appends a value).
 */
export class HttpHeaders {
  // One flat list of (name as written, lower-case name, value) triples: one array to copy per
  // hop, and names compared in lower case without lower-casing on every lookup.
  private h: string[];
  /** An edit not applied yet: lookups go through it, everything else applies it first. */
  private pending: DeferredHeaderEdit | null = null;

  /** `lines` (internal): flat (name, lower-case name, value) triples the new set takes as its own. */
  constructor(init?: HttpHeaders | Iterable<readonly [string, string]> | Record<string, string>, lines?: string[]) {
    if (lines !== undefined) {
      this.h = lines;
      return;
    }
    if (init instanceof HttpHeaders) {
      this.h = init.h.slice();
      this.pending = init.pending;
      return;
    }
    // Copied from an empty list rather than written `[]`: a literal is an allocation site V8
    // may move to the old generation (see RequestContext in k8s/network.ts).
    this.h = NO_LINES.slice();
    if (init === undefined) return;
    if (Symbol.iterator in (init as object)) {
      for (const [k, v] of init as Iterable<readonly [string, string]>) this.add(k, v);
      return;
    }
    const rec = init as Record<string, string>;
    for (const k in rec) if (Object.prototype.hasOwnProperty.call(rec, k)) this.add(k, rec[k]!);
  }

  /**
   * Applies `edit` when something needs what it writes, and not at all if nothing does: what a
   * proxy adds for its upstream (Envoy's x-request-id and X-Forwarded-*) costs nothing on a path
   * where no component or program reads those headers. Lookups of other names answer without
   * applying it; any other read, change or copy of the whole applies it first.
   */
  defer(edit: DeferredHeaderEdit): void {
    this.pending = this.pending === null ? edit : new ChainedEdits(this.pending, edit);
  }

  /** A copy with `edit` deferred on it (after this one's own deferred edit). */
  cloneDeferring(edit: DeferredHeaderEdit): HttpHeaders {
    const copy = new HttpHeaders(undefined, this.h.slice());
    copy.pending = this.pending === null ? edit : new ChainedEdits(this.pending, edit);
    return copy;
  }

  private settle(): void {
    const edit = this.pending!;
    this.pending = null;
    edit.apply(this);
  }

  /** The lines, with any deferred edit applied. */
  private lines(): string[] {
    if (this.pending !== null) this.settle();
    return this.h;
  }

  /** Number of header lines. */
  get size(): number {
    return this.lines().length / 3;
  }

  /** Index of the first triple with this lower-case name, or -1 (in the lines as they are: callers apply a deferred edit first). */
  private find(lower: string, from = 0): number {
    const h = this.h;
    for (let i = from; i < h.length; i += 3) if (h[i + 1] === lower) return i;
    return -1;
  }

  get(name: string): string | undefined {
    return this.getLower(lowerName(name));
  }

  /** `get` for a name already in lower case (the hot paths' constants). */
  getLower(lower: string): string | undefined {
    const p = this.pending;
    if (p !== null) {
      const v = p.peek(lower);
      if (v === APPLY_FIRST) this.settle();
      else if (v !== undefined) return v === null ? undefined : v;
    }
    const i = this.find(lower);
    return i < 0 ? undefined : this.h[i + 2];
  }

  getAll(name: string): string[] {
    const n = lowerName(name);
    const h = this.lines();
    const out: string[] = [];
    for (let i = 1; i < h.length; i += 3) if (h[i] === n) out.push(h[i + 1]!);
    return out;
  }

  has(name: string): boolean {
    return this.getLower(lowerName(name)) !== undefined;
  }

  set(name: string, value: string): void {
    this.setLower(name, lowerName(name), value);
  }

  /** `set` with the name's lower-case form given (precompiled header operations). */
  setLower(name: string, n: string, value: string): void {
    if (this.pending !== null) this.settle();
    const i = this.find(n);
    if (i < 0) {
      this.h.push(name, n, value);
      return;
    }
    this.h[i] = name;
    this.h[i + 2] = value;
    if (this.find(n, i + 3) >= 0) this.removeFrom(n, i + 3);
  }

  add(name: string, value: string): void {
    this.lines().push(name, lowerName(name), value);
  }

  /** `add` with the name's lower-case form given. */
  addLower(name: string, lower: string, value: string): void {
    this.lines().push(name, lower, value);
  }

  remove(name: string): void {
    this.removeLower(lowerName(name));
  }

  /** `remove` for a name already in lower case. */
  removeLower(lower: string): void {
    if (this.pending !== null) this.settle();
    if (this.find(lower) >= 0) this.removeFrom(lower, 0);
  }

  /** Drops every triple named `lower` at or after index `from`. */
  private removeFrom(lower: string, from: number): void {
    const h = this.h;
    let w = from;
    for (let r = from; r < h.length; r += 3) {
      if (h[r + 1] === lower) continue;
      h[w] = h[r]!;
      h[w + 1] = h[r + 1]!;
      h[w + 2] = h[r + 2]!;
      w += 3;
    }
    h.length = w;
  }

  entries(): Array<[string, string]> {
    const h = this.lines();
    const out: Array<[string, string]> = [];
    for (let i = 0; i < h.length; i += 3) out.push([h[i]!, h[i + 2]!]);
    return out;
  }

  clone(): HttpHeaders {
    return new HttpHeaders(this);
  }

  /**
   * A copy with each of `lines` set: flat (name, lower-case name, value) triples. When none of
   * the names is present (the usual case: Knative's Knative-Serving-* headers, the activator's
   * K-Proxy-Request) the lines are pushed onto the copy without looking each name up as `set`
   * would. (Copy and push: `concat` is slower for arrays this short.)
   */
  cloneSetting(lines: readonly string[]): HttpHeaders {
    let present = false;
    if (this.pending !== null) this.settle();
    for (let i = 1; i < lines.length && !present; i += 3) present = this.find(lines[i]!) >= 0;
    const h = this.h.slice();
    const copy = new HttpHeaders(undefined, h);
    if (present) for (let i = 0; i < lines.length; i += 3) copy.setLower(lines[i]!, lines[i + 1]!, lines[i + 2]!);
    else for (let i = 0; i < lines.length; i++) h.push(lines[i]!);
    return copy;
  }

  /**
   * A copy without the names in `drop` (lower case) and with each of `lines` set: one pass over
   * the headers, for a proxy that prunes and adds on every request.
   */
  cloneEditing(lines: readonly string[], drop: readonly string[]): HttpHeaders {
    return new HttpHeaders(undefined, edited(this.lines(), lines, drop));
  }

  /** `cloneEditing` in place. */
  applyEditing(lines: readonly string[], drop: readonly string[]): void {
    this.h = edited(this.lines(), lines, drop);
  }

  /** Headers from flat (name, lower-case name, value) triples (copied). */
  static fromLines(lines: readonly string[]): HttpHeaders {
    return new HttpHeaders(undefined, lines.slice());
  }

  /** Lower-case names, sorted; repeated names joined with ", " (for JSON output). */
  toRecord(): Record<string, string> {
    const h = this.lines();
    const out: Record<string, string> = {};
    const n = h.length / 3;
    if (n === 0) return out;
    // Responses carry a handful of headers: an insertion sort of their positions by name
    // (stable, so repeated names keep their order) costs less than building and sorting a map.
    const order = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const name = h[k * 3 + 1]!;
      let j = k;
      while (j > 0 && h[order[j - 1]! + 1]! > name) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = k * 3;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const name = h[i + 1]!;
      const v = h[i + 2]!;
      if (Object.prototype.hasOwnProperty.call(out, name)) out[name] = `${out[name]!}, ${v}`;
      else if (name === '__proto__') Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
      else out[name] = v;
    }
    return out;
  }
}

export interface HttpRequest {
  method: string;
  scheme: 'http' | 'https';
  /** :authority (the Host), possibly with a port. */
  authority: string;
  /** Path with the query string. */
  path: string;
  headers: HttpHeaders;
  body: string;
  /** The address of the peer that sent this request (Go's `Request.RemoteAddr`, Envoy's downstream address). */
  remoteAddr?: string;
}

/**
 * A request object made on the request path (a class, not a literal: see RequestContext in
 * k8s/network.ts).
 */
export class HttpRequestMessage implements HttpRequest {
  constructor(
    public method: string,
    public scheme: 'http' | 'https',
    public authority: string,
    public path: string,
    public headers: HttpHeaders,
    public body: string,
    public remoteAddr = '',
  ) {}
}

/** A copy of a request with its own headers. */
export function copyRequest(r: HttpRequest): HttpRequest {
  return new HttpRequestMessage(r.method, r.scheme, r.authority, r.path, r.headers.clone(), r.body, r.remoteAddr ?? '');
}

/**
 * The wall-clock time of simulated time 0: the `date` headers the simulated servers send are
 * this plus the virtual clock, so the same seed gives the same dates on any machine.
 */
export const SIMULATED_EPOCH_MS = Date.UTC(2026, 0, 1);

/** An HTTP `date` header value (Go's http.TimeFormat, RFC 7231 IMF-fixdate) for a simulated time, to the second. */
export class HttpDates {
  private second = -1;
  private text = '';

  at(nowMs: number): string {
    const s = Math.floor(nowMs / 1000);
    if (s !== this.second) {
      this.second = s;
      this.text = new Date(SIMULATED_EPOCH_MS + s * 1000).toUTCString();
    }
    return this.text;
  }
}

/**
 * X-Forwarded-For with the peer's address appended, as Go's httputil.ReverseProxy and Envoy
 * (use_remote_address) do: `client, proxy1, proxy2`; the header as it is when there is no peer.
 */
export function forwardedFor(headers: HttpHeaders, addr: string | undefined): string | undefined {
  const prior = headers.getLower('x-forwarded-for');
  if (addr === undefined || addr === '') return prior;
  return prior === undefined ? addr : `${prior}, ${addr}`;
}

/**
 * The headers the ingress sets to name the revision (activator.RevisionHeaders): the activator
 * removes them once read, and queue-proxy's reverse proxy prunes them.
 */
export const REVISION_HEADERS: readonly string[] = ['knative-serving-revision', 'knative-serving-namespace'];

export interface HttpResponse {
  status: number;
  body: string;
  headers: HttpHeaders;
  /** Envoy's response flag (NR, NC, UH, UF, UO, UT, DI, FI) when the gateway answered itself. */
  responseFlags?: string;
}

/** Splits a request path into the path proper and the query string (without '?'). */
export function splitPath(path: string): { path: string; query: string } {
  const i = path.indexOf('?');
  return i < 0 ? { path, query: '' } : { path: path.slice(0, i), query: path.slice(i + 1) };
}

/** `host:port` → `host` (IPv6 literals in brackets kept whole). */
export function hostWithoutPort(authority: string): string {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return end < 0 ? authority : authority.slice(0, end + 1);
  }
  const i = authority.lastIndexOf(':');
  return i < 0 ? authority : authority.slice(0, i);
}

/** One `key[=value]` pair of a query string, raw (as sent) and percent-decoded. */
export interface QueryParam {
  rawKey: string;
  rawValue: string;
  key: string;
  value: string;
  /** Whether the pair had an `=` (`?key` and `?key=` both give value ""). */
  hasValue: boolean;
}

function decodeComponent(s: string): string {
  try {
    // Form encoding: '+' is a space in query strings.
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is kept as sent, as Envoy's query parser does.
    return s;
  }
}

/** Every `&`-separated pair of a query string (without '?'), in order; empty pairs are skipped. */
export function parseQuery(query: string): QueryParam[] {
  const out: QueryParam[] = [];
  if (query === '') return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    out.push({ rawKey, rawValue, key: decodeComponent(rawKey), value: decodeComponent(rawValue), hasValue: eq >= 0 });
  }
  return out;
}

/** Decoded values of one query parameter, in order (empty when absent). */
export function queryValues(query: string, key: string): string[] {
  return parseQuery(query)
    .filter((p) => p.key === key)
    .map((p) => p.value);
}

/** The port of an authority (`host:port`), or undefined when none is given. */
export function portOf(authority: string): number | undefined {
  const host = hostWithoutPort(authority);
  if (host.length === authority.length) return undefined;
  const n = Number(authority.slice(host.length + 1));
  return Number.isInteger(n) ? n : undefined;
}
