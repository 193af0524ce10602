/** One ready address of a Service, with the pod (or activator) behind it. */
export interface EndpointAddress {
  ip: string;
  pod: string;
}

/** The data plane's view of one Service's endpoints (what Envoy and kube-proxy route to). */
export interface EndpointView {
  addresses: EndpointAddress[];
}

/**
 * The Endpoints as the data plane has received them, by "namespace/service": what EDS gives
 * Envoy and what kube-proxy programs. Its owner is the cluster; publishers write through `set`
 * (after their propagation delay), readers hold it read-only.
 */
export class EndpointsTable {
  private readonly views = new Map<string, EndpointView>();

  get(key: string): EndpointView | undefined {
    return this.views.get(key);
  }

  set(key: string, addresses: EndpointAddress[]): void {
    this.views.set(key, { addresses });
  }

  delete(key: string): void {
    this.views.delete(key);
  }
}

/** What readers of endpoints get: lookups, no writes. */
export type EndpointsReader = Pick<EndpointsTable, 'get'>;
