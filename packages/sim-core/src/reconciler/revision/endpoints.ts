import type { Environment } from '../../engine/environment.js';
import type { TraceBus } from '../../trace/bus.js';
import type { KnsimTraceEvent } from '../../trace/events.js';
import type { EndpointAddress, EndpointsTable } from '../../k8s/endpoints.js';
import type { RevisionRuntime } from './runtime.js';

/** What the activator hears of a revision's endpoints (its informer on the private Service and the SKS subset). */
export interface ActivatorEndpointsListener {
  readonly ip: string;
  readonly name: string;
  updateSubset(key: string, activatorIps: readonly string[]): void;
  updateEndpoints(key: string, ready: ReadonlyArray<EndpointAddress>, notReady: ReadonlyArray<EndpointAddress>): void;
}

/**
 * A revision's Endpoints on their way to the data plane: the endpoints controller writes the
 * public and private Services' Endpoints from the pods (and the SKS's activator subset), and
 * Envoy (EDS) and the activator (informer) see them after the `endpointsPropagation` latency.
 * A late delivery never overwrites a newer one.
 */
export class RevisionEndpointsPublisher {
  private readonly published = new Map<string, number>();
  private readonly delivered = new Map<string, number>();

  constructor(
    private readonly env: Environment,
    private readonly table: EndpointsTable,
    private readonly activators: readonly ActivatorEndpointsListener[],
    private readonly trace: TraceBus<KnsimTraceEvent>,
    /** One propagation latency draw, in ms. */
    private readonly propagationMs: () => number,
  ) {}

  publish(rt: RevisionRuntime): void {
    const key = rt.key;
    const version = (this.published.get(key) ?? 0) + 1;
    this.published.set(key, version);
    const pub = rt.publicEndpointIps();
    const priv = rt.privateEndpoints();
    const podName = new Map(rt.pods.filter((p) => p.ip).map((p) => [p.ip!, p.name]));
    const actName = new Map(this.activators.map((a) => [a.ip, a.name]));
    const publicAddrs = pub.ips.map((ip) => ({ ip, pod: (pub.activator ? actName.get(ip) : podName.get(ip)) ?? ip }));
    const readyAddrs = priv.ready.map((p) => ({ ip: p.ip!, pod: p.name }));
    const notReadyAddrs = priv.notReady.map((p) => ({ ip: p.ip!, pod: p.name }));
    const subset = [...rt.activatorSubset];
    const deliver = () => {
      if ((this.delivered.get(key) ?? 0) > version) return;
      this.delivered.set(key, version);
      this.table.set(key, publicAddrs);
      this.table.set(`${key}-private`, readyAddrs);
      for (const a of this.activators) {
        a.updateSubset(key, subset);
        a.updateEndpoints(key, readyAddrs, notReadyAddrs);
      }
      if (this.trace.active) {
        this.trace.emit({ type: 'endpoints', t: this.env.now, namespace: rt.namespace, service: rt.name, ready: publicAddrs.map((a) => a.pod), notReady: [] });
      }
    };
    this.env.timeout(Math.max(0, this.propagationMs())).addCallback(deliver);
  }

  /** The revision is gone: so are its Services' endpoints, and publications still on their way are dropped. */
  forget(key: string): void {
    // Deliveries of versions published so far lose to the deletion; a revision created again
    // under the same name publishes newer versions, which pass.
    this.delivered.set(key, (this.published.get(key) ?? 0) + 0.5);
    this.table.delete(key);
    this.table.delete(`${key}-private`);
  }
}
