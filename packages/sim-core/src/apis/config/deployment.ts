import { ConfigMapError, asBool, asDuration, asQuantity, asString, hasKey, type ConfigData } from './parse.js';

/** config-deployment (knative/serving pkg/deployment/config.go NewConfigFromMap), the keys knsim models. */
export const DEPLOYMENT_CONFIG_NAME = 'config-deployment';

export interface DeploymentConfig {
  queueSidecarImage: string;
  /** ProgressDeadlineDefault = 600s; in milliseconds. */
  progressDeadlineMs: number;
  digestResolutionTimeoutMs: number;
  registriesSkippingTagResolving: string[];
  queueSidecarCPURequest?: string;
  queueSidecarCPULimit?: string;
  queueSidecarMemoryRequest?: string;
  queueSidecarMemoryLimit?: string;
  queueSidecarEphemeralStorageRequest?: string;
  queueSidecarEphemeralStorageLimit?: string;
  podIsAlwaysSchedulable: boolean;
}

/** The image the simulated install ships (config/core/configmaps/deployment.yaml, ko-resolved). */
export const DEFAULT_QUEUE_SIDECAR_IMAGE = 'gcr.io/knative-releases/knative.dev/serving/cmd/queue';

export function defaultDeploymentConfig(): DeploymentConfig {
  return {
    queueSidecarImage: '',
    progressDeadlineMs: 600_000,
    digestResolutionTimeoutMs: 10_000,
    registriesSkippingTagResolving: ['dev.local', 'kind.local', 'ko.local'],
    // Only the CPU request has a default in code (25m); the other example values are opt-in.
    queueSidecarCPURequest: '25m',
    podIsAlwaysSchedulable: false,
  };
}

export function parseDeployment(data: ConfigData): DeploymentConfig {
  const cm = DEPLOYMENT_CONFIG_NAME;
  const c = defaultDeploymentConfig();
  const set = (s: string) => [...new Set(s.split(',').map((x) => x.trim()))].filter((x) => x !== '').sort();
  asString(cm, data, 'queueSidecarImage', (v) => (c.queueSidecarImage = v));
  asDuration(cm, data, 'progressDeadline', (v) => (c.progressDeadlineMs = v));
  asString(cm, data, 'queue-sidecar-image', (v) => (c.queueSidecarImage = v));
  asDuration(cm, data, 'progress-deadline', (v) => (c.progressDeadlineMs = v));
  asDuration(cm, data, 'digest-resolution-timeout', (v) => (c.digestResolutionTimeoutMs = v));
  if (hasKey(data, 'registries-skipping-tag-resolving')) c.registriesSkippingTagResolving = set(data['registries-skipping-tag-resolving']!);
  asQuantity(cm, data, 'queue-sidecar-cpu-request', (v) => (c.queueSidecarCPURequest = v));
  asQuantity(cm, data, 'queue-sidecar-cpu-limit', (v) => (c.queueSidecarCPULimit = v));
  asQuantity(cm, data, 'queue-sidecar-memory-request', (v) => (c.queueSidecarMemoryRequest = v));
  asQuantity(cm, data, 'queue-sidecar-memory-limit', (v) => (c.queueSidecarMemoryLimit = v));
  asQuantity(cm, data, 'queue-sidecar-ephemeral-storage-request', (v) => (c.queueSidecarEphemeralStorageRequest = v));
  asQuantity(cm, data, 'queue-sidecar-ephemeral-storage-limit', (v) => (c.queueSidecarEphemeralStorageLimit = v));
  asBool(cm, data, 'pod-is-always-schedulable', (v) => (c.podIsAlwaysSchedulable = v));
  if (c.queueSidecarImage === '') throw new ConfigMapError(cm, 'queue-sidecar-image cannot be empty or unset');
  if (c.progressDeadlineMs <= 0) {
    throw new ConfigMapError(cm, `progress-deadline cannot be a non-positive duration, was ${formatGoDuration(c.progressDeadlineMs)}`);
  }
  if (c.progressDeadlineMs % 1000 !== 0) {
    throw new ConfigMapError(cm, `progress-deadline must be rounded to a whole second, was: ${formatGoDuration(c.progressDeadlineMs)}`);
  }
  if (c.digestResolutionTimeoutMs <= 0) {
    throw new ConfigMapError(cm, `digest-resolution-timeout cannot be a non-positive duration, was ${formatGoDuration(c.digestResolutionTimeoutMs)}`);
  }
  return c;
}

/** time.Duration.String() for whole-millisecond values ("10m0s", "1.5s", "0s"). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${rest / 1000}s`;
  return sign + (h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s);
}
