import { hostWithoutPort } from '../http.js';
import { domainMatchRank } from '../istio/hosts.js';
import type { CompiledRouteConfiguration, CompiledVirtualHost } from './compiled-config.js';

/**
 * Virtual host selection (envoy source/common/router/config_impl.cc RouteMatcher::findVirtualHost):
 * the exact domain, then the longest `*.suffix`, then the longest `prefix*`, then `*`;
 * case-insensitive, the port ignored (Istio sets ignore_port_in_host_matching).
 */

/** Authorities remembered per route configuration: load sends the same few Hosts again and again. */
export const VHOST_CACHE_LIMIT = 4096;

/** The virtual host for an authority, remembered in the configuration's own bounded cache. */
export function selectVirtualHost(config: CompiledRouteConfiguration, authority: string): CompiledVirtualHost | undefined {
  const cache = config.vhostByAuthority;
  let vh = cache.get(authority);
  if (vh === undefined && !cache.has(authority)) {
    // An exact domain outranks every wildcard; only wildcard hosts are searched otherwise.
    vh = config.exactDomains.get(hostWithoutPort(authority).toLowerCase()) ?? findVirtualHost(config.wildcardVirtualHosts, authority);
    if (cache.size >= VHOST_CACHE_LIMIT) cache.clear();
    cache.set(authority, vh);
  }
  return vh;
}

/** The best-ranked virtual host for an authority; the first one listed wins a tie. */
export function findVirtualHost(virtualHosts: readonly CompiledVirtualHost[], authority: string): CompiledVirtualHost | undefined {
  const host = hostWithoutPort(authority).toLowerCase();
  let best: CompiledVirtualHost | undefined;
  let bestRank = -1;
  for (const vh of virtualHosts) {
    for (const d of vh.domains) {
      const r = domainMatchRank(d, host);
      if (r > bestRank) {
        best = vh;
        bestRank = r;
      }
    }
  }
  return best;
}
