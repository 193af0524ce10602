import type { CorsPolicy } from '../../apis/istio/v1alpha3.js';
import { parseDuration } from '../../engine/duration.js';
import { compileStringMatch } from './match.js';

/**
 * The CORS filter (envoy source/extensions/filters/http/cors/cors_filter.cc), which runs before
 * the router, for a route's corsPolicy (istio/istio pilot/pkg/networking/core/route/route.go
 * translateCORSPolicy): an allowed preflight is answered by Envoy itself, an allowed actual
 * request gets the access-control headers on its response.
 */

export interface CompiledCors {
  readonly policy: CorsPolicy;
  /** Whether an Origin is one of allowOrigins (`exact: "*"` allows every origin). */
  readonly allowsOrigin: (origin: string) => boolean;
}

export function compileCors(policy: CorsPolicy): CompiledCors {
  const tests = (policy.allowOrigins ?? []).map((m) => (m.exact === '*' ? () => true : compileStringMatch(m)));
  return { policy, allowsOrigin: (origin) => tests.some((t) => t(origin)) };
}

/** The access-control headers for an allowed origin: a preflight's, or an actual response's. */
export function corsHeaders(policy: CorsPolicy, origin: string, preflight: boolean): Record<string, string> {
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
