// `Service` is re-exported as `KService` (kubectl's ksvc) so it can sit beside core/v1's Service.
export type {
  ConditionStatus,
  Condition,
  Status,
  EnvVar,
  ContainerPort,
  HTTPGetAction,
  Probe,
  ResourceRequirements,
  Container,
  RevisionSpec,
  RevisionTemplateSpec,
  ContainerStatus,
  RoutingState,
  RevisionStatus,
  Revision,
  ConfigurationSpec,
  ConfigurationStatusFields,
  Configuration,
  TrafficTarget,
  RouteSpec,
  Addressable,
  RouteStatusFields,
  Route,
  ServiceSpec,
  Service as KService,
  KReference,
  DomainMapping,
  ClusterDomainClaim,
  ServingObject,
} from './types.js';
export {
  ServingLabels,
  ServingAnnotations,
  VISIBILITY_CLUSTER_LOCAL,
  RouteConditions,
  RevisionConditions,
  DomainMappingConditions,
  getCondition,
  isRevisionReady,
} from './types.js';
export * from './defaults.js';
export * from './validation.js';
export * from './admission.js';
export * from './short-diff.js';
