import type { Service } from '../apis/core/v1.js';
import { K8SSERVICE } from '../apis/kinds.js';
import type { EndpointAddress, EndpointsTable } from './endpoints.js';
import type { ObjectStore } from './object-store.js';

/** Pods whose addresses never change, with the labels a Service selects them by. */
export interface FixedPods {
  readonly labels: Readonly<Record<string, string>>;
  readonly addresses: readonly EndpointAddress[];
}

const selects = (svc: Service, labels: Readonly<Record<string, string>>) => {
  const sel = svc.spec.selector ?? {};
  return svc.spec.type !== 'ExternalName' && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
};

/**
 * Kubernetes' endpoints controller (k8s.io/kubernetes pkg/controller/endpoint) for pods that
 * never come and go, such as the istio-ingressgateway Deployment's: every Service whose selector
 * picks their labels — the two a net-istio install has, or one added for a gateway config-istio
 * names — has their addresses as its Endpoints, and loses them once it no longer selects them.
 * Revision pods have their own publisher (reconciler/revision/endpoints.ts).
 */
export function publishSelectedEndpoints(store: ObjectStore, table: EndpointsTable, pods: FixedPods): (ready: readonly EndpointAddress[]) => void {
  const published = new Set<string>();
  let addresses = pods.addresses;
  store.watch(K8SSERVICE, (ev, svc) => {
    const key = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
    if (ev !== 'deleted' && selects(svc, pods.labels)) {
      if (!published.has(key)) table.set(key, [...addresses]);
      published.add(key);
    } else if (published.delete(key)) {
      table.delete(key);
    }
  });
  // One of the pods became ready or not ready (a restart): the Services now have these.
  return (ready) => {
    addresses = ready;
    for (const key of published) table.set(key, [...ready]);
  };
}
