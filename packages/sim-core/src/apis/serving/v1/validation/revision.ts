/**
 * Revision, RevisionSpec and RevisionTemplateSpec: knative/serving
 * pkg/apis/serving/v1/revision_validation.go. Services and Configurations validate their
 * template here.
 */
import { QUANTITY, parseGoFloat } from '../../../config/parse.js';
import { CURRENT_FIELD, FieldError, errDisallowedFields, errGeneric, errInvalidValue, errOutOfBoundsValue } from '../../../field-error.js';
import { goStringSlice, nameIsDNS1035Label } from '../../../k8s-validation.js';
import type { ServingConfig } from '../../../config/serving-config.js';
import { shortDiff } from '../short-diff.js';
import { ServingAnnotations, ServingLabels, type Revision, type RevisionSpec, type RevisionTemplateSpec } from '../types.js';
import type { ValidationContext } from './context.js';
import { type Meta, validateDurationAnnotation, validateObjectMetadata, verifyLabelOwnerRef } from './metadata.js';
import { validatePodSpec } from './pod-spec.js';

/** RevisionSpec.Validate: pod spec, timeoutSeconds ≤ max-revision-timeout-seconds, concurrency bounds. */
export function validateRevisionSpec(spec: RevisionSpec, config: ServingConfig): FieldError | undefined {
  let errs = validatePodSpec(spec, config);
  const d = config.defaults;
  const t = spec.timeoutSeconds;
  if (t !== undefined && t !== 0 && (t > d.maxRevisionTimeoutSeconds || t < 0)) {
    errs = FieldError.all(errs, errOutOfBoundsValue(t, 0, d.maxRevisionTimeoutSeconds, 'timeoutSeconds'));
  }
  const cc = spec.containerConcurrency;
  if (cc !== undefined) {
    const min = d.allowContainerConcurrencyZero ? 0 : 1;
    if (cc < min || cc > d.containerConcurrencyMaxLimit) {
      errs = FieldError.all(errs, errOutOfBoundsValue(cc, min, d.containerConcurrencyMaxLimit, CURRENT_FIELD).viaField('containerConcurrency'));
    }
  }
  return errs;
}

// The queue-proxy resource annotations (revision_validation.go validateQueueSidecarResourceAnnotations).
const QUEUE_RESOURCE_ANNOTATIONS = ['cpu-resource-request', 'cpu-resource-limit', 'memory-resource-request', 'memory-resource-limit', 'ephemeral-storage-resource-request', 'ephemeral-storage-resource-limit'].map(
  (s) => `queue.sidecar.serving.knative.dev/${s}`,
);

function validateQueueSidecarResourceAnnotations(m: Readonly<Record<string, string>> | undefined): FieldError | undefined {
  if (!m) return undefined;
  let errs: FieldError | undefined;
  const pct = 'queue.sidecar.serving.knative.dev/resource-percentage';
  if (m[pct] !== undefined) {
    errs = errGeneric('Queue proxy resource percentage annotation is deprecated. Please use the available annotations to explicitly set resource values per service').viaKey(pct).at('warning');
    let value: number | undefined;
    try {
      value = parseGoFloat(m[pct]!);
    } catch {
      errs = FieldError.all(errs, errInvalidValue(m[pct], CURRENT_FIELD).viaKey(pct));
    }
    if (value !== undefined && (value < 0.1 || value > 100)) errs = FieldError.all(errs, errOutOfBoundsValue(value, 0.1, '100', CURRENT_FIELD).viaKey(pct));
  }
  for (const k of QUEUE_RESOURCE_ANNOTATIONS) {
    if (m[k] !== undefined && !QUANTITY.test(m[k]!)) errs = FieldError.all(errs, errInvalidValue(m[k], CURRENT_FIELD).viaKey(k));
  }
  return errs;
}

/** validateRevisionName: DNS-1035, and a BYO name must start with `<parent>-`. */
function validateRevisionName(name: string, generateName: string, parent: Meta): FieldError | undefined {
  if (generateName !== '') {
    const msgs = nameIsDNS1035Label(generateName, true);
    if (msgs.length > 0) return errInvalidValue(`not a DNS 1035 label prefix: ${goStringSlice(msgs)}`, 'metadata.generateName');
  }
  if (name !== '') {
    const msgs = nameIsDNS1035Label(name, false);
    if (msgs.length > 0) return errInvalidValue(`not a DNS 1035 label: ${goStringSlice(msgs)}`, 'metadata.name');
    const parentName = parent.name ?? '';
    // A parent with only generateName has no stable prefix, so no BYO name is possible.
    if (parentName === '' && (parent.generateName ?? '') !== '') return errDisallowedFields('metadata.name');
    const prefix = `${parentName}-`;
    if (!name.startsWith(prefix)) return errInvalidValue(`${JSON.stringify(name)} must have prefix ${JSON.stringify(prefix)}`, 'metadata.name');
  }
  return undefined;
}

/** RevisionTemplateSpec.Validate. `parent` is the owning Service/Configuration's metadata. */
export function validateRevisionTemplate(t: RevisionTemplateSpec, ctx: ValidationContext<unknown>, parent: Meta): FieldError | undefined {
  const annotations = t.metadata?.annotations;
  return FieldError.all(
    validateRevisionSpec(t.spec ?? { containers: [] }, ctx.config)?.viaField('spec'),
    // >>> autoscaling annotations: the lead's hook (see AutoscalingAnnotationsValidator).
    ctx.validateAutoscalingAnnotations?.(annotations, ctx.config)?.viaField('metadata.annotations'),
    validateRevisionName(t.metadata?.name ?? '', t.metadata?.generateName ?? '', parent),
    validateQueueSidecarResourceAnnotations(annotations)?.viaField('metadata.annotations'),
    validateDurationAnnotation(annotations, ServingAnnotations.progressDeadline, 'progress-deadline')?.viaField('metadata.annotations'),
  );
}

/** RevisionTemplateSpec.VerifyNameChange: a BYO name must change whenever the template does. */
export function verifyNameChange(next: RevisionTemplateSpec | undefined, prev: RevisionTemplateSpec | undefined): FieldError | undefined {
  const name = next?.metadata?.name ?? '';
  if (name === '' || name !== (prev?.metadata?.name ?? '')) return undefined;
  const diff = shortDiff(prev, next, '{*v1.RevisionTemplateSpec}');
  if (diff !== '') return FieldError.of('Saw the following changes without a name change (-old +new)', ['metadata.name'], diff);
  return undefined;
}

/** Revision.Validate: full validation on create; on update only "the spec did not change". */
export function validateRevision(rev: Revision, ctx: ValidationContext<Revision>): FieldError | undefined {
  const meta = rev.metadata;
  const cfgLabel = meta.labels?.[ServingLabels.configuration];
  const errs = FieldError.all(
    validateObjectMetadata(meta),
    // Revisions are the one object that may carry autoscaling annotations on their own metadata.
    ctx.validateAutoscalingAnnotations?.(meta.annotations, ctx.config)?.viaField('annotations'),
    cfgLabel !== undefined ? verifyLabelOwnerRef(cfgLabel, ServingLabels.configuration, 'Configuration', meta)?.viaField('labels') : undefined,
  )?.viaField('metadata');
  if (ctx.old) {
    const diff = shortDiff(ctx.old.spec, rev.spec, '{v1.RevisionSpec}');
    if (diff !== '') return FieldError.of('Immutable fields changed (-old +new)', ['spec'], diff);
    return errs;
  }
  return FieldError.all(errs, validateRevisionSpec(rev.spec ?? { containers: [] }, ctx.config)?.viaField('spec'));
}
