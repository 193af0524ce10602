/**
 * Route and its traffic targets: knative/serving pkg/apis/serving/v1/route_validation.go. A
 * Service validates its inline traffic block with the same list check.
 */
import {
  CURRENT_FIELD,
  FieldError,
  errDisallowedFields,
  errGeneric,
  errInvalidArrayValue,
  errInvalidKeyName,
  errMissingField,
  errMissingOneOf,
  errMultipleOneOf,
  errOutOfBoundsValue,
} from '../../../field-error.js';
import { goStringSlice, isDNS1035Label, isQualifiedName } from '../../../k8s-validation.js';
import { ServingLabels, type Route, type TrafficTarget } from '../types.js';
import type { ValidationContext } from './context.js';
import { validateCreatorAndModifier, validateHasNoAutoscalingAnnotation, validateObjectMetadata, validateRolloutDurationAnnotation, verifyLabelOwnerRef } from './metadata.js';

export interface TrafficValidationOptions {
  /** apis.IsInSpec: url is disallowed and latestRevision must agree with revisionName. */
  inSpec: boolean;
  /** Inside a Service (WithDefaultConfigurationName): configurationName is disallowed. */
  hasDefaultConfigurationName: boolean;
  /** apis.IsInStatus: a status target must name its revision, and a tagged one its url. */
  inStatus?: boolean;
}

export function validateTrafficTarget(tt: TrafficTarget, o: TrafficValidationOptions): FieldError | undefined {
  let errs: FieldError | undefined;
  const revisionName = tt.revisionName ?? '';
  const configurationName = tt.configurationName ?? '';
  if (o.inSpec && tt.latestRevision !== undefined) {
    if ((revisionName !== '') === tt.latestRevision) {
      errs = errGeneric(`may not set revisionName ${JSON.stringify(revisionName)} when latestRevision is ${tt.latestRevision}`, 'latestRevision');
    }
  }
  if (o.hasDefaultConfigurationName && configurationName !== '') errs = FieldError.all(errs, errDisallowedFields('configurationName'));
  else if (revisionName !== '' && configurationName !== '') errs = FieldError.all(errs, errMultipleOneOf('revisionName', 'configurationName'));
  else if (revisionName !== '') {
    const el = isQualifiedName(revisionName);
    if (el.length > 0) errs = FieldError.all(errs, errInvalidKeyName(revisionName, 'revisionName', el.join(', ')));
  } else if (o.inStatus) errs = FieldError.all(errs, errMissingField('revisionName'));
  else if (configurationName !== '') {
    const el = isQualifiedName(configurationName);
    if (el.length > 0) errs = FieldError.all(errs, errInvalidKeyName(configurationName, 'configurationName', el.join(', ')));
  } else if (!o.hasDefaultConfigurationName) errs = FieldError.all(errs, errMissingOneOf('revisionName', 'configurationName'));

  if (tt.percent !== undefined && (tt.percent < 0 || tt.percent > 100)) errs = FieldError.all(errs, errOutOfBoundsValue(tt.percent, 0, 100, 'percent'));

  if ((tt.url ?? '') !== '') {
    if (o.inSpec) errs = FieldError.all(errs, errDisallowedFields('url'));
    if ((tt.tag ?? '') === '') errs = FieldError.all(errs, errDisallowedFields('url'));
  } else if ((tt.tag ?? '') !== '' && o.inStatus) errs = FieldError.all(errs, errMissingField('url'));
  return errs;
}

/** validateTrafficList: per-target checks, DNS-1035 tags, duplicate tags, and a 100% total. */
export function validateTrafficList(traffic: readonly TrafficTarget[] | undefined, o: TrafficValidationOptions): FieldError | undefined {
  let errs: FieldError | undefined;
  const seen = new Map<string, number>();
  let sum = 0;
  (traffic ?? []).forEach((tt, i) => {
    errs = FieldError.all(errs, validateTrafficTarget(tt, o)?.viaIndex(i));
    if (tt.percent !== undefined) sum += tt.percent;
    const tag = tt.tag ?? '';
    if (tag === '') return;
    const msgs = isDNS1035Label(tag);
    // ErrInvalidArrayValue("tag", i) yields the path `tag[i]`, hence `spec.traffic.tag[0]`.
    if (msgs.length > 0) errs = FieldError.all(errs, errInvalidArrayValue(`not a DNS 1035 label: ${goStringSlice(msgs)}`, 'tag', i));
    const idx = seen.get(tag);
    if (idx !== undefined) errs = FieldError.all(errs, FieldError.of(`Multiple definitions for ${JSON.stringify(tag)}`, [`[${i}].tag`, `[${idx}].tag`]));
    else seen.set(tag, i);
  });
  if (sum !== 100) errs = FieldError.all(errs, FieldError.of(`Traffic targets sum to ${sum}, want 100`, [CURRENT_FIELD]));
  return errs;
}

export function validateRoute(route: Route, ctx: ValidationContext<Route>): FieldError | undefined {
  const meta = route.metadata;
  const svcLabel = meta.labels?.[ServingLabels.service];
  let errs = FieldError.all(
    validateObjectMetadata(meta),
    validateHasNoAutoscalingAnnotation(meta.annotations)?.viaField('annotations'),
    svcLabel !== undefined ? verifyLabelOwnerRef(svcLabel, ServingLabels.service, 'Service', meta)?.viaField('labels') : undefined,
    validateRolloutDurationAnnotation(meta.annotations)?.viaField('annotations'),
  )?.viaField('metadata');
  errs = FieldError.all(errs, validateTrafficList(route.spec?.traffic, { inSpec: true, hasDefaultConfigurationName: false })?.viaField('spec.traffic'));
  if (ctx.old && !meta.ownerReferences) {
    errs = FieldError.all(errs, validateCreatorAndModifier(ctx.old.spec, route.spec, ctx.old.metadata.annotations, meta.annotations)?.viaField('metadata.annotations'));
  }
  return errs;
}
