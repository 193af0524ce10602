import { deepEqual } from '../../apis/deep-copy.js';
import { ServingLabels, getCondition, isRevisionReady, type Configuration, type ConfigurationStatusFields, type Revision } from '../../apis/serving/v1/types.js';
import { revisionLabelValueForKey } from './revision.js';

/**
 * Latest created / latest ready revision selection (knative/serving
 * pkg/reconciler/configuration/configuration.go).
 */

const generationOf = (rev: Revision): number | undefined => {
  const v = rev.metadata.labels?.[ServingLabels.configurationGeneration];
  return v !== undefined && /^-?[0-9]+$/.test(v) ? Number(v) : undefined;
};

const ownedBy = (rev: Revision, cfg: Configuration) =>
  (rev.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.kind === 'Configuration' && o.name === cfg.metadata.name);

export type LatestCreated =
  | { kind: 'found'; revision: Revision; isBYOName: boolean }
  /** No revision for this generation yet: the reconciler creates one. */
  | { kind: 'notFound'; isBYOName: boolean }
  /** A BYO name taken by another object, or by a revision of different content. */
  | { kind: 'alreadyExists'; name: string; message: string };

/**
 * CheckNameAvailability + latestCreatedRevision. `revisions` are those in the configuration's
 * namespace. A BYO name that exists but belongs to someone else, or whose spec differs from
 * the template, is a conflict (`revisions.serving.knative.dev "<name>" already exists`).
 */
export function latestCreatedRevision(cfg: Configuration, revisions: readonly Revision[]): LatestCreated {
  const byo = cfg.spec.template?.metadata?.name ?? '';
  if (byo !== '') {
    const rev = revisions.find((r) => r.metadata.name === byo);
    if (!rev) return { kind: 'notFound', isBYOName: true };
    const conflict = { kind: 'alreadyExists' as const, name: byo, message: `revisions.serving.knative.dev ${JSON.stringify(byo)} already exists` };
    if (!ownedBy(rev, cfg)) return conflict;
    const expected = revisionLabelValueForKey(ServingLabels.configurationGeneration, cfg);
    if (rev.metadata.labels?.[ServingLabels.configurationGeneration] === expected) return { kind: 'found', revision: rev, isBYOName: true };
    // Same name, older generation: fine only if the content is unchanged.
    if (!deepEqual(cfg.spec.template.spec, rev.spec)) return conflict;
    return { kind: 'found', revision: rev, isBYOName: true };
  }
  const gen = revisionLabelValueForKey(ServingLabels.configurationGeneration, cfg);
  const rev = revisions.find(
    (r) => r.metadata.labels?.[ServingLabels.configurationGeneration] === gen && r.metadata.labels?.[ServingLabels.configuration] === cfg.metadata.name,
  );
  return rev ? { kind: 'found', revision: rev, isBYOName: false } : { kind: 'notFound', isBYOName: false };
}

/**
 * getSortedCreatedRevisions + findAndSetLatestReadyRevision: among this configuration's revisions
 * from the current latest-ready one's generation up to the current generation (plus a BYO latest
 * created one), newest first with the template's BYO name first, the first Ready one. So a failing
 * new revision leaves latestReady, and the traffic, on the old one.
 */
export function findLatestReadyRevision(cfg: Configuration, revisions: readonly Revision[], latestCreated: Revision, isBYOName: boolean): Revision | undefined {
  let list = revisions.filter((r) => r.metadata.labels?.[ServingLabels.configuration] === cfg.metadata.name);
  const lrrName = cfg.status?.latestReadyRevisionName ?? '';
  if (lrrName !== '') {
    const lrr = revisions.find((r) => r.metadata.name === lrrName);
    if (lrr) {
      const generation = cfg.metadata.generation ?? 0;
      const start = generationOf(lrr) ?? generation;
      const allowed = new Set<number>();
      for (let g = start; g <= generation; g++) allowed.add(g);
      const lcrGen = generationOf(latestCreated);
      if (isBYOName && lcrGen !== undefined) allowed.add(lcrGen);
      list = list.filter((r) => {
        const g = generationOf(r);
        return g !== undefined && allowed.has(g);
      });
    }
  }
  const byo = cfg.spec.template?.metadata?.name ?? '';
  const sorted = [...list].sort((a, b) => {
    if (a.metadata.name === byo && b.metadata.name !== byo) return -1;
    if (b.metadata.name === byo && a.metadata.name !== byo) return 1;
    const ga = generationOf(a) ?? -Infinity;
    const gb = generationOf(b) ?? -Infinity;
    if (ga !== gb) return gb - ga;
    // Ties (equal generations) by name so replays agree.
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  return sorted.find(isRevisionReady);
}

export interface ConfigurationStatusUpdate extends ConfigurationStatusFields {
  /** The Ready condition (configuration_lifecycle.go). */
  ready: { status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string };
}

/**
 * The status a reconcile writes once the latest created revision is known: latestCreated set
 * (Ready Unknown unless it is also latest ready), RevisionFailed when it failed, and
 * latestReady advanced to the newest ready revision (Ready True when that is the latest created).
 */
export function configurationStatusFor(cfg: Configuration, revisions: readonly Revision[], latestCreated: Revision, isBYOName: boolean): ConfigurationStatusUpdate {
  const prevReady = getCondition(cfg.status, 'Ready');
  let latestReadyRevisionName = cfg.status?.latestReadyRevisionName;
  const latestCreatedRevisionName = latestCreated.metadata.name;
  let ready: ConfigurationStatusUpdate['ready'] =
    latestReadyRevisionName === latestCreatedRevisionName && prevReady ? { status: prevReady.status, ...(prevReady.reason ? { reason: prevReady.reason } : {}), ...(prevReady.message ? { message: prevReady.message } : {}) } : { status: 'Unknown' };
  const rc = getCondition(latestCreated.status, 'Ready');
  if (rc?.status === 'False') {
    ready = { status: 'False', reason: 'RevisionFailed', message: `Revision ${JSON.stringify(latestCreatedRevisionName)} failed with message: ${rc.message ?? ''}.` };
  }
  const lrr = findLatestReadyRevision(cfg, revisions, latestCreated, isBYOName);
  if (lrr) {
    latestReadyRevisionName = lrr.metadata.name;
    if (latestReadyRevisionName === latestCreatedRevisionName) ready = { status: 'True' };
  }
  return { ...(latestReadyRevisionName !== undefined ? { latestReadyRevisionName } : {}), latestCreatedRevisionName, ready };
}
