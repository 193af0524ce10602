import type { Service } from '../apis/core/v1.js';
import type { Rng } from '../engine/rng.js';
import type { EndpointsReader } from './endpoints.js';
import type { Network } from './network.js';
import type { ServiceIndex } from './services.js';

/**
 * kube-proxy and the cloud load balancer: a Service's virtual address and port to one of its
 * endpoints (chosen at random, as iptables mode does), or a pod address straight through.
 */
export class KubeProxy {
  /** Virtual address → its Service and the Service's endpoints key (null: a pod address), valid for one objects version. */
  private readonly vipCache = new Map<string, { svc: Readonly<Service>; endpointsKey: string } | null>();
  private vipCacheVersion = -1;

  constructor(
    private readonly services: ServiceIndex,
    private readonly endpoints: EndpointsReader,
    private readonly net: Network,
    /** A counter that changes whenever an object changes. */
    private readonly version: () => number,
  ) {}

  pickBackend(ip: string, port: number, rng: Rng): { ip: string; port: number; name: string } | null {
    const version = this.version();
    if (this.vipCacheVersion !== version) {
      this.vipCache.clear();
      this.vipCacheVersion = version;
    }
    let vip = this.vipCache.get(ip);
    if (vip === undefined) {
      // A Service's load balancer address (the cloud LB in front of its node ports), or its cluster IP.
      const svc = this.services.byLoadBalancerIP(ip) ?? this.services.byClusterIP(ip);
      vip = svc === undefined ? null : { svc, endpointsKey: `${svc.metadata.namespace}/${svc.metadata.name}` };
      this.vipCache.set(ip, vip);
    }
    if (vip === null) {
      // A pod address: straight to it.
      return this.net.handlerAt(ip, port) ? { ip, port, name: ip } : null;
    }
    const ports = vip.svc.spec.ports ?? [];
    let sp: (typeof ports)[number] | undefined;
    for (const p of ports) {
      if (p.port === port) {
        sp = p;
        break;
      }
    }
    if (sp === undefined) return null;
    const eps = this.endpoints.get(vip.endpointsKey)?.addresses;
    if (eps === undefined || eps.length === 0) return null;
    const e = eps[Math.floor(rng.next() * eps.length)]!;
    const target = typeof sp.targetPort === 'number' ? sp.targetPort : sp.port;
    return { ip: e.ip, port: target, name: e.pod };
  }
}
