/**
 * Which fields a revision may set: knative/serving pkg/apis/serving/fieldmask.go (PodSpecMask,
 * ContainerMask, ProbeMask, ...) and knative.dev/pkg apis.CheckDisallowedFields.
 */
import { FieldError, errDisallowedFields } from '../../../field-error.js';
import type { Features } from '../../../config/features.js';

export const CONTAINER_FIELDS = new Set([
  'name', 'args', 'command', 'env', 'workingDir', 'envFrom', 'image', 'imagePullPolicy', 'livenessProbe', 'ports',
  'readinessProbe', 'resources', 'securityContext', 'startupProbe', 'terminationMessagePath', 'terminationMessagePolicy', 'volumeMounts',
]);
export const PROBE_FIELDS = new Set(['httpGet', 'tcpSocket', 'exec', 'grpc', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds']);
export const CONTAINER_PORT_FIELDS = new Set(['containerPort', 'name', 'protocol']);
export const ENV_FIELDS = new Set(['name', 'value', 'valueFrom']);
export const RESOURCE_FIELDS = new Set(['limits', 'requests']);

/** PodSpecMask: the PodSpec fields a revision may set, some behind config-features flags. */
export function allowedPodSpecFields(f: Features): Set<string> {
  const allowed = new Set(['serviceAccountName', 'containers', 'volumes', 'imagePullSecrets', 'enableServiceLinks', 'automountServiceAccountToken']);
  const gated: Array<[keyof Features, string]> = [
    ['podSpecAffinity', 'affinity'],
    ['podSpecTopologySpreadConstraints', 'topologySpreadConstraints'],
    ['podSpecHostAliases', 'hostAliases'],
    ['podSpecNodeSelector', 'nodeSelector'],
    ['podSpecRuntimeClassName', 'runtimeClassName'],
    ['podSpecTolerations', 'tolerations'],
    ['podSpecSecurityContext', 'securityContext'],
    ['podSpecShareProcessNamespace', 'shareProcessNamespace'],
    ['podSpecPriorityClassName', 'priorityClassName'],
    ['podSpecSchedulerName', 'schedulerName'],
    ['podSpecInitContainers', 'initContainers'],
    ['podSpecDNSPolicy', 'dnsPolicy'],
    ['podSpecDNSConfig', 'dnsConfig'],
    ['podSpecHostIPC', 'hostIPC'],
    ['podSpecHostPID', 'hostPID'],
    ['podSpecHostNetwork', 'hostNetwork'],
  ];
  for (const [flag, field] of gated) if (f[flag] !== 'Disabled') allowed.add(field);
  if (f.securePodDefaults !== 'Disabled') allowed.add('securityContext');
  return allowed;
}

/** apis.CheckDisallowedFields: every set field outside the mask, by JSON name, sorted. */
export function checkDisallowedFields(obj: object | undefined, allowed: ReadonlySet<string>): FieldError | undefined {
  if (!obj) return undefined;
  const bad = Object.keys(obj)
    .filter((k) => !allowed.has(k) && isSet((obj as Record<string, unknown>)[k]))
    .sort();
  return bad.length > 0 ? errDisallowedFields(...bad) : undefined;
}

// kmp.CompareSetFields ignores zero values: false, 0, "", empty lists and maps.
export function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}
