/**
 * What the webhook's Validate methods read from their Go `ctx`: the serving config
 * (config.FromContextOrDefaults) and, on update, the stored object (apis.IsInUpdate /
 * apis.GetBaseline, knative.dev/pkg apis/contexts.go).
 */
import type { FieldError } from '../../../field-error.js';
import type { ServingConfig } from '../../../config/serving-config.js';

/**
 * THE hook for autoscaling annotations: the lead wires the autoscaler helper's
 * `validateAutoscalingAnnotations` (pkg/apis/autoscaling/annotation_validation.go
 * ValidateAnnotations) in here. It receives the annotations of a revision template (or of a
 * Revision) and returns errors relative to the annotations map (paths are the annotation keys).
 */
export type AutoscalingAnnotationsValidator = (annotations: Readonly<Record<string, string>> | undefined, config: ServingConfig) => FieldError | undefined;

export interface ValidationContext<T> {
  config: ServingConfig;
  /** The stored object on update (apis.WithinUpdate); absent on create. */
  old?: T;
  validateAutoscalingAnnotations?: AutoscalingAnnotationsValidator;
}
