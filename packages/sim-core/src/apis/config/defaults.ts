import { errOutOfBoundsValue } from '../field-error.js';
import { ConfigMapError, asBool, asInt, asQuantity, asString, hasKey, type ConfigData } from './parse.js';

/**
 * config-defaults (knative/serving pkg/apis/config/defaults.go NewDefaultsConfigFromMap).
 * `containerNameTemplate` is a Go template over the parent's ObjectMeta; knsim renders the
 * `{{.Name}}`-style subset (see renderObjectMetaTemplate).
 */
export const DEFAULTS_CONFIG_NAME = 'config-defaults';

export interface Defaults {
  revisionTimeoutSeconds: number;
  maxRevisionTimeoutSeconds: number;
  revisionResponseStartTimeoutSeconds: number;
  revisionIdleTimeoutSeconds: number;
  userContainerNameTemplate: string;
  initContainerNameTemplate: string;
  containerConcurrency: number;
  containerConcurrencyMaxLimit: number;
  allowContainerConcurrencyZero: boolean;
  /** Tri-state: undefined leaves the pod's own setting alone. */
  enableServiceLinks: boolean | undefined;
  revisionCPURequest?: string;
  revisionCPULimit?: string;
  revisionMemoryRequest?: string;
  revisionMemoryLimit?: string;
  revisionEphemeralStorageRequest?: string;
  revisionEphemeralStorageLimit?: string;
}

/** defaults.go constants: 300s timeout, 600s max, 0 = unlimited concurrency, limit 1000. */
export function defaultDefaults(): Defaults {
  return {
    revisionTimeoutSeconds: 300,
    maxRevisionTimeoutSeconds: 600,
    revisionResponseStartTimeoutSeconds: 300,
    revisionIdleTimeoutSeconds: 0,
    userContainerNameTemplate: 'user-container',
    initContainerNameTemplate: 'init-container',
    containerConcurrency: 0,
    containerConcurrencyMaxLimit: 1000,
    allowContainerConcurrencyZero: true,
    enableServiceLinks: false,
  };
}

export function parseDefaults(data: ConfigData): Defaults {
  const cm = DEFAULTS_CONFIG_NAME;
  const d = defaultDefaults();
  asString(cm, data, 'init-container-name-template', (v) => (d.initContainerNameTemplate = v));
  asString(cm, data, 'container-name-template', (v) => (d.userContainerNameTemplate = v));
  asBool(cm, data, 'allow-container-concurrency-zero', (v) => (d.allowContainerConcurrencyZero = v));
  // asTriState: "true"/"false" case-insensitively, anything else means "unset" (nil).
  if (hasKey(data, 'enable-service-links')) {
    const raw = data['enable-service-links']!.toLowerCase();
    d.enableServiceLinks = raw === 'true' ? true : raw === 'false' ? false : undefined;
  }
  asInt(cm, data, 'revision-timeout-seconds', (v) => (d.revisionTimeoutSeconds = v));
  asInt(cm, data, 'max-revision-timeout-seconds', (v) => (d.maxRevisionTimeoutSeconds = v));
  asInt(cm, data, 'revision-idle-timeout-seconds', (v) => (d.revisionIdleTimeoutSeconds = v));
  asInt(cm, data, 'container-concurrency', (v) => (d.containerConcurrency = v));
  asInt(cm, data, 'container-concurrency-max-limit', (v) => (d.containerConcurrencyMaxLimit = v));
  asQuantity(cm, data, 'revision-cpu-request', (v) => (d.revisionCPURequest = v));
  asQuantity(cm, data, 'revision-memory-request', (v) => (d.revisionMemoryRequest = v));
  asQuantity(cm, data, 'revision-ephemeral-storage-request', (v) => (d.revisionEphemeralStorageRequest = v));
  asQuantity(cm, data, 'revision-cpu-limit', (v) => (d.revisionCPULimit = v));
  asQuantity(cm, data, 'revision-memory-limit', (v) => (d.revisionMemoryLimit = v));
  asQuantity(cm, data, 'revision-ephemeral-storage-limit', (v) => (d.revisionEphemeralStorageLimit = v));
  // The response-start timeout follows revision-timeout-seconds unless set explicitly.
  d.revisionResponseStartTimeoutSeconds = d.revisionTimeoutSeconds;
  asInt(cm, data, 'revision-response-start-timeout-seconds', (v) => (d.revisionResponseStartTimeoutSeconds = v));

  const fail = (msg: string) => new ConfigMapError(cm, msg);
  if (d.revisionTimeoutSeconds > d.maxRevisionTimeoutSeconds) {
    throw fail(`revision-timeout-seconds (${d.revisionTimeoutSeconds}) cannot be greater than max-revision-timeout-seconds (${d.maxRevisionTimeoutSeconds})`);
  }
  if (d.revisionResponseStartTimeoutSeconds > 0 && d.revisionResponseStartTimeoutSeconds > d.revisionTimeoutSeconds) {
    throw fail(
      `revision-response-start-timeout-seconds (${d.revisionResponseStartTimeoutSeconds}) cannot be greater than revision-timeout-seconds (${d.revisionTimeoutSeconds})`,
    );
  }
  if (d.revisionIdleTimeoutSeconds > 0 && d.revisionIdleTimeoutSeconds > d.revisionTimeoutSeconds) {
    throw fail(`revision-idle-timeout-seconds (${d.revisionIdleTimeoutSeconds}) cannot be greater than revision-timeout-seconds (${d.revisionTimeoutSeconds})`);
  }
  if (d.containerConcurrencyMaxLimit < 1) {
    throw fail(errOutOfBoundsValue(d.containerConcurrencyMaxLimit, 1, 2147483647, 'container-concurrency-max-limit').toString());
  }
  if (d.containerConcurrency < 0 || d.containerConcurrency > d.containerConcurrencyMaxLimit) {
    throw fail(errOutOfBoundsValue(d.containerConcurrency, 0, d.containerConcurrencyMaxLimit, 'container-concurrency').toString());
  }
  return d;
}
