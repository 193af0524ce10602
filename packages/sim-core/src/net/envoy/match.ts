import type { HTTPMatchRequest, StringMatch } from '../../apis/istio/v1alpha3.js';
import { compileRe2 } from '../../apis/istio/re2.js';
import { parseQuery, type HttpRequest } from '../http.js';

/**
 * Route matching, compiled once per route configuration into plain tests: Envoy's
 * RouteEntryImplBase::matchRoute (envoy source/common/router/config_impl.cc) over the match
 * Istio generates from an HTTPMatchRequest (istio/istio pilot/pkg/networking/core/route/route.go
 * TranslateRouteMatch): path, header and query parameter matchers, all of which must pass.
 */

/** A test of one value (a header, the path, a query parameter); `undefined` is an absent value. */
export type ValueTest = (value: string | undefined) => boolean;
/** A test of a whole request. */
export type RequestTest = (req: HttpRequest) => boolean;

/** An empty StringMatch, or regex `*`: the value only has to be present. */
export const isPresenceMatch = (m: StringMatch) => m.exact === undefined && m.prefix === undefined && (m.regex === undefined || m.regex === '*');

/** One StringMatch as a test, decided once: per request it is a comparison. An invalid regex matches nothing (Envoy NACKs it). */
export function compileStringMatch(m: StringMatch, ignoreCase = false): ValueTest {
  if (isPresenceMatch(m)) return (v) => v !== undefined;
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
  const re = compileRe2(m.regex!);
  if (!re.ok) return () => false;
  const regex = re.regex;
  return (v) => v !== undefined && regex.fullMatch(v);
}

const PSEUDO_HEADER_KEYS = new Set(['uri', 'scheme', 'method', 'authority']);

/** An HTTPMatchRequest as one test of a request: every field set must match (AND). */
export function compileMatch(m: HTTPMatchRequest): RequestTest {
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
    if (isPresenceMatch(sm)) tests.push((req) => req.headers.getLower(name) === undefined);
    else {
      const t = compileStringMatch(sm);
      tests.push((req) => !t(req.headers.getLower(name) ?? ''));
    }
  }
  if (m.queryParams !== undefined) {
    const wanted = Object.keys(m.queryParams).map((key) => {
      const sm = m.queryParams![key]!;
      return { key, test: isPresenceMatch(sm) ? null : compileStringMatch(sm) };
    });
    tests.push((req) => {
      const q = req.path.indexOf('?');
      const params = parseQuery(q < 0 ? '' : req.path.slice(q + 1));
      for (const { key, test } of wanted) {
        // Envoy keeps the first value of a repeated parameter.
        const p = params.find((x) => x.key === key);
        if (p === undefined) return false;
        if (test !== null && !test(p.value)) return false;
      }
      return true;
    });
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [RequestTest, RequestTest];
    return (req) => a(req) && b(req);
  }
  return (req) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(req)) return false;
    return true;
  };
}

/** One HTTPMatchRequest against a request (compiled for this call). */
export function matchRequest(m: HTTPMatchRequest | undefined, req: HttpRequest): boolean {
  return m === undefined || compileMatch(m)(req);
}
