export { GatewayFleet, EnvoyPod } from './fleet.js';
export { resolveUpstream, leastRequest, type Upstream, type UpstreamLookup } from './upstream.js';
