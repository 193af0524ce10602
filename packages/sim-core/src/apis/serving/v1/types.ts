import type { KObject, ObjectMeta } from '../../core/v1.js';

/**
 * serving.knative.dev/v1 objects in their JSON shape (knative/serving pkg/apis/serving/v1/*_types.go),
 * restricted to what knsim reads; a user's manifest may carry more and keeps it. Optional fields are
 * optional exactly where Knative's Go type has a pointer or `omitempty`, because defaulting and
 * validation distinguish "unset" from zero (e.g. `percent`, `latestRevision`, `timeoutSeconds`).
 */

/** The label and annotation keys Serving sets and reads (pkg/apis/serving/register.go). */
export const ServingLabels = {
  service: 'serving.knative.dev/service',
  serviceUID: 'serving.knative.dev/serviceUID',
  configuration: 'serving.knative.dev/configuration',
  configurationUID: 'serving.knative.dev/configurationUID',
  configurationGeneration: 'serving.knative.dev/configurationGeneration',
  revision: 'serving.knative.dev/revision',
  route: 'serving.knative.dev/route',
  routeNamespace: 'serving.knative.dev/routeNamespace',
  routingState: 'serving.knative.dev/routingState',
  domainMappingUID: 'serving.knative.dev/domainMappingUID',
  domainMappingNamespace: 'serving.knative.dev/domainMappingNamespace',
  /** knative.dev/networking pkg/apis/networking/register.go VisibilityLabelKey. */
  visibility: 'networking.knative.dev/visibility',
} as const;

export const ServingAnnotations = {
  routes: 'serving.knative.dev/routes',
  rolloutDuration: 'serving.knative.dev/rollout-duration',
  creator: 'serving.knative.dev/creator',
  lastModifier: 'serving.knative.dev/lastModifier',
  progressDeadline: 'serving.knative.dev/progress-deadline',
  routingStateModified: 'serving.knative.dev/routingStateModified',
} as const;

/** The visibility label's one meaningful value (serving.VisibilityClusterLocal). */
export const VISIBILITY_CLUSTER_LOCAL = 'cluster-local';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** knative.dev/pkg apis.Condition; lastTransitionTime is simulated milliseconds. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  severity?: '' | 'Warning' | 'Info';
  reason?: string;
  message?: string;
  lastTransitionTime?: number;
}

/** duckv1.Status. */
export interface Status {
  observedGeneration?: number;
  conditions?: Condition[];
  annotations?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
  hostIP?: string;
  hostPort?: number;
}

export interface HTTPGetAction {
  path?: string;
  port?: number | string;
  host?: string;
  scheme?: 'HTTP' | 'HTTPS';
  httpHeaders?: Array<{ name: string; value: string }>;
}

export interface Probe {
  httpGet?: HTTPGetAction;
  tcpSocket?: { port?: number | string; host?: string };
  exec?: { command?: string[] };
  grpc?: { port?: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

/** Quantities stay strings, as the user wrote them ("400m", "128Mi"). */
export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: Array<Record<string, unknown>>;
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: ResourceRequirements;
  securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath?: string; readOnly?: boolean; subPath?: string }>;
  imagePullPolicy?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  [field: string]: unknown;
}

/** RevisionSpec: the PodSpec subset Knative allows, plus Knative's own fields. */
export interface RevisionSpec {
  containers: Container[];
  volumes?: Array<Record<string, unknown> & { name: string }>;
  serviceAccountName?: string;
  imagePullSecrets?: Array<{ name: string }>;
  enableServiceLinks?: boolean;
  /** 0 = unlimited. Defaulted from config-defaults `container-concurrency`. */
  containerConcurrency?: number;
  /** Maximum request duration. Defaulted from config-defaults `revision-timeout-seconds`. */
  timeoutSeconds?: number;
  responseStartTimeoutSeconds?: number;
  idleTimeoutSeconds?: number;
  [field: string]: unknown;
}

export interface RevisionTemplateSpec {
  metadata?: Partial<ObjectMeta> & { generateName?: string };
  spec: RevisionSpec;
}

export interface ContainerStatus {
  name: string;
  imageDigest?: string;
}

export type RoutingState = '' | 'active' | 'pending' | 'reserve';

export interface RevisionStatus extends Status {
  logUrl?: string;
  containerStatuses?: ContainerStatus[];
  actualReplicas?: number;
  desiredReplicas?: number;
}

export interface Revision extends KObject {
  apiVersion: 'serving.knative.dev/v1';
  kind: 'Revision';
  spec: RevisionSpec;
  status?: RevisionStatus;
}

export interface ConfigurationSpec {
  template: RevisionTemplateSpec;
}

export interface ConfigurationStatusFields {
  latestReadyRevisionName?: string;
  latestCreatedRevisionName?: string;
}

export interface Configuration extends KObject {
  apiVersion: 'serving.knative.dev/v1';
  kind: 'Configuration';
  spec: ConfigurationSpec;
  status?: Status & ConfigurationStatusFields;
}

/** route_types.go TrafficTarget. */
export interface TrafficTarget {
  tag?: string;
  revisionName?: string;
  configurationName?: string;
  latestRevision?: boolean;
  percent?: number;
  /** Status only; validation rejects it in spec. */
  url?: string;
}

export interface RouteSpec {
  traffic?: TrafficTarget[];
}

export interface Addressable {
  url?: string;
}

export interface RouteStatusFields {
  url?: string;
  address?: Addressable;
  traffic?: TrafficTarget[];
}

export interface Route extends KObject {
  apiVersion: 'serving.knative.dev/v1';
  kind: 'Route';
  spec: RouteSpec;
  status?: Status & RouteStatusFields;
}

export interface ServiceSpec extends ConfigurationSpec, RouteSpec {}

export interface Service extends KObject {
  apiVersion: 'serving.knative.dev/v1';
  kind: 'Service';
  spec: ServiceSpec;
  status?: Status & RouteStatusFields & ConfigurationStatusFields;
}

/** duckv1.KReference. */
export interface KReference {
  kind?: string;
  namespace?: string;
  name?: string;
  apiVersion?: string;
  group?: string;
}

/** serving.knative.dev/v1beta1 DomainMapping (also served, deprecated, as v1alpha1). */
export interface DomainMapping extends KObject {
  apiVersion: 'serving.knative.dev/v1beta1';
  kind: 'DomainMapping';
  spec: { ref: KReference; tls?: { secretName: string } };
  status?: Status & { url?: string; address?: Addressable };
}

/** networking.internal.knative.dev/v1alpha1 ClusterDomainClaim (cluster-scoped). */
export interface ClusterDomainClaim extends KObject {
  apiVersion: 'networking.internal.knative.dev/v1alpha1';
  kind: 'ClusterDomainClaim';
  spec: { namespace: string };
}

export type ServingObject = Service | Configuration | Route | Revision | DomainMapping;

/** Condition types (pkg/apis/serving/v1/*_lifecycle.go). */
export const RouteConditions = {
  Ready: 'Ready',
  AllTrafficAssigned: 'AllTrafficAssigned',
  IngressReady: 'IngressReady',
  CertificateProvisioned: 'CertificateProvisioned',
} as const;

export const RevisionConditions = {
  Ready: 'Ready',
  ResourcesAvailable: 'ResourcesAvailable',
  ContainerHealthy: 'ContainerHealthy',
  Active: 'Active',
} as const;

export const DomainMappingConditions = {
  Ready: 'Ready',
  ReferenceResolved: 'ReferenceResolved',
  IngressReady: 'IngressReady',
  DomainClaimed: 'DomainClaimed',
  CertificateProvisioned: 'CertificateProvisioned',
} as const;

export function getCondition(status: Status | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Revision.IsReady (revision_lifecycle.go): Ready=True for the current generation. */
export function isRevisionReady(rev: Revision): boolean {
  const s = rev.status;
  if (!s) return false;
  if ((s.observedGeneration ?? 0) !== (rev.metadata.generation ?? 0)) return false;
  return getCondition(s, RevisionConditions.Ready)?.status === 'True';
}
