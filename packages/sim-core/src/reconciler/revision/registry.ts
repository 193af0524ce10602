import type { Environment } from '../../engine/environment.js';
import type { TraceBus } from '../../trace/bus.js';
import type { KnsimTraceEvent } from '../../trace/events.js';
import type { ActivatorStat } from '../../activator/concurrency-reporter.js';
import type { RevisionInfo } from '../../activator/activator.js';
import type { Pod } from '../../k8s/pod.js';
import { probeOptimisation, revisionTimeoutMs } from './pod-template.js';
import type { RevisionRuntime } from './runtime.js';

/**
 * The running revisions by "namespace/name": the one owner of their runtimes (Deployment, KPA,
 * SKS). The revision reconciler adds and removes them; the data plane asks it about them.
 */
export class RevisionRegistry {
  private readonly byKey = new Map<string, RevisionRuntime>();
  /** Creation order of the runtimes (the order changes reach them in). */
  private readonly order = new Map<string, number>();
  private added = 0;
  /** The revisions (keys) each Route ("namespace/route") labelled: routeLabels the other way. */
  private readonly labelledBy = new Map<string, Set<string>>();
  /** What the activator needs of each revision, by namespace and name, while no revision comes or goes. */
  private readonly infoCache = new Map<string, Map<string, RevisionInfo | undefined>>();
  /** The Routes whose label each revision carries, by revision key. */
  private readonly routeLabels = new Map<string, Set<string>>();
  /** Pods by IP, as they change (the activator probes by address). */
  private readonly byIp = new Map<string, { pod: Pod; rt: RevisionRuntime }>();

  constructor(
    private readonly env: Environment,
    private readonly trace: TraceBus<KnsimTraceEvent>,
  ) {}

  get(key: string): RevisionRuntime | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  add(rt: RevisionRuntime): void {
    this.byKey.set(rt.key, rt);
    this.order.set(rt.key, ++this.added);
    this.infoCache.clear();
  }

  remove(key: string): RevisionRuntime | undefined {
    const rt = this.byKey.get(key);
    this.byKey.delete(key);
    this.order.delete(key);
    for (const route of this.routeLabels.get(key) ?? []) this.labelledBy.get(route)?.delete(key);
    this.routeLabels.delete(key);
    this.infoCache.clear();
    return rt;
  }

  values(): IterableIterator<RevisionRuntime> {
    return this.byKey.values();
  }

  /** The first revision of this name in any namespace, in creation order. */
  byName(name: string): RevisionRuntime | undefined {
    for (const rt of this.byKey.values()) if (rt.name === name) return rt;
    return undefined;
  }

  /**
   * The labeler's route labels and the routingState they imply (pkg/reconciler/labeler): the
   * revisions a Route lists carry its label and are `active`; a revision this Route labelled and
   * lists no more loses the label, and is `reserve` once no Route labels it. A revision no Route
   * ever listed stays `pending`, which the KPA treats as reachable.
   */
  syncRouteLabels(namespace: string, route: string, listed: ReadonlySet<string>): void {
    const routeKey = `${namespace}/${route}`;
    let mine = this.labelledBy.get(routeKey);
    if (mine === undefined) this.labelledBy.set(routeKey, (mine = new Set()));
    // Only the revisions this Route lists or labelled before can change, in creation order.
    const affected = new Set(mine);
    for (const name of listed) if (this.byKey.has(`${namespace}/${name}`)) affected.add(`${namespace}/${name}`);
    const order = this.order;
    for (const key of [...affected].sort((a, b) => order.get(a)! - order.get(b)!)) {
      const rt = this.byKey.get(key)!;
      let routes = this.routeLabels.get(key);
      if (listed.has(rt.name)) {
        if (routes === undefined) this.routeLabels.set(key, (routes = new Set()));
        routes.add(route);
        mine.add(key);
        rt.setReachable(true);
      } else if (routes?.delete(route)) {
        mine.delete(key);
        if (routes.size === 0) rt.setReachable(false);
      }
    }
  }

  /** A pod changed phase or readiness: its revision hears of it. */
  podChanged(pod: Pod): void {
    const rt = this.byKey.get(pod.key);
    if (pod.ip !== null) {
      if (pod.phase === 'Terminated' || rt === undefined) {
        if (this.byIp.get(pod.ip)?.pod === pod) this.byIp.delete(pod.ip);
      } else this.byIp.set(pod.ip, { pod, rt });
    }
    rt?.podChanged(pod);
  }

  /**
   * Whether the queue-proxy at this address answers the activator's probe now: only a Running
   * pod's does (a pod has an address from its sandbox on, and says so when it starts running).
   */
  probeQueueProxy(ip: string): boolean {
    const e = this.byIp.get(ip);
    if (e === undefined || this.byKey.get(e.pod.key) !== e.rt) return false; // its revision is gone
    return e.pod.queueProxy.probeReady && e.pod.phase === 'Running';
  }

  /** An activator's stat reaches the revision's metric collector (and may poke its decider). */
  activatorStat(stat: ActivatorStat): void {
    const rt = this.byKey.get(stat.revisionKey);
    if (this.trace.active) {
      this.trace.emit({ type: 'activator.stat', t: this.env.now, activator: stat.podName, revision: stat.revisionKey, concurrency: stat.averageConcurrentRequests, requestCount: stat.requestCount, first: stat.first });
    }
    rt?.activatorStat(stat.averageConcurrentRequests, stat.requestCount);
  }

  /**
   * What the activator knows of a revision. Asked on every request it takes, so answered from a
   * cache by namespace and name (no key string built); a revision's template never changes, so
   * neither does the answer while the revision exists.
   */
  revisionInfo(namespace: string, name: string): RevisionInfo | undefined {
    let byName = this.infoCache.get(namespace);
    if (byName === undefined) {
      byName = new Map();
      this.infoCache.set(namespace, byName);
    }
    let info = byName.get(name);
    if (info === undefined && !byName.has(name)) {
      const key = `${namespace}/${name}`;
      const rt = this.byKey.get(key);
      info = rt === undefined ? undefined : { key, containerConcurrency: rt.template.queue.containerConcurrency, timeoutMs: revisionTimeoutMs(rt.template), probeOptimisation: probeOptimisation(rt.template) };
      byName.set(name, info);
    }
    return info;
  }
}
