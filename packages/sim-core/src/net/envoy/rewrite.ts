import type { HTTPMatchRequest, HTTPRoute } from '../../apis/istio/v1alpha3.js';
import { compileRe2 } from '../../apis/istio/re2.js';

/**
 * Path rewrites: Envoy's prefix_rewrite and regex_rewrite (envoy
 * source/common/router/config_impl.cc RouteEntryImplBase::finalizePathHeader), as Istio emits
 * them for an HTTPRewrite (istio/istio pilot/pkg/networking/core/route/route.go: a `uri` rewrite
 * becomes prefix_rewrite, or a full-path regex rewrite for an exact or regex match).
 * The path only: the query string is kept by the caller.
 */

export type PathRewrite = (path: string) => string;

/** The route's path rewrite, decided once; null when it does not touch the path. */
export function compilePathRewrite(http: HTTPRoute, match: HTTPMatchRequest | undefined): PathRewrite | null {
  const rw = http.rewrite;
  if (rw?.uri !== undefined) {
    const to = rw.uri;
    const uri = match?.uri;
    if (uri?.exact !== undefined) return () => to;
    if (uri?.prefix !== undefined) {
      const n = uri.prefix.length;
      return (path) => to + path.slice(n);
    }
    // [U] a regex uri match with a uri rewrite: Istio replaces the whole path.
    if (uri?.regex !== undefined) return () => to;
    // No uri match: Envoy's implicit prefix is "/", so `/foo` becomes `<uri>foo`.
    return (path) => to + path.slice(1);
  }
  if (rw?.uriRegexRewrite !== undefined) {
    const c = compileRe2(rw.uriRegexRewrite.match);
    if (!c.ok) return null;
    // RE2 GlobalReplace: every match, `\N` for capture groups.
    const regex = c.regex;
    const sub = rw.uriRegexRewrite.rewrite;
    return (path) => regex.replaceAll(path, sub);
  }
  return null;
}

/** A path as the route's rewrite leaves it (compiled for this call). */
export function rewritePath(http: HTTPRoute, match: HTTPMatchRequest | undefined, path: string): string {
  const rw = compilePathRewrite(http, match);
  return rw === null ? path : rw(path);
}
