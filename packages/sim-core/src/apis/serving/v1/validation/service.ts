/** Service: knative/serving pkg/apis/serving/v1/service_validation.go. */
import { FieldError } from '../../../field-error.js';
import type { Service } from '../types.js';
import type { ValidationContext } from './context.js';
import { validateCreatorAndModifier, validateHasNoAutoscalingAnnotation, validateObjectMetadata, validateRolloutDurationAnnotation } from './metadata.js';
import { validateRevisionTemplate, verifyNameChange } from './revision.js';
import { validateTrafficList } from './route.js';

export function validateService(svc: Service, ctx: ValidationContext<Service>): FieldError | undefined {
  const meta = svc.metadata;
  let errs = FieldError.all(
    validateObjectMetadata(meta),
    validateHasNoAutoscalingAnnotation(meta.annotations)?.viaField('annotations'),
    validateRolloutDurationAnnotation(meta.annotations)?.viaField('annotations'),
  )?.viaField('metadata');
  const spec = svc.spec ?? ({} as Service['spec']);
  errs = FieldError.all(
    errs,
    FieldError.all(
      validateRevisionTemplate(spec.template ?? { spec: { containers: [] } }, ctx, meta)?.viaField('template'),
      validateTrafficList(spec.traffic, { inSpec: true, hasDefaultConfigurationName: true })?.viaField('traffic'),
    )?.viaField('spec'),
  );
  if (ctx.old) {
    errs = FieldError.all(
      errs,
      validateCreatorAndModifier(ctx.old.spec, svc.spec, ctx.old.metadata.annotations, meta.annotations)?.viaField('metadata.annotations'),
      verifyNameChange(spec.template, ctx.old.spec?.template)?.viaField('spec.template'),
    );
  }
  return errs;
}
