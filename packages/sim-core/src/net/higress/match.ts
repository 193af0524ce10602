import type { PluginRuleSet } from '../../apis/higress/plugin-config.js';
import { hostWithoutPort } from '../http.js';

/** What a plugin's rules are matched against: the request's host and the route Envoy chose. */
export interface PluginMatchInput {
  authority: string;
  /** The route's name (`namespace/name` of its Ingress or VirtualService), or '' without a route. */
  routeNames: readonly string[];
  /** The destination Service's host, or '' without one. */
  service: string;
}

/**
 * The configuration that applies to one request: the first rule (in order) whose route, route
 * prefix, domain or service list matches, else the global configuration (the wasm-go wrapper's
 * GetMatchConfig, the C++ RouteRuleMatcher::getMatchAuthConfig). The rule id is the rule's
 * (global = 0); null when nothing applies.
 */
export function matchConfig<C>(set: PluginRuleSet<C>, input: PluginMatchInput): { id: number; config: C } | null {
  const host = hostWithoutPort(input.authority).toLowerCase();
  for (const r of set.rules) {
    if (r.routes.some((n) => input.routeNames.includes(n))) return { id: r.id, config: r.config };
    if (r.routePrefixes.some((p) => input.routeNames.some((n) => n.startsWith(p)))) return { id: r.id, config: r.config };
    if (r.domains.some((d) => domainMatches(d, host))) return { id: r.id, config: r.config };
    if (input.service !== '' && r.services.some((s) => serviceMatches(s, input.service))) return { id: r.id, config: r.config };
  }
  return set.global === null ? null : { id: 0, config: set.global };
}

/** `_match_domain_`: `*.example.com` matches by suffix `.example.com` (not example.com itself), `foo.*` by prefix, anything else exactly. */
export function domainMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('*')) return host.endsWith(p.slice(1));
  if (p.endsWith('*')) return host.startsWith(p.slice(0, -1));
  return host === p;
}

// `_match_service_`: the service's FQDN, optionally with `:port`.
function serviceMatches(pattern: string, service: string): boolean {
  return pattern === service || hostWithoutPort(pattern) === service;
}
