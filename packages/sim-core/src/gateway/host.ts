import type { Service as K8sService } from '../apis/core/v1.js';
import type { Distribution } from '../engine/distributions.js';
import type { Environment } from '../engine/environment.js';
import type { Rng } from '../engine/rng.js';
import type { Network } from '../k8s/network.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';

/** A Service's endpoints as the data plane sees them (what Envoy's EDS gives it). */
export interface GatewayEndpoints {
  readonly addresses: ReadonlyArray<{ readonly ip: string; readonly pod: string }>;
}

/**
 * What the istio-ingressgateway needs from the cluster it runs in, and nothing more: the
 * cluster implements it, the gateway never sees the cluster's own objects.
 */
export interface GatewayHost {
  readonly env: Environment;
  /** The pod network: the gateway pods listen on it and dial upstream hosts through it. */
  readonly net: Network;
  readonly trace: TraceBus<KnsimTraceEvent>;
  /** Envoy's own work per request. */
  readonly gatewayProcessing: Distribution;
  /** A random stream forked from the scenario seed by a stable label. */
  rngFor(label: string): Rng;
  /** A pod IP for a new gateway pod. */
  allocatePodIp(): string;
  /** A Kubernetes Service (Envoy's clusters are Services: CDS). */
  service(namespace: string, name: string): K8sService | undefined;
  /** A Service's endpoints by `namespace/name` (EDS); they change without any object changing. */
  endpoints(key: string): GatewayEndpoints | undefined;
  /** Changes whenever an API object changes: a destination's resolved Service is kept while it does not. */
  objectsVersion(): number;
  /** istiod's domain suffix, the cluster domain: Services are `<name>.<ns>.svc.<clusterDomain>`. */
  readonly clusterDomain: string;
}
