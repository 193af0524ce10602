import { ConfigMapError, asBool, asDuration, asQuantity, asString, asValue, type ConfigData } from './parse.js';

/** config-deployment (knative/serving pkg/deployment/config.go NewConfigFromMap), the keys knsim models and their legacy spellings. */
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

const cm = DEPLOYMENT_CONFIG_NAME;
const stringSet = (s: string) => [...new Set(s.split(',').map((x) => x.trim()))].filter((x) => x !== '').sort();

/** Each key with its deprecated spelling, which Knative still reads (config.go: "Legacy keys for backwards compatibility"). */
const KEYS: ReadonlyArray<readonly [legacy: string, key: string, parse: (data: ConfigData, key: string, c: DeploymentConfig) => void]> = [
  ['queueSidecarImage', 'queue-sidecar-image', (d, k, c) => asString(cm, d, k, (v) => (c.queueSidecarImage = v))],
  ['progressDeadline', 'progress-deadline', (d, k, c) => asDuration(cm, d, k, (v) => (c.progressDeadlineMs = v))],
  ['digestResolutionTimeout', 'digest-resolution-timeout', (d, k, c) => asDuration(cm, d, k, (v) => (c.digestResolutionTimeoutMs = v))],
  ['registriesSkippingTagResolving', 'registries-skipping-tag-resolving', (d, k, c) => asValue(cm, d, k, stringSet, (v) => (c.registriesSkippingTagResolving = v))],
  ['queueSidecarCPURequest', 'queue-sidecar-cpu-request', (d, k, c) => asQuantity(cm, d, k, (v) => (c.queueSidecarCPURequest = v))],
  ['queueSidecarMemoryRequest', 'queue-sidecar-memory-request', (d, k, c) => asQuantity(cm, d, k, (v) => (c.queueSidecarMemoryRequest = v))],
  ['queueSidecarEphemeralStorageRequest', 'queue-sidecar-ephemeral-storage-request', (d, k, c) => asQuantity(cm, d, k, (v) => (c.queueSidecarEphemeralStorageRequest = v))],
  ['queueSidecarCPULimit', 'queue-sidecar-cpu-limit', (d, k, c) => asQuantity(cm, d, k, (v) => (c.queueSidecarCPULimit = v))],
  ['queueSidecarMemoryLimit', 'queue-sidecar-memory-limit', (d, k, c) => asQuantity(cm, d, k, (v) => (c.queueSidecarMemoryLimit = v))],
  ['queueSidecarEphemeralStorageLimit', 'queue-sidecar-ephemeral-storage-limit', (d, k, c) => asQuantity(cm, d, k, (v) => (c.queueSidecarEphemeralStorageLimit = v))],
];

export function parseDeployment(data: ConfigData): DeploymentConfig {
  const c = defaultDeploymentConfig();
  // The deprecated camelCase keys first; a kebab-case key, when present, wins.
  for (const pass of [0, 1] as const) for (const k of KEYS) k[2](data, k[pass], c);
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
