/**
 * Object metadata, the checks every serving kind shares: knative/serving
 * pkg/apis/serving/metadata_validation.go, knative.dev/pkg apis/metadata_validation.go
 * (ValidateObjectMetadata, ValidateCreatorAndModifier), and the label syntax the Kubernetes API
 * server applies (apimachinery pkg/api/validation ValidateObjectMeta).
 */
import type { ObjectMeta } from '../../../core/v1.js';
import { deepEqual } from '../../../deep-copy.js';
import { CURRENT_FIELD, FieldError, errInvalidKeyName, errInvalidValue, errMissingField } from '../../../field-error.js';
import { goStringSlice, isQualifiedName, isValidLabelValue, nameIsDNS1035Label } from '../../../k8s-validation.js';
import { parseGoDuration } from '../../../config/parse.js';
import { ServingAnnotations } from '../types.js';

/** Metadata as the user wrote it: any field may be missing, and generateName may stand for name. */
export type Meta = Partial<ObjectMeta> & { generateName?: string };

const AUTOSCALING_GROUP = 'autoscaling.knative.dev';

/** knative.dev/pkg apis.ValidateObjectMetadata: name or generateName, DNS-1035 either way. */
export function validateObjectMetadata(meta: Meta): FieldError | undefined {
  const name = meta.name ?? '';
  const generateName = meta.generateName ?? '';
  if (generateName !== '') {
    const msgs = nameIsDNS1035Label(generateName, true);
    if (msgs.length > 0) return FieldError.of(`not a DNS 1035 label prefix: ${goStringSlice(msgs)}`, ['generateName']);
  }
  if (name !== '') {
    const msgs = nameIsDNS1035Label(name, false);
    if (msgs.length > 0) return FieldError.of(`not a DNS 1035 label: ${goStringSlice(msgs)}`, ['name']);
  }
  if (generateName === '' && name === '') return FieldError.of('name or generateName is required', ['name']);
  return undefined;
}

/** serving.ValidateHasNoAutoscalingAnnotation: autoscaling belongs on the revision template. */
export function validateHasNoAutoscalingAnnotation(annotations: Readonly<Record<string, string>> | undefined): FieldError | undefined {
  const errs = Object.keys(annotations ?? {})
    .sort()
    .filter((k) => k.startsWith(AUTOSCALING_GROUP))
    .map((k) => errInvalidKeyName(k, CURRENT_FIELD, 'autoscaling annotations must be put under "spec.template.metadata.annotations" to work'));
  return FieldError.all(...errs);
}

/** Duration annotations (rollout-duration, progress-deadline): Go duration, whole seconds, >= 0. */
export function validateDurationAnnotation(annos: Readonly<Record<string, string>> | undefined, key: string, what: string): FieldError | undefined {
  const v = annos?.[key] ?? '';
  if (v === '') return undefined;
  let ms: number;
  try {
    ms = parseGoDuration(v);
  } catch {
    return errInvalidValue(v, key);
  }
  if (ms % 1000 !== 0) return FieldError.of(`${what}=${v} is not at second precision`, [key]);
  if (ms < 0) return FieldError.of(`${what}=${v} must be positive`, [key]);
  return undefined;
}

export const validateRolloutDurationAnnotation = (annos: Readonly<Record<string, string>> | undefined) =>
  validateDurationAnnotation(annos, ServingAnnotations.rolloutDuration, 'rollout-duration');

/**
 * verifyLabelOwnerRef: a service/configuration label must match a controlling owner of that kind.
 * Knative keeps it in configuration_validation.go; Route and Revision call it too.
 */
export function verifyLabelOwnerRef(val: string, label: string, kind: string, meta: Meta): FieldError | undefined {
  for (const ref of meta.ownerReferences ?? []) if (ref.kind === kind && ref.name === val) return undefined;
  return errMissingField(label);
}

/** apis.ValidateCreatorAndModifier (on update): the creator annotation is immutable. */
export function validateCreatorAndModifier(oldSpec: unknown, newSpec: unknown, oldA: Readonly<Record<string, string>> | undefined, newA: Readonly<Record<string, string>> | undefined) {
  let errs: FieldError | undefined;
  const c = ServingAnnotations.creator;
  const u = ServingAnnotations.lastModifier;
  if ((oldA?.[c] ?? '') !== (newA?.[c] ?? '')) errs = FieldError.all(errs, FieldError.of('annotation value is immutable', [c]));
  if (deepEqual(oldSpec, newSpec) && (oldA?.[u] ?? '') !== (newA?.[u] ?? '')) errs = FieldError.all(errs, errInvalidValue(newA?.[u] ?? '', u));
  return errs;
}

/** The label-syntax checks the Kubernetes API server applies to every object's metadata. */
export function validateK8sObjectMetaLabels(meta: Meta): FieldError | undefined {
  let errs: FieldError | undefined;
  for (const [k, v] of Object.entries(meta.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const km = isQualifiedName(k);
    if (km.length > 0) errs = FieldError.all(errs, FieldError.of(`Invalid value: ${JSON.stringify(k)}: ${km.join(', ')}`, ['metadata.labels']));
    const vm = isValidLabelValue(v);
    if (vm.length > 0) errs = FieldError.all(errs, FieldError.of(`Invalid value: ${JSON.stringify(v)}: ${vm.join(', ')}`, ['metadata.labels']));
  }
  for (const k of Object.keys(meta.annotations ?? {}).sort()) {
    const km = isQualifiedName(k.toLowerCase());
    if (km.length > 0) errs = FieldError.all(errs, FieldError.of(`Invalid value: ${JSON.stringify(k)}: ${km.join(', ')}`, ['metadata.annotations']));
  }
  return errs;
}
