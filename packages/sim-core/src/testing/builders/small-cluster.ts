import { Cluster, type ClusterOptions } from '../../cluster/cluster.js';
import type { KObject } from '../../apis/core/v1.js';
import type { UserHandler } from '../../app/behavior.js';
import { TraceRecorder } from '../../trace/bus.js';
import type { KnsimTraceEvent } from '../../trace/events.js';
import { settle } from '../_internals/settle.js';

export interface SmallClusterOptions extends ClusterOptions {
  /**
   * Applied one at a time, in order, each waited on until Ready (Services, Configurations,
   * Routes) and the control plane has settled: objects or YAML text. Spread a `service()` list
   * in (`manifests: [...service(a)]`) to create its revisions one after another.
   */
  manifests?: ReadonlyArray<KObject | string>;
  /** Images' behaviour by repository name (`Cluster.registerApp`), registered first. */
  apps?: Readonly<Record<string, UserHandler>>;
  /** Record every trace event from the start, for the laws (default true). */
  record?: boolean;
}

export interface SmallCluster {
  cluster: Cluster;
  /** Every trace event so far, in order (a live list; empty when `record` is false). */
  events: KnsimTraceEvent[];
}

/**
 * A cluster from a seed in one call: built, apps registered, manifests applied and Ready.
 *
 * ```ts
 * const { cluster, events } = smallCluster({ seed, manifests: service({ name: 'app' }) });
 * ```
 */
export function smallCluster(o: SmallClusterOptions = {}): SmallCluster {
  const { manifests = [], apps = {}, record = true, ...options } = o;
  const cluster = new Cluster(options);
  const events: KnsimTraceEvent[] = record ? new TraceRecorder<KnsimTraceEvent>(cluster.trace).events : [];
  for (const image of Object.keys(apps).sort()) cluster.registerApp(image, apps[image]!);
  manifests.forEach((m, i) => {
    const applied = cluster.apply(m, { file: typeof m === 'string' ? `manifests[${i}]` : `manifests[${i}] (${m.kind} ${m.metadata.name})` });
    settle(cluster, applied.applied);
  });
  return { cluster, events };
}
