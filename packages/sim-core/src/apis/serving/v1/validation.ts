import type { ObjectMeta } from '../../core/v1.js';
import { deepEqual } from '../../deep-copy.js';
import { QUANTITY } from '../../config/parse.js';
import {
  CURRENT_FIELD,
  FieldError,
  errDisallowedFields,
  errGeneric,
  errInvalidArrayValue,
  errInvalidKeyName,
  errInvalidValue,
  errMissingField,
  errMissingOneOf,
  errMultipleOneOf,
  errOutOfBoundsValue,
} from '../../field-error.js';
import { fullyQualifiedDomainNameError, goStringSlice, isDNS1035Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, nameIsDNS1035Label } from '../../k8s-validation.js';
import { parseGoDuration, parseGoFloat } from '../../config/parse.js';
import type { Features } from '../../config/features.js';
import type { ServingConfig } from '../../config/serving-config.js';
import { shortDiff } from './short-diff.js';
import {
  ServingAnnotations,
  ServingLabels,
  type Configuration,
  type Container,
  type DomainMapping,
  type Probe,
  type Revision,
  type RevisionSpec,
  type RevisionTemplateSpec,
  type Route,
  type Service,
  type TrafficTarget,
} from './types.js';

/**
 * Validate as the Serving webhook does (pkg/apis/serving/v1/*_validation.go,
 * pkg/apis/serving/k8s_validation.go, metadata_validation.go, knative.dev/pkg apis), on the
 * *defaulted* object: run setXDefaults first, as the webhook does. Messages and paths are
 * Knative's; the result prints like the webhook's denial (`String(err)`).
 */

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

type Meta = Partial<ObjectMeta> & { generateName?: string };

const AUTOSCALING_GROUP = 'autoscaling.knative.dev';
const MAX_INT32 = 2147483647;

// ---------------------------------------------------------------------------------------------
// metadata

/** knative.dev/pkg apis.ValidateObjectMetadata: name or generateName, DNS-1035 either way. */
export function validateObjectMetadata(meta: Meta): FieldError | undefined {
  const name = meta.name ?? '';
  const generateName = meta.generateName ?? '';
  if (generateName !== '') {
    const msgs = nameIsDNS1035Label(generateName, true);
    if (msgs.length > 0) return FieldError.of(`not a DNS 1035 label prefix: ${goStringSlice(msgs)}`, ['generateName']);
  }
  if (name !== '') {
    const msgs = nameIsDNS1035Label(name, false);
    if (msgs.length > 0) return FieldError.of(`not a DNS 1035 label: ${goStringSlice(msgs)}`, ['name']);
  }
  if (generateName === '' && name === '') return FieldError.of('name or generateName is required', ['name']);
  return undefined;
}

/** serving.ValidateHasNoAutoscalingAnnotation: autoscaling belongs on the revision template. */
export function validateHasNoAutoscalingAnnotation(annotations: Readonly<Record<string, string>> | undefined): FieldError | undefined {
  const errs = Object.keys(annotations ?? {})
    .sort()
    .filter((k) => k.startsWith(AUTOSCALING_GROUP))
    .map((k) => errInvalidKeyName(k, CURRENT_FIELD, 'autoscaling annotations must be put under "spec.template.metadata.annotations" to work'));
  return FieldError.all(...errs);
}

/** Duration annotations (rollout-duration, progress-deadline): Go duration, whole seconds, >= 0. */
function validateDurationAnnotation(annos: Readonly<Record<string, string>> | undefined, key: string, what: string): FieldError | undefined {
  const v = annos?.[key] ?? '';
  if (v === '') return undefined;
  let ms: number;
  try {
    ms = parseGoDuration(v);
  } catch {
    return errInvalidValue(v, key);
  }
  if (ms % 1000 !== 0) return FieldError.of(`${what}=${v} is not at second precision`, [key]);
  if (ms < 0) return FieldError.of(`${what}=${v} must be positive`, [key]);
  return undefined;
}

export const validateRolloutDurationAnnotation = (annos: Readonly<Record<string, string>> | undefined) =>
  validateDurationAnnotation(annos, ServingAnnotations.rolloutDuration, 'rollout-duration');

/** verifyLabelOwnerRef: a service/configuration label must match a controlling owner of that kind. */
function verifyLabelOwnerRef(val: string, label: string, kind: string, meta: Meta): FieldError | undefined {
  for (const ref of meta.ownerReferences ?? []) if (ref.kind === kind && ref.name === val) return undefined;
  return errMissingField(label);
}

/** apis.ValidateCreatorAndModifier (on update): the creator annotation is immutable. */
function validateCreatorAndModifier(oldSpec: unknown, newSpec: unknown, oldA: Readonly<Record<string, string>> | undefined, newA: Readonly<Record<string, string>> | undefined) {
  let errs: FieldError | undefined;
  const c = ServingAnnotations.creator;
  const u = ServingAnnotations.lastModifier;
  if ((oldA?.[c] ?? '') !== (newA?.[c] ?? '')) errs = FieldError.all(errs, FieldError.of('annotation value is immutable', [c]));
  if (deepEqual(oldSpec, newSpec) && (oldA?.[u] ?? '') !== (newA?.[u] ?? '')) errs = FieldError.all(errs, errInvalidValue(newA?.[u] ?? '', u));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// traffic (route_validation.go)

export interface TrafficValidationOptions {
  /** apis.IsInSpec: url is disallowed and latestRevision must agree with revisionName. */
  inSpec: boolean;
  /** Inside a Service (WithDefaultConfigurationName): configurationName is disallowed. */
  hasDefaultConfigurationName: boolean;
  /** apis.IsInStatus: a status target must name its revision, and a tagged one its url. */
  inStatus?: boolean;
}

export function validateTrafficTarget(tt: TrafficTarget, o: TrafficValidationOptions): FieldError | undefined {
  let errs: FieldError | undefined;
  const revisionName = tt.revisionName ?? '';
  const configurationName = tt.configurationName ?? '';
  if (o.inSpec && tt.latestRevision !== undefined) {
    if ((revisionName !== '') === tt.latestRevision) {
      errs = errGeneric(`may not set revisionName ${JSON.stringify(revisionName)} when latestRevision is ${tt.latestRevision}`, 'latestRevision');
    }
  }
  if (o.hasDefaultConfigurationName && configurationName !== '') errs = FieldError.all(errs, errDisallowedFields('configurationName'));
  else if (revisionName !== '' && configurationName !== '') errs = FieldError.all(errs, errMultipleOneOf('revisionName', 'configurationName'));
  else if (revisionName !== '') {
    const el = isQualifiedName(revisionName);
    if (el.length > 0) errs = FieldError.all(errs, errInvalidKeyName(revisionName, 'revisionName', el.join(', ')));
  } else if (o.inStatus) errs = FieldError.all(errs, errMissingField('revisionName'));
  else if (configurationName !== '') {
    const el = isQualifiedName(configurationName);
    if (el.length > 0) errs = FieldError.all(errs, errInvalidKeyName(configurationName, 'configurationName', el.join(', ')));
  } else if (!o.hasDefaultConfigurationName) errs = FieldError.all(errs, errMissingOneOf('revisionName', 'configurationName'));

  if (tt.percent !== undefined && (tt.percent < 0 || tt.percent > 100)) errs = FieldError.all(errs, errOutOfBoundsValue(tt.percent, 0, 100, 'percent'));

  if ((tt.url ?? '') !== '') {
    if (o.inSpec) errs = FieldError.all(errs, errDisallowedFields('url'));
    if ((tt.tag ?? '') === '') errs = FieldError.all(errs, errDisallowedFields('url'));
  } else if ((tt.tag ?? '') !== '' && o.inStatus) errs = FieldError.all(errs, errMissingField('url'));
  return errs;
}

/** validateTrafficList: per-target checks, DNS-1035 tags, duplicate tags, and a 100% total. */
export function validateTrafficList(traffic: readonly TrafficTarget[] | undefined, o: TrafficValidationOptions): FieldError | undefined {
  let errs: FieldError | undefined;
  const seen = new Map<string, number>();
  let sum = 0;
  (traffic ?? []).forEach((tt, i) => {
    errs = FieldError.all(errs, validateTrafficTarget(tt, o)?.viaIndex(i));
    if (tt.percent !== undefined) sum += tt.percent;
    const tag = tt.tag ?? '';
    if (tag === '') return;
    const msgs = isDNS1035Label(tag);
    // ErrInvalidArrayValue("tag", i) yields the path `tag[i]`, hence `spec.traffic.tag[0]`.
    if (msgs.length > 0) errs = FieldError.all(errs, errInvalidArrayValue(`not a DNS 1035 label: ${goStringSlice(msgs)}`, 'tag', i));
    const idx = seen.get(tag);
    if (idx !== undefined) errs = FieldError.all(errs, FieldError.of(`Multiple definitions for ${JSON.stringify(tag)}`, [`[${i}].tag`, `[${idx}].tag`]));
    else seen.set(tag, i);
  });
  if (sum !== 100) errs = FieldError.all(errs, FieldError.of(`Traffic targets sum to ${sum}, want 100`, [CURRENT_FIELD]));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// pod spec (k8s_validation.go, fieldmask.go)

// The networking ports queue-proxy and the profiler own inside every revision pod.
const RESERVED_PORTS = new Set([8012, 8013, 8022, 9090, 9091, 8008]);
const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']);
/** Sidecars and init containers may set PORT. */
const SIDECAR_RESERVED_ENV = new Set([...RESERVED_ENV].filter((e) => e !== 'PORT'));
const RESERVED_CONTAINER_NAMES = new Set(['queue-proxy']);
const VALID_PORT_NAMES = new Set(['h2c', 'http1', '']);

const CONTAINER_FIELDS = new Set([
  'name', 'args', 'command', 'env', 'workingDir', 'envFrom', 'image', 'imagePullPolicy', 'livenessProbe', 'ports',
  'readinessProbe', 'resources', 'securityContext', 'startupProbe', 'terminationMessagePath', 'terminationMessagePolicy', 'volumeMounts',
]);
const PROBE_FIELDS = new Set(['httpGet', 'tcpSocket', 'exec', 'grpc', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds']);
const CONTAINER_PORT_FIELDS = new Set(['containerPort', 'name', 'protocol']);
const ENV_FIELDS = new Set(['name', 'value', 'valueFrom']);
const RESOURCE_FIELDS = new Set(['limits', 'requests']);
const KNATIVE_REVISION_FIELDS = new Set(['containerConcurrency', 'timeoutSeconds', 'responseStartTimeoutSeconds', 'idleTimeoutSeconds']);

/** PodSpecMask: the PodSpec fields a revision may set, some behind config-features flags. */
function allowedPodSpecFields(f: Features): Set<string> {
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
function checkDisallowedFields(obj: object | undefined, allowed: ReadonlySet<string>): FieldError | undefined {
  if (!obj) return undefined;
  const bad = Object.keys(obj)
    .filter((k) => !allowed.has(k) && isSet((obj as Record<string, unknown>)[k]))
    .sort();
  return bad.length > 0 ? errDisallowedFields(...bad) : undefined;
}

// kmp.CompareSetFields ignores zero values: false, 0, "", empty lists and maps.
function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

// A docker reference as go-containerregistry's name.ParseReference(WeakValidation) accepts it.
const IMAGE_REF =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

function validateImage(image: string | undefined): FieldError | undefined {
  if (image === undefined || image === '') return errMissingField('image');
  if (!IMAGE_REF.test(image)) {
    return FieldError.of('Failed to parse image reference', ['image'], `image: ${JSON.stringify(image)}, error: could not parse reference: ${image}`);
  }
  return undefined;
}

function validateEnv(env: Container['env'], reserved: ReadonlySet<string>): FieldError | undefined {
  let errs: FieldError | undefined;
  (env ?? []).forEach((e, i) => {
    let ee = checkDisallowedFields(e, ENV_FIELDS);
    if (!e.name) ee = FieldError.all(ee, errMissingField('name'));
    else if (reserved.has(e.name)) ee = FieldError.all(ee, FieldError.of(`${JSON.stringify(e.name)} is a reserved environment variable`, ['name']));
    errs = FieldError.all(errs, ee?.viaIndex(i));
  });
  return errs;
}

interface UserPort {
  name: string;
  containerPort: number;
}

/** validateContainersPorts: at most one port across containers; the user port defaults to http/8080. */
function validateContainersPorts(containers: readonly Container[]): [UserPort, FieldError | undefined] {
  let count = 0;
  let port: { name?: string; containerPort?: number } = {};
  for (const c of containers) {
    if ((c.ports?.length ?? 0) > 0) {
      count += c.ports!.length;
      port = c.ports![0]!;
    }
  }
  const up: UserPort = { name: port.name || 'http', containerPort: port.containerPort || 8080 };
  if (count === 0 && containers.length > 1) return [up, errMissingField('ports')];
  if (count > 1) return [up, FieldError.of('more than one container port is set', ['ports'], 'Only a single port is allowed across all containers')];
  return [up, undefined];
}

function validateContainerPortBasic(p: NonNullable<Container['ports']>[number]): FieldError | undefined {
  let errs = checkDisallowedFields(p, CONTAINER_PORT_FIELDS);
  const cp = p.containerPort ?? 0;
  if (RESERVED_PORTS.has(cp)) errs = FieldError.all(errs, errInvalidValue(`${cp} is a reserved port`, 'containerPort', `${cp} is a reserved port, please use a different value`));
  if (cp < 0 || cp > 65535) errs = FieldError.all(errs, errOutOfBoundsValue(cp, 0, 65535, 'containerPort'));
  return errs;
}

function validateContainerPorts(ports: Container['ports']): FieldError | undefined {
  if (!ports || ports.length === 0) return undefined;
  const user = ports[0]!;
  let errs = validateContainerPortBasic(user);
  if (user.protocol !== undefined && user.protocol !== '' && user.protocol !== 'TCP') errs = FieldError.all(errs, errInvalidValue(user.protocol, 'protocol'));
  if (!VALID_PORT_NAMES.has(user.name ?? '')) {
    errs = FieldError.all(errs, FieldError.of(`Port name ${user.name} is not allowed`, [CURRENT_FIELD], "Name must be empty, or one of: 'h2c', 'http1'"));
  }
  return errs;
}

/** validateProbe: exactly one handler; a user container's named probe port must be its port. */
function validateProbe(p: Probe | undefined, port: UserPort | undefined, isUserContainer: boolean): FieldError | undefined {
  if (!p) return undefined;
  let errs = checkDisallowedFields(p, PROBE_FIELDS);
  const handlers: string[] = [];
  const portCheck = (v: number | string | undefined, path: string) => {
    const str = typeof v === 'string' ? v : '';
    const int = typeof v === 'number' ? v : 0;
    if (isUserContainer) {
      if (str !== '' && str !== port?.name) errs = FieldError.all(errs, errInvalidValue(str, path, 'Probe port must match container port'));
    } else if (str === '' && int === 0) errs = FieldError.all(errs, errInvalidValue(String(v ?? 0), path, 'Probe port must be specified'));
  };
  if (p.httpGet) {
    handlers.push('httpGet');
    portCheck(p.httpGet.port, 'httpGet.port');
  }
  if (p.tcpSocket) {
    handlers.push('tcpSocket');
    portCheck(p.tcpSocket.port, 'tcpSocket.port');
  }
  if (p.exec) handlers.push('exec');
  if (p.grpc) handlers.push('gRPC');
  if (handlers.length === 0) errs = FieldError.all(errs, errMissingOneOf('httpGet', 'tcpSocket', 'exec', 'grpc'));
  else if (handlers.length > 1) errs = FieldError.all(errs, errMultipleOneOf(...handlers));
  return errs;
}

/** validateReadinessProbe: periodSeconds 0 means queue-proxy's aggressive probe, which has no timeout/threshold. */
function validateReadinessProbe(p: Probe | undefined, port: UserPort | undefined, isUserContainer: boolean): FieldError | undefined {
  if (!p) return undefined;
  let errs = validateProbe(p, port, isUserContainer);
  const period = p.periodSeconds ?? 0;
  if (period < 0) errs = FieldError.all(errs, errOutOfBoundsValue(period, 0, MAX_INT32, 'periodSeconds'));
  if ((p.initialDelaySeconds ?? 0) < 0) errs = FieldError.all(errs, errOutOfBoundsValue(p.initialDelaySeconds, 0, MAX_INT32, 'initialDelaySeconds'));
  if ((p.successThreshold ?? 0) < 1) errs = FieldError.all(errs, errOutOfBoundsValue(p.successThreshold ?? 0, 1, MAX_INT32, 'successThreshold'));
  if (period === 0) {
    if ((p.failureThreshold ?? 0) !== 0) errs = FieldError.all(errs, FieldError.of('failureThreshold is disallowed when periodSeconds is zero', ['failureThreshold']));
    if ((p.timeoutSeconds ?? 0) !== 0) errs = FieldError.all(errs, FieldError.of('timeoutSeconds is disallowed when periodSeconds is zero', ['timeoutSeconds']));
  } else {
    if ((p.timeoutSeconds ?? 0) < 1) errs = FieldError.all(errs, errOutOfBoundsValue(p.timeoutSeconds ?? 0, 1, MAX_INT32, 'timeoutSeconds'));
    if ((p.failureThreshold ?? 0) < 1) errs = FieldError.all(errs, errOutOfBoundsValue(p.failureThreshold ?? 0, 1, MAX_INT32, 'failureThreshold'));
  }
  return errs;
}

/** validate(): the checks shared by every kind of container. */
function validateContainerCommon(c: Container, reservedEnv: ReadonlySet<string>, volumes: ReadonlySet<string>, isInit: boolean): FieldError | undefined {
  if (Object.keys(c).every((k) => !isSet(c[k]))) return errMissingField(CURRENT_FIELD);
  let errs = checkDisallowedFields(c, CONTAINER_FIELDS);
  if (c.name !== undefined && RESERVED_CONTAINER_NAMES.has(c.name)) {
    errs = FieldError.all(errs, FieldError.of(`${JSON.stringify(c.name)} is a reserved container name`, ['name']));
  }
  errs = FieldError.all(errs, validateEnv(c.env, reservedEnv)?.viaField('env'), validateImage(c.image));
  if (isInit) errs = FieldError.all(errs, FieldError.all(...(c.ports ?? []).map(validateContainerPortBasic))?.viaField('ports'));
  else errs = FieldError.all(errs, validateContainerPorts(c.ports)?.viaField('ports'));
  errs = FieldError.all(errs, checkDisallowedFields(c.resources, RESOURCE_FIELDS)?.viaField('resources'));
  const tmp = c.terminationMessagePolicy ?? '';
  if (tmp !== '' && tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs = FieldError.all(errs, errInvalidValue(tmp, 'terminationMessagePolicy'));
  const seenPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((vm, i) => {
    let ve: FieldError | undefined;
    if (!volumes.has(vm.name)) ve = FieldError.of('volumeMount has no matching volume', ['name']);
    const mp = vm.mountPath ?? '';
    const clean = mp.replace(/\/+$/, '') || '/';
    if (mp === '') ve = FieldError.all(ve, errMissingField('mountPath'));
    else if (['/', '/dev', '/dev/log'].includes(clean)) ve = FieldError.all(ve, FieldError.of(`mountPath ${JSON.stringify(clean)} is a reserved path`, ['mountPath']));
    else if (!mp.startsWith('/')) ve = FieldError.all(ve, errInvalidValue(mp, 'mountPath'));
    else if (seenPaths.has(clean)) ve = FieldError.all(ve, errInvalidValue(`${JSON.stringify(mp)} must be unique`, 'mountPath'));
    seenPaths.add(clean);
    errs = FieldError.all(errs, ve?.viaIndex(i).viaField('volumeMounts'));
  });
  return errs;
}

function validateUserContainer(c: Container, port: UserPort, volumes: ReadonlySet<string>): FieldError | undefined {
  return FieldError.all(
    validateProbe(c.livenessProbe, port, true)?.viaField('livenessProbe'),
    validateReadinessProbe(c.readinessProbe, port, true)?.viaField('readinessProbe'),
    validateProbe(c.startupProbe, port, true)?.viaField('startupProbe'),
    validateContainerCommon(c, RESERVED_ENV, volumes, false),
  );
}

function validateSidecarContainer(c: Container, f: Features, volumes: ReadonlySet<string>): FieldError | undefined {
  let errs: FieldError | undefined;
  if (f.multiContainerProbing !== 'Enabled') {
    // Without multi-container-probing a sidecar may not carry probes at all.
    for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[k]) errs = FieldError.all(errs, checkDisallowedFields(c[k], new Set())?.viaField(k));
    }
  } else {
    errs = FieldError.all(
      validateProbe(c.livenessProbe, undefined, false)?.viaField('livenessProbe'),
      validateReadinessProbe(c.readinessProbe, undefined, false)?.viaField('readinessProbe'),
      validateProbe(c.startupProbe, undefined, false)?.viaField('startupProbe'),
    );
  }
  return FieldError.all(errs, validateContainerCommon(c, SIDECAR_RESERVED_ENV, volumes, false));
}

/** serving.ValidatePodSpec (volumes are checked only for names; their sources are not modelled). */
export function validatePodSpec(spec: RevisionSpec, config: ServingConfig): FieldError | undefined {
  const f = config.features;
  const podFields = allowedPodSpecFields(f);
  const specOnly: Record<string, unknown> = {};
  for (const k of Object.keys(spec)) if (!KNATIVE_REVISION_FIELDS.has(k)) specOnly[k] = spec[k];
  let errs = checkDisallowedFields(specOnly, podFields);
  const containers = spec.containers ?? [];
  const initContainers = (spec['initContainers'] as Container[] | undefined) ?? [];
  const volumes = new Set((spec.volumes ?? []).map((v) => v.name));

  if (initContainers.length > 0) {
    if (f.podSpecInitContainers !== 'Enabled') {
      errs = FieldError.all(errs, FieldError.of(`pod spec support for init-containers is off, but found ${initContainers.length} init containers`));
    } else {
      const names = new Set(containers.map((c) => c.name));
      initContainers.forEach((c, i) => {
        let ce: FieldError | undefined;
        if (names.has(c.name)) ce = FieldError.of(`duplicate container name ${JSON.stringify(c.name)}`, ['name']);
        for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const) {
          if (c[k] !== undefined) ce = FieldError.all(ce, FieldError.of('field not allowed in an init container', [k]));
        }
        ce = FieldError.all(ce, validateContainerCommon(c, SIDECAR_RESERVED_ENV, volumes, true));
        errs = FieldError.all(errs, ce?.viaFieldIndex('containers', i));
      });
    }
  }

  const [port, portErr] = validateContainersPorts(containers);
  errs = FieldError.all(errs, portErr?.viaField('containers[*]'));
  if (containers.length === 0) errs = FieldError.all(errs, errMissingField('containers'));
  else if (containers.length === 1) errs = FieldError.all(errs, validateUserContainer(containers[0]!, port, volumes)?.viaFieldIndex('containers', 0));
  else if (f.multiContainer !== 'Enabled') {
    errs = FieldError.all(errs, FieldError.of(`multi-container is off, but found ${containers.length} containers`));
  } else {
    const names = new Set<string | undefined>();
    containers.forEach((c, i) => {
      let ce: FieldError | undefined;
      if (names.has(c.name)) ce = FieldError.of(`duplicate container name ${JSON.stringify(c.name)}`, ['name']);
      else names.add(c.name);
      ce = FieldError.all(ce, (c.ports?.length ?? 0) === 0 ? validateSidecarContainer(c, f, volumes) : validateUserContainer(c, port, volumes));
      errs = FieldError.all(errs, ce?.viaFieldIndex('containers', i));
    });
  }
  if (spec.serviceAccountName) {
    for (const m of isDNS1123Subdomain(spec.serviceAccountName)) errs = FieldError.all(errs, errInvalidValue(spec.serviceAccountName, 'serviceAccountName', m));
  }
  return errs;
}

/** RevisionSpec.Validate: pod spec, timeoutSeconds ≤ max-revision-timeout-seconds, concurrency bounds. */
export function validateRevisionSpec(spec: RevisionSpec, config: ServingConfig): FieldError | undefined {
  let errs = validatePodSpec(spec, config);
  const d = config.defaults;
  const t = spec.timeoutSeconds;
  if (t !== undefined && t !== 0 && (t > d.maxRevisionTimeoutSeconds || t < 0)) {
    errs = FieldError.all(errs, errOutOfBoundsValue(t, 0, d.maxRevisionTimeoutSeconds, 'timeoutSeconds'));
  }
  const cc = spec.containerConcurrency;
  if (cc !== undefined) {
    const min = d.allowContainerConcurrencyZero ? 0 : 1;
    if (cc < min || cc > d.containerConcurrencyMaxLimit) {
      errs = FieldError.all(errs, errOutOfBoundsValue(cc, min, d.containerConcurrencyMaxLimit, CURRENT_FIELD).viaField('containerConcurrency'));
    }
  }
  return errs;
}

// The queue-proxy resource annotations (revision_validation.go validateQueueSidecarResourceAnnotations).
const QUEUE_RESOURCE_ANNOTATIONS = ['cpu-resource-request', 'cpu-resource-limit', 'memory-resource-request', 'memory-resource-limit', 'ephemeral-storage-resource-request', 'ephemeral-storage-resource-limit'].map(
  (s) => `queue.sidecar.serving.knative.dev/${s}`,
);

function validateQueueSidecarResourceAnnotations(m: Readonly<Record<string, string>> | undefined): FieldError | undefined {
  if (!m) return undefined;
  let errs: FieldError | undefined;
  const pct = 'queue.sidecar.serving.knative.dev/resource-percentage';
  if (m[pct] !== undefined) {
    errs = errGeneric('Queue proxy resource percentage annotation is deprecated. Please use the available annotations to explicitly set resource values per service').viaKey(pct).at('warning');
    let value: number | undefined;
    try {
      value = parseGoFloat(m[pct]!);
    } catch {
      errs = FieldError.all(errs, errInvalidValue(m[pct], CURRENT_FIELD).viaKey(pct));
    }
    if (value !== undefined && (value < 0.1 || value > 100)) errs = FieldError.all(errs, errOutOfBoundsValue(value, 0.1, '100', CURRENT_FIELD).viaKey(pct));
  }
  for (const k of QUEUE_RESOURCE_ANNOTATIONS) {
    if (m[k] !== undefined && !QUANTITY.test(m[k]!)) errs = FieldError.all(errs, errInvalidValue(m[k], CURRENT_FIELD).viaKey(k));
  }
  return errs;
}

/** validateRevisionName: DNS-1035, and a BYO name must start with `<parent>-`. */
function validateRevisionName(name: string, generateName: string, parent: Meta): FieldError | undefined {
  if (generateName !== '') {
    const msgs = nameIsDNS1035Label(generateName, true);
    if (msgs.length > 0) return errInvalidValue(`not a DNS 1035 label prefix: ${goStringSlice(msgs)}`, 'metadata.generateName');
  }
  if (name !== '') {
    const msgs = nameIsDNS1035Label(name, false);
    if (msgs.length > 0) return errInvalidValue(`not a DNS 1035 label: ${goStringSlice(msgs)}`, 'metadata.name');
    const parentName = parent.name ?? '';
    // A parent with only generateName has no stable prefix, so no BYO name is possible.
    if (parentName === '' && (parent.generateName ?? '') !== '') return errDisallowedFields('metadata.name');
    const prefix = `${parentName}-`;
    if (!name.startsWith(prefix)) return errInvalidValue(`${JSON.stringify(name)} must have prefix ${JSON.stringify(prefix)}`, 'metadata.name');
  }
  return undefined;
}

/** RevisionTemplateSpec.Validate. `parent` is the owning Service/Configuration's metadata. */
export function validateRevisionTemplate(t: RevisionTemplateSpec, ctx: ValidationContext<unknown>, parent: Meta): FieldError | undefined {
  const annotations = t.metadata?.annotations;
  return FieldError.all(
    validateRevisionSpec(t.spec ?? { containers: [] }, ctx.config)?.viaField('spec'),
    // >>> autoscaling annotations: the lead's hook (see AutoscalingAnnotationsValidator).
    ctx.validateAutoscalingAnnotations?.(annotations, ctx.config)?.viaField('metadata.annotations'),
    validateRevisionName(t.metadata?.name ?? '', t.metadata?.generateName ?? '', parent),
    validateQueueSidecarResourceAnnotations(annotations)?.viaField('metadata.annotations'),
    validateDurationAnnotation(annotations, ServingAnnotations.progressDeadline, 'progress-deadline')?.viaField('metadata.annotations'),
  );
}

/** RevisionTemplateSpec.VerifyNameChange: a BYO name must change whenever the template does. */
export function verifyNameChange(next: RevisionTemplateSpec | undefined, prev: RevisionTemplateSpec | undefined): FieldError | undefined {
  const name = next?.metadata?.name ?? '';
  if (name === '' || name !== (prev?.metadata?.name ?? '')) return undefined;
  const diff = shortDiff(prev, next, '{*v1.RevisionTemplateSpec}');
  if (diff !== '') return FieldError.of('Saw the following changes without a name change (-old +new)', ['metadata.name'], diff);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// objects

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

export function validateRoute(route: Route, ctx: ValidationContext<Route>): FieldError | undefined {
  const meta = route.metadata;
  const svcLabel = meta.labels?.[ServingLabels.service];
  let errs = FieldError.all(
    validateObjectMetadata(meta),
    validateHasNoAutoscalingAnnotation(meta.annotations)?.viaField('annotations'),
    svcLabel !== undefined ? verifyLabelOwnerRef(svcLabel, ServingLabels.service, 'Service', meta)?.viaField('labels') : undefined,
    validateRolloutDurationAnnotation(meta.annotations)?.viaField('annotations'),
  )?.viaField('metadata');
  errs = FieldError.all(errs, validateTrafficList(route.spec?.traffic, { inSpec: true, hasDefaultConfigurationName: false })?.viaField('spec.traffic'));
  if (ctx.old && !meta.ownerReferences) {
    errs = FieldError.all(errs, validateCreatorAndModifier(ctx.old.spec, route.spec, ctx.old.metadata.annotations, meta.annotations)?.viaField('metadata.annotations'));
  }
  return errs;
}

/** Revision.Validate: full validation on create; on update only "the spec did not change". */
export function validateRevision(rev: Revision, ctx: ValidationContext<Revision>): FieldError | undefined {
  const meta = rev.metadata;
  const cfgLabel = meta.labels?.[ServingLabels.configuration];
  const errs = FieldError.all(
    validateObjectMetadata(meta),
    // Revisions are the one object that may carry autoscaling annotations on their own metadata.
    ctx.validateAutoscalingAnnotations?.(meta.annotations, ctx.config)?.viaField('annotations'),
    cfgLabel !== undefined ? verifyLabelOwnerRef(cfgLabel, ServingLabels.configuration, 'Configuration', meta)?.viaField('labels') : undefined,
  )?.viaField('metadata');
  if (ctx.old) {
    const diff = shortDiff(ctx.old.spec, rev.spec, '{v1.RevisionSpec}');
    if (diff !== '') return FieldError.of('Immutable fields changed (-old +new)', ['spec'], diff);
    return errs;
  }
  return FieldError.all(errs, validateRevisionSpec(rev.spec ?? { containers: [] }, ctx.config)?.viaField('spec'));
}

/** domainmapping_validation.go: the name is an FQDN outside the cluster domain; ref is a same-namespace KReference. */
export function validateDomainMapping(dm: DomainMapping, ctx: ValidationContext<DomainMapping>): FieldError | undefined {
  const meta = dm.metadata as Meta;
  let metaErrs: FieldError | undefined;
  if ((meta.generateName ?? '') !== '') metaErrs = errDisallowedFields('generateName');
  const name = meta.name ?? '';
  const fqdnErr = fullyQualifiedDomainNameError('name', name);
  if (fqdnErr) metaErrs = FieldError.all(metaErrs, errGeneric(`invalid name ${JSON.stringify(name)}: ${fqdnErr}`, 'name'));
  const clusterDomain = ctx.config.domain.clusterDomain;
  if (name.endsWith(`.${clusterDomain}`)) {
    metaErrs = FieldError.all(
      metaErrs,
      errGeneric(`invalid name ${JSON.stringify(name)}: must not be a subdomain of cluster local domain ${JSON.stringify(clusterDomain)}`, 'name'),
    );
  }
  if (ctx.old) {
    metaErrs = FieldError.all(metaErrs, validateCreatorAndModifier(ctx.old.spec, dm.spec, ctx.old.metadata.annotations, meta.annotations)?.viaField('annotations'));
  }
  const ref = dm.spec?.ref;
  let refErrs: FieldError | undefined;
  if (!ref) refErrs = FieldError.all(errMissingField('name'), errMissingField('apiVersion'), errMissingField('kind'));
  else {
    if (!ref.name) refErrs = FieldError.all(refErrs, errMissingField('name'));
    if (ref.group) refErrs = FieldError.all(refErrs, errDisallowedFields('group'));
    if (!ref.apiVersion) refErrs = FieldError.all(refErrs, errMissingField('apiVersion'));
    if (!ref.kind) refErrs = FieldError.all(refErrs, errMissingField('kind'));
    const parentNS = meta.namespace ?? '';
    if (ref.namespace && parentNS !== '' && ref.namespace !== parentNS) {
      refErrs = FieldError.all(
        refErrs,
        FieldError.of('mismatched namespaces', ['namespace'], `parent namespace: ${JSON.stringify(parentNS)} does not match ref: ${JSON.stringify(ref.namespace)}`),
      );
    }
  }
  return FieldError.all(metaErrs?.viaField('metadata'), refErrs?.viaField('spec.ref'));
}

/** The label-syntax checks the Kubernetes API server applies to every object's metadata. */
export function validateK8sObjectMetaLabels(meta: Meta): FieldError | undefined {
  let errs: FieldError | undefined;
  for (const [k, v] of Object.entries(meta.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const km = isQualifiedName(k);
    if (km.length > 0) errs = FieldError.all(errs, FieldError.of(`Invalid value: ${JSON.stringify(k)}: ${km.join(', ')}`, ['metadata.labels']));
    const vm = isValidLabelValue(v);
    if (vm.length > 0) errs = FieldError.all(errs, FieldError.of(`Invalid value: ${JSON.stringify(v)}: ${vm.join(', ')}`, ['metadata.labels']));
  }
  for (const k of Object.keys(meta.annotations ?? {}).sort()) {
    const km = isQualifiedName(k.toLowerCase());
    if (km.length > 0) errs = FieldError.all(errs, FieldError.of(`Invalid value: ${JSON.stringify(k)}: ${km.join(', ')}`, ['metadata.annotations']));
  }
  return errs;
}
