import type { Service as K8sService } from '../../apis/core/v1.js';
import { deepCopy } from '../../apis/deep-copy.js';
import { ServingLabels, type Revision } from '../../apis/serving/v1/types.js';
import type { LatencyModel } from '../../apis/config/latencies.js';
import { KREVISION, KROUTE } from '../../apis/kinds.js';
import type { UserHandler } from '../../app/behavior.js';
import { kpaSettingsFor } from '../../autoscaler/kpa-settings.js';
import { Controller, ROUTE_CONFIGURATION_INDEX, ROUTE_REVISION_INDEX } from '../controller-names.js';
import { keyOf, markCondition, writeStatus, type ReconcilerContext } from '../context.js';
import type { RevisionEndpointsPublisher } from './endpoints.js';
import { makePodTemplate } from './pod-template.js';
import type { RevisionRegistry } from './registry.js';
import { makeRevisionServices } from './resources.js';
import { RevisionRuntime, type RevisionHost } from './runtime.js';

/** What the revision reconciler needs besides the context. */
export interface RevisionReconcilerDeps {
  readonly registry: RevisionRegistry;
  readonly endpoints: RevisionEndpointsPublisher;
  /** The pods' host: scheduler, kubelet, network (see RevisionHost). */
  readonly host: RevisionHost;
  readonly latencies: LatencyModel;
  /** Images whose behaviour a user registered (`Cluster.registerApp`). */
  readonly apps: ReadonlyMap<string, UserHandler>;
  assignClusterIp(svc: K8sService): K8sService;
}

/**
 * Knative's Revision reconciler (pkg/reconciler/revision) with what it creates: a new Revision
 * gets its Deployment, PodAutoscaler and ServerlessService (one RevisionRuntime) and the SKS's
 * two Kubernetes Services; its Ready condition follows the PodAutoscaler's. A deleted Revision's
 * pods terminate and its endpoints go.
 */
export class RevisionReconciler {
  constructor(
    private readonly ctx: ReconcilerContext,
    private readonly deps: RevisionReconcilerDeps,
  ) {
    ctx.store.watch(KREVISION, (ev, rev) => this.revisionEvent(ev, rev));
  }

  private revisionEvent(ev: string, stored: Readonly<Revision>): void {
    const { registry, endpoints } = this.deps;
    const key = keyOf(stored);
    if (ev === 'deleted') {
      registry.get(key)?.delete();
      registry.remove(key);
      endpoints.forget(key);
      return;
    }
    if (ev !== 'added' || registry.has(key)) return;
    const ctx = this.ctx;
    const rev = deepCopy(stored) as Revision;
    const template = makePodTemplate(rev, ctx.config.serving, this.deps.latencies, this.deps.apps);
    const settings = kpaSettingsFor(rev, ctx.config.autoscaler, ctx.config.serving);
    markCondition(ctx, rev, 'Revision', 'Ready', 'Unknown', 'Deploying');
    markCondition(ctx, rev, 'Revision', 'Active', 'Unknown', 'Deploying');
    writeStatus(ctx, rev);
    for (const svc of makeRevisionServices(rev)) ctx.store.put(this.deps.assignClusterIp(svc));
    const rt = new RevisionRuntime(this.deps.host, template, settings);
    registry.add(rt);
    endpoints.publish(rt);
  }

  /**
   * The runtime's PodAutoscaler changed (readiness, failure, activity): the Revision's conditions
   * follow (revision_lifecycle.go PropagateAutoscalerStatus). `Active` mirrors the PA's Active
   * condition and does not affect Ready.
   */
  statusChanged(rt: RevisionRuntime): void {
    const ctx = this.ctx;
    const rev = ctx.store.get(KREVISION, rt.namespace, rt.name);
    if (!rev) return;
    if (rt.paState === 'Active') markCondition(ctx, rev, 'Revision', 'Active', 'True');
    else markCondition(ctx, rev, 'Revision', 'Active', rt.paState === 'Inactive' ? 'False' : 'Unknown', rt.paReason, rt.paMessage);
    if (rt.failed) {
      // An exited container is ContainerHealthy False (MarkContainerHealthyFalse); the rest ResourcesAvailable False.
      const cond = rt.failed.reason.startsWith('ExitCode') ? 'ContainerHealthy' : 'ResourcesAvailable';
      markCondition(ctx, rev, 'Revision', cond, 'False', rt.failed.reason, rt.failed.message);
      markCondition(ctx, rev, 'Revision', 'Ready', 'False', rt.failed.reason, rt.failed.message);
    } else if (rt.scaleTargetInitialized) {
      markCondition(ctx, rev, 'Revision', 'ResourcesAvailable', 'True');
      markCondition(ctx, rev, 'Revision', 'ContainerHealthy', 'True');
      markCondition(ctx, rev, 'Revision', 'Ready', 'True');
    }
    writeStatus(ctx, rev);
    const ns = rt.namespace;
    const cfgName = rev.metadata.labels?.[ServingLabels.configuration];
    if (cfgName) ctx.queue.enqueue(Controller.configuration, `${ns}/${cfgName}`);
    // The Routes whose traffic names this revision or its configuration (not every Route).
    const routes = new Set(ctx.store.byIndex(KROUTE, ROUTE_REVISION_INDEX, ns, rt.name).map((r) => r.metadata.name));
    if (cfgName) for (const r of ctx.store.byIndex(KROUTE, ROUTE_CONFIGURATION_INDEX, ns, cfgName)) routes.add(r.metadata.name);
    for (const r of [...routes].sort()) ctx.queue.enqueue(Controller.route, `${ns}/${r}`);
  }
}
