import type { KObject, Service as K8sService } from '../apis/core/v1.js';
import type { WasmPlugin } from '../apis/higress/v1alpha1.js';
import type { Gateway, VirtualService } from '../apis/istio/v1alpha3.js';
import { randomSuffix, templateHash } from '../k8s/addresses.js';
import { compileListeners } from '../net/envoy/compile.js';
import { compilePlugins } from '../net/higress/plugins.js';
import { ISTIO_GATEWAY, type GatewayInstallSpec } from '../net/ingress-classes.js';
import { compileGatewayConfig } from '../net/istio/gateway-config.js';
import { EnvoyPod } from './envoy-pod.js';
import type { GatewayHost } from './host.js';
import type { CompiledRoutes } from '../net/envoy/compile.js';
import { GatewayConfigCache } from '../net/istio/gateway-config.js';

/**
 * A gateway Deployment: by default istio-ingressgateway, whose pods listen on 8080 (the Gateway
 * port 80 after translation) and 8081 (knative-local-gateway); or the Envoy of another ingress
 * class (net/ingress-classes.ts). All its pods get the same configuration on every push. The
 * Services selecting its pods have them as endpoints (`podAddresses`), which the cluster
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
    readonly spec: GatewayInstallSpec = ISTIO_GATEWAY,
  ) {
    if (!(Number.isInteger(replicas) && replicas >= 1)) throw new RangeError(`gatewayReplicas must be a whole number >= 1, got ${replicas}`);
    const istio = spec === ISTIO_GATEWAY;
    const hash = templateHash(spec.deployment);
    // The Istio gateway keeps its original stream labels, so adding classes shifts no draw.
    const names = host.rngFor(istio ? 'gateway-names' : `${spec.deployment}/names`);
    for (let i = 0; i < replicas; i++) {
      const name = `${spec.deployment}-${hash}-${randomSuffix(() => names.next(), 5)}`;
      const pod = new EnvoyPod(host, name, host.allocatePodIp(), host.rngFor(istio ? `gateway/${i}` : `${spec.deployment}/${i}`), spec.serverName);
      this.listen(pod);
      this.pods.push(pod);
    }
  }

  /** The pod's Envoy listens on the Deployment's ports (at start, and after a restart). */
  listen(pod: EnvoyPod): void {
    for (const port of this.spec.ports) this.host.net.listen(pod.ip, port, (req, ctx, arrivalMs) => pod.handle(port, req, ctx, arrivalMs));
  }

  /** The pod's Envoy stopped: connections to its ports are refused. */
  close(pod: EnvoyPod): void {
    for (const port of this.spec.ports) this.host.net.close(pod.ip, port);
  }

  /** The Ready pods' addresses, in pod order (a restarting pod is not among them). */
  readyAddresses(): Array<{ ip: string; pod: string }> {
    return this.pods.filter((p) => p.ready).map((p) => ({ ip: p.ip, pod: p.name }));
  }

  /** The pods' addresses, in pod order: the endpoints of the Services selecting them. */
  podAddresses(): Array<{ ip: string; pod: string }> {
    return this.pods.map((p) => ({ ip: p.ip, pod: p.name }));
  }

  /**
   * A push: translate the objects to listeners, compile them once, and hand the result to every
   * pod; with Higress's WasmPlugins, the plugin chain too (a plugin whose object did not change
   * keeps its state, such as key-rate-limit's buckets).
   */
  configure(gateways: readonly KObject[], virtualServices: readonly KObject[], services: readonly K8sService[], plugins: readonly WasmPlugin[] = []): void {
    const spec = this.spec;
    const config = compileGatewayConfig({
      podLabels: { ...spec.podLabels },
      podNamespace: spec.namespace,
      gateways: gateways as unknown as Gateway[],
      virtualServices: virtualServices as unknown as VirtualService[],
      services,
      creationIndex: (vs) => (vs.metadata as { creationIndex?: number }).creationIndex ?? 0,
      domainSuffix: this.host.clusterDomain,
    }, this.translations);
    const compiled = compileListeners(config, this.compiledRoutes);
    const chain = compilePlugins(plugins);
    for (const p of this.pods) p.configure(compiled, chain);
    const trace = this.host.trace;
    if (trace.active) {
      trace.emit({
        type: 'gateway.config',
        t: this.host.env.now,
        gateway: `${spec.namespace}/${spec.deployment}`,
        listeners: config.listeners.map((l) => ({ port: l.port, vhosts: l.virtualHosts.flatMap((v) => v.domains) })),
      });
    }
  }

  /** VirtualServices translated by all pushes so far (an incremental push translates only the changed ones). */
  get virtualServicesTranslated(): number {
    return this.translations.translated;
  }
}
