/**
 * HTTP messages as they travel through the simulated data path. Header names are
 * case-insensitive, order is kept, and a name may repeat (Envoy's `add` appends a value).
 */
export class HttpHeaders {
  // Parallel arrays: names as written, their lower-case forms (compared once, not per lookup), values.
  private names: string[];
  private lower: string[];
  private values: string[];

  constructor(init?: HttpHeaders | Iterable<readonly [string, string]> | Record<string, string>) {
    if (init instanceof HttpHeaders) {
      this.names = init.names.slice();
      this.lower = init.lower.slice();
      this.values = init.values.slice();
      return;
    }
    this.names = [];
    this.lower = [];
    this.values = [];
    if (init === undefined) return;
    if (Symbol.iterator in (init as object)) {
      for (const [k, v] of init as Iterable<readonly [string, string]>) this.add(k, v);
      return;
    }
    const rec = init as Record<string, string>;
    for (const k in rec) if (Object.prototype.hasOwnProperty.call(rec, k)) this.add(k, rec[k]!);
  }

  /** Number of header lines. */
  get size(): number {
    return this.names.length;
  }

  get(name: string): string | undefined {
    const i = this.lower.indexOf(name.toLowerCase());
    return i < 0 ? undefined : this.values[i];
  }

  getAll(name: string): string[] {
    const n = name.toLowerCase();
    const out: string[] = [];
    for (let i = 0; i < this.lower.length; i++) if (this.lower[i] === n) out.push(this.values[i]!);
    return out;
  }

  has(name: string): boolean {
    return this.lower.indexOf(name.toLowerCase()) >= 0;
  }

  set(name: string, value: string): void {
    const n = name.toLowerCase();
    const i = this.lower.indexOf(n);
    if (i < 0) {
      this.add(name, value);
      return;
    }
    this.names[i] = name;
    this.values[i] = value;
    for (let j = this.lower.length - 1; j > i; j--) if (this.lower[j] === n) this.removeAt(j);
  }

  add(name: string, value: string): void {
    this.names.push(name);
    this.lower.push(name.toLowerCase());
    this.values.push(value);
  }

  remove(name: string): void {
    const n = name.toLowerCase();
    for (let j = this.lower.length - 1; j >= 0; j--) if (this.lower[j] === n) this.removeAt(j);
  }

  private removeAt(j: number): void {
    this.names.splice(j, 1);
    this.lower.splice(j, 1);
    this.values.splice(j, 1);
  }

  entries(): Array<[string, string]> {
    return this.names.map((k, i) => [k, this.values[i]!]);
  }

  clone(): HttpHeaders {
    return new HttpHeaders(this);
  }

  /** Lower-case names, sorted; repeated names joined with ", " (for JSON output). */
  toRecord(): Record<string, string> {
    const lower = this.lower;
    const n = lower.length;
    const out: Record<string, string> = {};
    if (n === 0) return out;
    // Responses carry a handful of headers: an insertion sort of their indices by name (stable,
    // so repeated names keep their order) costs less than building and sorting a map.
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      let j = order.length;
      while (j > 0 && lower[order[j - 1]!]! > lower[i]!) j--;
      order.splice(j, 0, i);
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const name = lower[i]!;
      const prev = out[name];
      out[name] = prev === undefined ? this.values[i]! : `${prev}, ${this.values[i]!}`;
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
}

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
