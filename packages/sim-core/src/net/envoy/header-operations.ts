import type { HeaderOperations } from '../../apis/istio/v1alpha3.js';
import type { HttpHeaders, HttpResponse } from '../http.js';

/**
 * Header operations as Envoy's HeaderParser applies them (envoy
 * source/common/router/header_parser.cc: remove, then set, then append), from the operations
 * Istio translates a VirtualService's `headers` into (istio/istio
 * pilot/pkg/networking/core/route/route.go translateHeadersOperations), compiled once.
 */

/** One HeaderOperations, ready to apply: Host and pseudo-headers dropped, names lower-cased once. */
export interface CompiledHeaderOps {
  readonly remove: readonly string[];
  /** (name, lower-case name, value), sorted by name (istiod emits map keys sorted). */
  readonly set: ReadonlyArray<readonly [string, string, string]>;
  readonly add: ReadonlyArray<readonly [string, string, string]>;
  /** A `set` of `:authority` or `Host`: the request's authority is rewritten. */
  readonly authority: string | undefined;
}

// Istio drops operations on pseudo-headers and Host (an authority `set` becomes a host rewrite).
const isInternalHeader = (k: string) => k.startsWith(':') || k.toLowerCase() === 'host';

function authoritySet(ops: HeaderOperations): string | undefined {
  for (const k of Object.keys(ops.set ?? {})) if (k.toLowerCase() === ':authority' || k.toLowerCase() === 'host') return ops.set![k];
  return undefined;
}

export function compileHeaderOperations(ops: HeaderOperations): CompiledHeaderOps {
  const sortedEntries = (rec: Record<string, string> | undefined) =>
    Object.keys(rec ?? {})
      .sort()
      .filter((k) => !isInternalHeader(k))
      .map((k) => [k, k.toLowerCase(), rec![k]!] as const);
  return { remove: (ops.remove ?? []).filter((k) => !isInternalHeader(k)), set: sortedEntries(ops.set), add: sortedEntries(ops.add), authority: authoritySet(ops) };
}

/**
 * Operations that only set distinct names, as flat (name, lower, value) triples (what
 * `HttpHeaders.cloneSetting` takes: the copy and the sets in one pass); else null.
 */
export function setsOnly(opsList: readonly CompiledHeaderOps[]): string[] | null {
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

export function applyCompiledHeaderOps(headers: HttpHeaders, c: CompiledHeaderOps): void {
  for (const k of c.remove) headers.remove(k);
  for (const [k, l, v] of c.set) headers.setLower(k, l, v);
  for (const [k, l, v] of c.add) headers.addLower(k, l, v);
}

/** Applies Istio header operations the way Envoy does: remove, then set, then add. */
export function applyHeaderOperations(headers: HttpHeaders, ops: HeaderOperations | undefined): void {
  if (ops !== undefined) applyCompiledHeaderOps(headers, compileHeaderOperations(ops));
}

/** Applies a forward decision's response header operations, in order, to the upstream's response. */
export function applyResponseHeaders(res: HttpResponse, ops: readonly CompiledHeaderOps[]): HttpResponse {
  if (ops.length === 0) return res;
  const headers = res.headers.clone();
  for (const o of ops) applyCompiledHeaderOps(headers, o);
  return { ...res, headers };
}
