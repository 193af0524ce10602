import { childName } from '../../apis/kmeta.js';
import { deepCopy } from '../../apis/deep-copy.js';
import { ServingAnnotations, ServingLabels, type Configuration, type Revision } from '../../apis/serving/v1/types.js';

/**
 * The Revision a Configuration stamps out (knative/serving pkg/reconciler/configuration/
 * resources/revision.go MakeRevision).
 */

/** `<config>-<generation, 5 digits>` via kmeta.ChildName, unless the template names it (BYO). */
export function revisionName(cfg: Configuration): string {
  const byo = cfg.spec.template?.metadata?.name ?? '';
  if (byo !== '') return byo;
  return childName(cfg.metadata.name, `-${String(cfg.metadata.generation ?? 0).padStart(5, '0')}`);
}

/** RevisionLabelValueForKey. */
export function revisionLabelValueForKey(key: string, cfg: Configuration): string {
  switch (key) {
    case ServingLabels.configuration:
      return cfg.metadata.name;
    case ServingLabels.service:
      return cfg.metadata.labels?.[ServingLabels.service] ?? '';
    case ServingLabels.configurationGeneration:
      return String(cfg.metadata.generation ?? 0);
    case ServingLabels.configurationUID:
      return cfg.metadata.uid ?? '';
    case ServingLabels.serviceUID:
      return cfg.metadata.labels?.[ServingLabels.serviceUID] ?? '';
  }
  return '';
}

/**
 * MakeRevision: the template's metadata and spec, the owner labels, routingState `pending`
 * (or `active` when a Route already references the configuration), owned by the Configuration.
 */
export function makeRevision(cfg: Configuration, nowMs: number): Revision {
  const t = cfg.spec.template;
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  for (const key of [ServingLabels.configuration, ServingLabels.service, ServingLabels.configurationGeneration, ServingLabels.configurationUID, ServingLabels.serviceUID]) {
    const v = revisionLabelValueForKey(key, cfg);
    if (v !== '') labels[key] = v;
  }
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  const cans = cfg.metadata.annotations ?? {};
  if (cans[ServingAnnotations.lastModifier] !== undefined) annotations[ServingAnnotations.creator] = cans[ServingAnnotations.lastModifier]!;
  let routingState = 'pending';
  if (cans[ServingAnnotations.routes] !== undefined) {
    annotations[ServingAnnotations.routes] = cans[ServingAnnotations.routes]!;
    routingState = 'active';
  }
  labels[ServingLabels.routingState] = routingState;
  annotations[ServingAnnotations.routingStateModified] = String(nowMs);
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      ...(deepCopy(t.metadata) ?? {}),
      name: revisionName(cfg),
      namespace: cfg.metadata.namespace ?? 'default',
      labels,
      annotations,
      ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: cfg.metadata.name, controller: true }],
    },
    spec: deepCopy(t.spec),
  };
}
