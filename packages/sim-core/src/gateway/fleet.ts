import type { KObject, Service as K8sService } from '../apis/core/v1.js';
import type { Gateway, VirtualService } from '../apis/istio/v1alpha3.js';
import { randomSuffix, templateHash } from '../k8s/addresses.js';
import { compileListeners } from '../net/envoy/compile.js';
import { compileGatewayConfig } from '../net/istio/gateway-config.js';
import { GATEWAY_POD_LABELS } from '../net/istio/install.js';
import { EnvoyPod } from './envoy-pod.js';
import type { GatewayHost } from './host.js';
import type { CompiledRoutes } from '../net/envoy/compile.js';
import { GatewayConfigCache } from '../net/istio/gateway-config.js';

/**
 * The istio-ingressgateway Deployment: its pods listen on 8080 (the Gateway port 80 after
 * translation) and 8081 (knative-local-gateway), and all get the same configuration on every
 * push. The two gateway Services' endpoints are these pods (`podAddresses`), which the cluster
 * publishes.
 */
export class GatewayFleet {
  readonly pods: EnvoyPod[] = [];
  /** What the last push translated and compiled, by object: the next one redoes only what changed. */
  private readonly translations = new GatewayConfigCache();
  private readonly compiledRoutes: CompiledRoutes = new WeakMap();

  constructor(
    private readonly host: GatewayHost,
    replicas: number,
  ) {
    if (!(Number.isInteger(replicas) && replicas >= 1)) throw new RangeError(`gatewayReplicas must be a whole number >= 1, got ${replicas}`);
    const hash = templateHash('istio-ingressgateway');
    const names = host.rngFor('gateway-names');
    for (let i = 0; i < replicas; i++) {
      const name = `istio-ingressgateway-${hash}-${randomSuffix(() => names.next(), 5)}`;
      const pod = new EnvoyPod(host, name, host.allocatePodIp(), host.rngFor(`gateway/${i}`));
      for (const port of [8080, 8081]) host.net.listen(pod.ip, port, (req, ctx, arrivalMs) => pod.handle(port, req, ctx, arrivalMs));
      this.pods.push(pod);
    }
  }

  /** The pods' addresses, in pod order: the endpoints of istio-ingressgateway and knative-local-gateway. */
  podAddresses(): Array<{ ip: string; pod: string }> {
    return this.pods.map((p) => ({ ip: p.ip, pod: p.name }));
  }

  /** An istiod push: translate the objects to listeners, compile them once, and hand the result to every gateway pod. */
  configure(gateways: readonly KObject[], virtualServices: readonly KObject[], services: readonly K8sService[]): void {
    const config = compileGatewayConfig({
      podLabels: GATEWAY_POD_LABELS,
      gateways: gateways as unknown as Gateway[],
      virtualServices: virtualServices as unknown as VirtualService[],
      services,
      creationIndex: (vs) => (vs.metadata as { creationIndex?: number }).creationIndex ?? 0,
      domainSuffix: this.host.clusterDomain,
    }, this.translations);
    const compiled = compileListeners(config, this.compiledRoutes);
    for (const p of this.pods) p.config = compiled;
    const trace = this.host.trace;
    if (trace.active) {
      trace.emit({
        type: 'gateway.config',
        t: this.host.env.now,
        gateway: 'istio-system/istio-ingressgateway',
        listeners: config.listeners.map((l) => ({ port: l.port, vhosts: l.virtualHosts.flatMap((v) => v.domains) })),
      });
    }
  }

  /** VirtualServices translated by all pushes so far (an incremental push translates only the changed ones). */
  get virtualServicesTranslated(): number {
    return this.translations.translated;
  }
}
