import { ServingLabels, type Configuration, type Revision } from '../../apis/serving/v1/types.js';
import { KCONFIG, KREVISION, KROUTE } from '../../apis/kinds.js';
import { startController, markCondition, ownerName, writeStatus, type ReconcilerContext } from '../context.js';
import { Controller, REVISION_CONFIGURATION_INDEX, ROUTE_CONFIGURATION_INDEX, ROUTE_REVISION_INDEX } from '../controller-names.js';
import { latestCreatedRevision, configurationStatusFor } from './latest-revision.js';
import { makeRevision } from './revision.js';

/**
 * Knative's Configuration reconciler (pkg/reconciler/configuration): it stamps a Revision from
 * each new template generation, and reports the latest created and latest ready revisions.
 */
export class ConfigurationReconciler {
  constructor(private readonly ctx: ReconcilerContext) {
    ctx.store.addIndex(KREVISION, REVISION_CONFIGURATION_INDEX, (r) => {
      const c = r.metadata.labels?.[ServingLabels.configuration];
      return c === undefined ? [] : [c];
    });
    startController(ctx, Controller.configuration, KCONFIG, (ns, name) => this.reconcile(ns, name));
  }

  reconcile(ns: string, name: string): void {
    const ctx = this.ctx;
    const store = ctx.store;
    const cfg = store.get(KCONFIG, ns, name);
    if (!cfg) return;
    const lc = latestCreatedRevision(cfg, this.candidates(cfg));
    let latest: Revision;
    let isBYO: boolean;
    if (lc.kind === 'notFound') {
      latest = makeRevision(cfg, ctx.env.now);
      isBYO = lc.isBYOName;
      store.put(latest);
      // As stored after the revision controller's watch wrote its first status (read-only).
      latest = store.peek(KREVISION, ns, latest.metadata.name)! as Revision;
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
    const st = configurationStatusFor(cfg, this.candidates(cfg), latest, isBYO);
    const status = (cfg.status ??= {});
    status.observedGeneration = cfg.metadata.generation ?? 1;
    if (st.latestCreatedRevisionName) status.latestCreatedRevisionName = st.latestCreatedRevisionName;
    if (st.latestReadyRevisionName) status.latestReadyRevisionName = st.latestReadyRevisionName;
    markCondition(ctx, cfg, 'Configuration', 'Ready', st.ready.status, st.ready.reason, st.ready.message);
    writeStatus(ctx, cfg);
    this.afterStatus(cfg);
  }

  /**
   * The revisions the selection reads (read-only views, sorted by name): those labelled with this
   * configuration, and the ones the template's BYO name and the latest ready name refer to.
   */
  private candidates(cfg: Configuration): Revision[] {
    const store = this.ctx.store;
    const ns = cfg.metadata.namespace ?? 'default';
    const out = store.byIndex(KREVISION, REVISION_CONFIGURATION_INDEX, ns, cfg.metadata.name) as Revision[];
    for (const n of [cfg.spec.template?.metadata?.name, cfg.status?.latestReadyRevisionName]) {
      if (!n || out.some((r) => r.metadata.name === n)) continue;
      const r = store.peek(KREVISION, ns, n);
      if (r !== undefined) out.push(r as Revision);
    }
    return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  }

  /**
   * Its owning Service and the Routes that follow it reconcile again (their informers would see
   * the status change): those whose traffic names the configuration or one of its revisions.
   */
  private afterStatus(cfg: Configuration): void {
    const store = this.ctx.store;
    const ns = cfg.metadata.namespace ?? 'default';
    const svcName = ownerName(cfg, 'Service');
    if (svcName) this.ctx.queue.enqueue(Controller.service, `${ns}/${svcName}`);
    const routes = new Set(store.byIndex(KROUTE, ROUTE_CONFIGURATION_INDEX, ns, cfg.metadata.name).map((r) => r.metadata.name));
    for (const rev of store.byIndex(KREVISION, REVISION_CONFIGURATION_INDEX, ns, cfg.metadata.name)) {
      for (const r of store.byIndex(KROUTE, ROUTE_REVISION_INDEX, ns, rev.metadata.name)) routes.add(r.metadata.name);
    }
    for (const r of [...routes].sort()) this.ctx.queue.enqueue(Controller.route, `${ns}/${r}`);
  }
}
