import type { Configuration, Revision } from '../../apis/serving/v1/types.js';
import { KCONFIG, KREVISION, KROUTE } from '../../apis/kinds.js';
import { startController, markCondition, ownerName, writeStatus, type ReconcilerContext } from '../context.js';
import { Controller } from '../controller-names.js';
import { latestCreatedRevision, configurationStatusFor } from './latest-revision.js';
import { makeRevision } from './revision.js';

/**
 * Knative's Configuration reconciler (pkg/reconciler/configuration): it stamps a Revision from
 * each new template generation, and reports the latest created and latest ready revisions.
 */
export class ConfigurationReconciler {
  constructor(private readonly ctx: ReconcilerContext) {
    startController(ctx, Controller.configuration, KCONFIG, (ns, name) => this.reconcile(ns, name));
  }

  reconcile(ns: string, name: string): void {
    const ctx = this.ctx;
    const store = ctx.store;
    const cfg = store.get(KCONFIG, ns, name);
    if (!cfg) return;
    const revisions = store.list(KREVISION, ns);
    const lc = latestCreatedRevision(cfg, revisions);
    let latest: Revision;
    let isBYO: boolean;
    if (lc.kind === 'notFound') {
      latest = makeRevision(cfg, ctx.env.now);
      isBYO = lc.isBYOName;
      store.put(latest);
      latest = store.get(KREVISION, ns, latest.metadata.name)!;
      if (ctx.trace.active) {
        ctx.trace.emit({ type: 'revision.created', t: ctx.env.now, namespace: ns, revision: latest.metadata.name, configuration: name, generation: cfg.metadata.generation ?? 1 });
      }
    } else if (lc.kind === 'found') {
      latest = lc.revision;
      isBYO = lc.isBYOName;
    } else {
      markCondition(ctx, cfg, 'Configuration', 'Ready', 'False', 'RevisionFailed', lc.message);
      // PostProcessReconcile (knative.dev/pkg/reconciler): this generation was processed, whatever the outcome.
      (cfg.status ??= {}).observedGeneration = cfg.metadata.generation ?? 1;
      writeStatus(ctx, cfg);
      this.afterStatus(cfg);
      return;
    }
    const all = store.list(KREVISION, ns);
    const st = configurationStatusFor(cfg, all, latest, isBYO);
    const status = (cfg.status ??= {});
    status.observedGeneration = cfg.metadata.generation ?? 1;
    if (st.latestCreatedRevisionName) status.latestCreatedRevisionName = st.latestCreatedRevisionName;
    if (st.latestReadyRevisionName) status.latestReadyRevisionName = st.latestReadyRevisionName;
    markCondition(ctx, cfg, 'Configuration', 'Ready', st.ready.status, st.ready.reason, st.ready.message);
    writeStatus(ctx, cfg);
    this.afterStatus(cfg);
  }

  /** Its owning Service and the Routes that may follow it reconcile again (their informers would see the status change). */
  private afterStatus(cfg: Configuration): void {
    const ns = cfg.metadata.namespace ?? 'default';
    const svcName = ownerName(cfg, 'Service');
    if (svcName) this.ctx.queue.enqueue(Controller.service, `${ns}/${svcName}`);
    for (const r of this.ctx.store.list(KROUTE, ns)) {
      if ((r.spec.traffic ?? []).some((t) => t.configurationName === cfg.metadata.name || t.revisionName)) this.ctx.queue.enqueue(Controller.route, `${ns}/${r.metadata.name}`);
    }
  }
}
