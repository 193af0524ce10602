/**
 * Validate as the Serving webhook does (pkg/apis/serving/v1/*_validation.go,
 * pkg/apis/serving/k8s_validation.go, metadata_validation.go, knative.dev/pkg apis), on the
 * *defaulted* object: run setXDefaults first, as the webhook does. Messages and paths are
 * Knative's; the result prints like the webhook's denial (`String(err)`).
 *
 * One file per Knative source under validation/; this list is their public surface.
 */
export type { AutoscalingAnnotationsValidator, ValidationContext } from './validation/context.js';
export {
  validateObjectMetadata,
  validateHasNoAutoscalingAnnotation,
  validateRolloutDurationAnnotation,
  validateK8sObjectMetaLabels,
} from './validation/metadata.js';
export { validatePodSpec } from './validation/pod-spec.js';
export { validateRevisionSpec, validateRevisionTemplate, verifyNameChange, validateRevision } from './validation/revision.js';
export { type TrafficValidationOptions, validateTrafficTarget, validateTrafficList, validateRoute } from './validation/route.js';
export { validateService } from './validation/service.js';
export { validateConfiguration } from './validation/configuration.js';
export { validateDomainMapping } from './validation/domain-mapping.js';
