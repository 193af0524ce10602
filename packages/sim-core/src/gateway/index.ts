export { GatewayFleet } from './fleet.js';
export { EnvoyPod } from './envoy-pod.js';
export type { GatewayHost, GatewayEndpoints } from './host.js';
export { resolveUpstream, leastRequest, type Upstream, type UpstreamLookup } from './upstream.js';
