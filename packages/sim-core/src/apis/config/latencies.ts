import { parseDistribution, type Distribution } from '../../engine/distributions.js';
import { UserInputError } from '../errors.js';

/**
 * Every latency the simulated cluster uses, as distributions of milliseconds. Defaults are
 * calibrated to published figures (docs/cluster.md, "Calibration"): a warm request through gateway and
 * queue-proxy costs a few milliseconds of proxy overhead (Knative's dataplane-probe SLA allows
 * ≤ ~10 ms at p95), and a cold start with a cached image lands near the ~800 ms that
 * knative/serving#15477 measured on Knative 1.11 / Kubernetes 1.27 with direct pod addressing.
 * Each may be overridden per cluster (`latencies: { imagePull: 'lognormal(4s,0.4)' }`).
 */
export interface LatencyModel {
  /** One network traversal between pods (or node to pod). */
  network: Distribution;
  /** An external client to the load balancer's address. */
  clientToLoadBalancer: Distribution;
  /** One CoreDNS query round trip from a pod. */
  dnsQuery: Distribution;
  /** An external DNS resolution (public DNS or /etc/hosts). */
  externalDns: Distribution;
  /** Envoy's own work per request on the gateway. */
  gatewayProcessing: Distribution;
  /** The activator's own work per request (handler chain, proxying). */
  activatorProcessing: Distribution;
  /** Queue-proxy's own work per request. */
  queueProxyProcessing: Distribution;
  /** A controller noticing a change (informer) and reconciling it. */
  reconcile: Distribution;
  /** Istio pushing new routes to the gateway's Envoy (xDS). */
  configPush: Distribution;
  /** An Endpoints change reaching Envoy and the activator (EDS / informer). */
  endpointsPropagation: Distribution;
  /** The scheduler binding a new pod to a node. */
  podScheduling: Distribution;
  /** Pod sandbox and network set-up (ContainerCreating before images). */
  sandboxCreation: Distribution;
  /** Pulling an image a node has not seen. */
  imagePull: Distribution;
  /** "Pulling" an image a node already has (the digest check). */
  imagePullCached: Distribution;
  /** Starting one container once its image is present. */
  containerStart: Distribution;
  /** The user application's own start-up until it listens (overridden per revision). */
  appStartup: Distribution;
  /** The user application's time to answer one request (overridden per revision). */
  appServiceTime: Distribution;
  /** Stopping a container after SIGTERM once it has drained. */
  containerStop: Distribution;
}

export const DEFAULT_LATENCIES: Record<keyof LatencyModel, string> = {
  network: 'lognormal(0.15ms,0.3)',
  clientToLoadBalancer: 'lognormal(1ms,0.2)',
  dnsQuery: 'lognormal(0.3ms,0.3)',
  externalDns: 'const(0ms)',
  gatewayProcessing: 'lognormal(0.3ms,0.3)',
  activatorProcessing: 'lognormal(0.5ms,0.3)',
  queueProxyProcessing: 'lognormal(0.3ms,0.3)',
  reconcile: 'lognormal(8ms,0.4)',
  configPush: 'lognormal(60ms,0.3)',
  endpointsPropagation: 'lognormal(15ms,0.3)',
  podScheduling: 'lognormal(25ms,0.3)',
  sandboxCreation: 'lognormal(250ms,0.25)',
  imagePull: 'lognormal(2500ms,0.4)',
  imagePullCached: 'lognormal(30ms,0.3)',
  containerStart: 'lognormal(90ms,0.25)',
  appStartup: 'lognormal(60ms,0.3)',
  appServiceTime: 'lognormal(1ms,0.25)',
  containerStop: 'lognormal(500ms,0.3)',
};

export type LatencyOverrides = Partial<Record<keyof LatencyModel, string | Distribution>>;

/** A bad `latencies` option: a user's mistake, like any other UserInputError. */
export class LatencyConfigError extends UserInputError {
  override name = 'LatencyConfigError';
}

/** The calibrated defaults (or `base`) with `overrides` applied; unknown names and bad specs are errors. */
export function makeLatencyModel(overrides: LatencyOverrides = {}, base?: LatencyModel): LatencyModel {
  const out = {} as Record<keyof LatencyModel, Distribution>;
  for (const key of Object.keys(overrides)) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_LATENCIES, key)) {
      throw new LatencyConfigError(`latencies.${key}: unknown latency (known: ${Object.keys(DEFAULT_LATENCIES).join(', ')})`);
    }
  }
  for (const key of Object.keys(DEFAULT_LATENCIES) as Array<keyof LatencyModel>) {
    const o = overrides[key];
    try {
      out[key] = o === undefined ? (base?.[key] ?? parseDistribution(DEFAULT_LATENCIES[key])) : typeof o === 'string' ? parseDistribution(o) : o;
    } catch (e) {
      throw new LatencyConfigError(`latencies.${key}: ${(e as Error).message}`);
    }
  }
  return out;
}
