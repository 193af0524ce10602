/**
 * The revision's PodSpec and its containers: knative/serving pkg/apis/serving/k8s_validation.go
 * (ValidatePodSpec, ValidateUserContainer, validateSidecarContainer, validateInitContainer).
 */
import {
  CURRENT_FIELD,
  FieldError,
  errInvalidValue,
  errMissingField,
  errMissingOneOf,
  errMultipleOneOf,
  errOutOfBoundsValue,
} from '../../../field-error.js';
import { isDNS1123Subdomain } from '../../../k8s-validation.js';
import type { Features } from '../../../config/features.js';
import type { ServingConfig } from '../../../config/serving-config.js';
import type { Container, Probe, RevisionSpec } from '../types.js';
import { CONTAINER_FIELDS, CONTAINER_PORT_FIELDS, ENV_FIELDS, PROBE_FIELDS, RESOURCE_FIELDS, allowedPodSpecFields, checkDisallowedFields, isSet } from './field-mask.js';

const MAX_INT32 = 2147483647;

// The networking ports queue-proxy and the profiler own inside every revision pod.
const RESERVED_PORTS = new Set([8012, 8013, 8022, 9090, 9091, 8008]);
const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']);
/** Sidecars and init containers may set PORT. */
const SIDECAR_RESERVED_ENV = new Set([...RESERVED_ENV].filter((e) => e !== 'PORT'));
const RESERVED_CONTAINER_NAMES = new Set(['queue-proxy']);
const VALID_PORT_NAMES = new Set(['h2c', 'http1', '']);
const KNATIVE_REVISION_FIELDS = new Set(['containerConcurrency', 'timeoutSeconds', 'responseStartTimeoutSeconds', 'idleTimeoutSeconds']);

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
