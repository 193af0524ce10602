import type { Service } from '../apis/core/v1.js';
import { K8SSERVICE } from '../apis/kinds.js';
import type { AddressAllocator } from './addresses.js';
import type { ObjectStore } from './object-store.js';

/**
 * Kubernetes Services by their virtual addresses (what kube-proxy and the cloud load balancer
 * program), kept current by a watch on the store, and ClusterIP allocation as the API server
 * does it on create.
 */
export class ServiceIndex {
  private readonly byClusterIp = new Map<string, string>();
  private readonly byLbIp = new Map<string, string>();
  /** The addresses each Service is indexed under, to unindex it without scanning. */
  private readonly addressesOf = new Map<string, { clusterIp?: string; lbIps: string[] }>();

  constructor(
    private readonly store: ObjectStore,
    private readonly addresses: AddressAllocator,
  ) {
    store.watch(K8SSERVICE, (ev, svc) => this.index(ev, svc));
  }

  private index(ev: string, svc: Readonly<Service>): void {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const had = this.addressesOf.get(key);
    if (had !== undefined) {
      if (had.clusterIp !== undefined && this.byClusterIp.get(had.clusterIp) === key) this.byClusterIp.delete(had.clusterIp);
      for (const ip of had.lbIps) if (this.byLbIp.get(ip) === key) this.byLbIp.delete(ip);
      this.addressesOf.delete(key);
    }
    if (ev === 'deleted') return;
    const now: { clusterIp?: string; lbIps: string[] } = { lbIps: [] };
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') {
      this.byClusterIp.set(svc.spec.clusterIP, key);
      now.clusterIp = svc.spec.clusterIP;
    }
    for (const i of svc.status?.loadBalancer?.ingress ?? []) {
      if (!i.ip) continue;
      this.byLbIp.set(i.ip, key);
      now.lbIps.push(i.ip);
    }
    this.addressesOf.set(key, now);
  }

  /** A Kubernetes Service as the data plane reads it (not a copy: do not modify). */
  service(namespace: string, name: string): Readonly<Service> | undefined {
    return this.store.peek(K8SSERVICE, namespace, name);
  }

  byClusterIP(ip: string): Readonly<Service> | undefined {
    return this.lookup(this.byClusterIp.get(ip));
  }

  byLoadBalancerIP(ip: string): Readonly<Service> | undefined {
    return this.lookup(this.byLbIp.get(ip));
  }

  private lookup(key: string | undefined): Readonly<Service> | undefined {
    if (!key) return undefined;
    const [ns, name] = key.split('/') as [string, string];
    return this.service(ns, name);
  }

  /** A fresh ClusterIP for a Service that asks for one (kept across updates). */
  assignClusterIp(svc: Service): Service {
    if (svc.spec.type === 'ExternalName' || svc.spec.clusterIP === 'None') return svc;
    const existing = this.service(svc.metadata.namespace ?? 'default', svc.metadata.name);
    svc.spec.clusterIP = existing?.spec.clusterIP && existing.spec.clusterIP !== 'None' ? existing.spec.clusterIP : (svc.spec.clusterIP ?? this.addresses.clusterIp());
    return svc;
  }
}
