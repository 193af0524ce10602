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
 *
 * Like the controller's work queue, it holds a revision's key once: the first change schedules a
 * sync after the latency, changes until then join it, and the sync reads the pods as they are
 * then (the controller's lister). So pod changes within one instant — or one propagation delay —
 * make one publish, and a scale-up of P pods costs a publish per propagation window, not per pod.
 */
export class RevisionEndpointsPublisher {
  /** The sync on its way per revision key (a fresh object each time, so a forgotten one is dropped). */
  private readonly pending = new Map<string, object>();

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
    if (this.pending.has(key)) return;
    const token = {};
    this.pending.set(key, token);
    this.env.timeout(Math.max(0, this.propagationMs())).addCallback(() => {
      if (this.pending.get(key) !== token) return;
      this.pending.delete(key);
      this.deliver(rt);
    });
  }

  private deliver(rt: RevisionRuntime): void {
    const key = rt.key;
    const priv = rt.privateEndpoints();
    let publicAddrs: EndpointAddress[];
    // The public Service's endpoints: the activator subset, or the ready pods in Serve mode.
    if (rt.activatorInPath) {
      const actName = new Map(this.activators.map((a) => [a.ip, a.name]));
      publicAddrs = rt.activatorSubset.map((ip) => ({ ip, pod: actName.get(ip) ?? ip }));
    } else {
      publicAddrs = rt.readyPods.map((p) => ({ ip: p.ip!, pod: p.name }));
      publicAddrs.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    }
    const readyAddrs = priv.ready.map((p) => ({ ip: p.ip!, pod: p.name }));
    const notReadyAddrs = priv.notReady.map((p) => ({ ip: p.ip!, pod: p.name }));
    this.table.set(key, publicAddrs);
    this.table.set(`${key}-private`, readyAddrs);
    const subset = rt.activatorSubset;
    for (const a of this.activators) {
      a.updateSubset(key, subset);
      a.updateEndpoints(key, readyAddrs, notReadyAddrs);
    }
    if (this.trace.active) {
      this.trace.emit({ type: 'endpoints', t: this.env.now, namespace: rt.namespace, service: rt.name, ready: publicAddrs.map((a) => a.pod), notReady: [] });
    }
  }

  /** The revision is gone: so are its Services' endpoints, and a sync still on its way is dropped. */
  forget(key: string): void {
    this.pending.delete(key);
    this.table.delete(key);
    this.table.delete(`${key}-private`);
  }
}
