/** Configuration: knative/serving pkg/apis/serving/v1/configuration_validation.go. */
import { FieldError } from '../../../field-error.js';
import { ServingLabels, type Configuration } from '../types.js';
import type { ValidationContext } from './context.js';
import { validateCreatorAndModifier, validateHasNoAutoscalingAnnotation, validateObjectMetadata, verifyLabelOwnerRef } from './metadata.js';
import { validateRevisionTemplate, verifyNameChange } from './revision.js';

export function validateConfiguration(cfg: Configuration, ctx: ValidationContext<Configuration>): FieldError | undefined {
  const meta = cfg.metadata;
  const svcLabel = meta.labels?.[ServingLabels.service];
  let errs = FieldError.all(
    validateObjectMetadata(meta),
    validateHasNoAutoscalingAnnotation(meta.annotations)?.viaField('annotations'),
    svcLabel !== undefined ? verifyLabelOwnerRef(svcLabel, ServingLabels.service, 'Service', meta)?.viaField('labels') : undefined,
  )?.viaField('metadata');
  errs = FieldError.all(errs, validateRevisionTemplate(cfg.spec?.template ?? { spec: { containers: [] } }, ctx, meta)?.viaField('spec.template'));
  if (ctx.old) {
    if (!meta.ownerReferences) {
      errs = FieldError.all(errs, validateCreatorAndModifier(ctx.old.spec, cfg.spec, ctx.old.metadata.annotations, meta.annotations)?.viaField('metadata.annotations'));
    }
    errs = FieldError.all(errs, verifyNameChange(cfg.spec?.template, ctx.old.spec?.template)?.viaField('spec.template'));
  }
  return errs;
}
