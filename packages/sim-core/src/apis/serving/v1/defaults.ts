import type { ObjectMeta } from '../../core/v1.js';
import { deepCopy } from '../../deep-copy.js';
import { childName } from '../../kmeta.js';
import { executeGoTemplate, parseGoTemplate } from '../../config/template.js';
import type { ServingConfig } from '../../config/serving-config.js';
import type {
  Configuration,
  ConfigurationSpec,
  Container,
  DomainMapping,
  Revision,
  RevisionSpec,
  RevisionTemplateSpec,
  Route,
  RouteSpec,
  Service,
  TrafficTarget,
} from './types.js';

/**
 * SetDefaults as the Serving webhook applies it before validation (pkg/apis/serving/v1/
 * *_defaults.go). Each function returns a defaulted deep copy. `old` is the stored object on an
 * update (apis.WithinUpdate), which changes two rules: a template whose BYO name did not change
 * is left undefaulted (so "changes without a name change" compares what the user wrote), and
 * Revisions are not defaulted at all.
 */
export interface DefaultsContext {
  config: ServingConfig;
  /** The object being replaced, on update. */
  old?: unknown;
}

type ParentMeta = Partial<ObjectMeta> & { generateName?: string };

/** route_defaults.go TrafficTarget.SetDefaults: latestRevision = (revisionName == ""), percent 0. */
export function setTrafficTargetDefaults(tt: TrafficTarget): TrafficTarget {
  const out = { ...tt };
  if (out.latestRevision === undefined) out.latestRevision = (out.revisionName ?? '') === '';
  if (out.percent === undefined) out.percent = 0;
  return out;
}

/**
 * RouteSpec.SetDefaults. `hasDefaultConfigurationName` is true inside a Service (its route may
 * omit configurationName): an empty traffic list then becomes 100% to the latest revision.
 */
export function setRouteSpecDefaults(spec: RouteSpec, hasDefaultConfigurationName: boolean): RouteSpec {
  let traffic = spec.traffic ?? [];
  if (traffic.length === 0 && hasDefaultConfigurationName) traffic = [{ percent: 100, latestRevision: true }];
  return { ...spec, traffic: traffic.map(setTrafficTargetDefaults) };
}

/** Renders config-defaults' container-name-template against the parent's metadata; "" on error. */
function containerNameFromTemplate(template: string, parent: ParentMeta): string {
  try {
    return executeGoTemplate(parseGoTemplate('container-template', template), {
      Name: parent.name ?? '',
      Namespace: parent.namespace ?? '',
      GenerateName: parent.generateName ?? '',
      Labels: parent.labels,
      Annotations: parent.annotations,
    });
  } catch {
    return '';
  }
}

/** applyDefaultContainerNames: unnamed containers get the default name, or `<default>-<n>` when several. */
function applyDefaultContainerNames(containers: Container[], taken: Set<string>, defaultName: string): void {
  let nextSuffix = 0;
  for (const c of containers) {
    if (c.name !== undefined && c.name !== '') continue;
    let name = defaultName;
    if (containers.length > 1 || taken.has(name)) {
      do {
        name = childName(defaultName, `-${nextSuffix}`);
        nextSuffix++;
      } while (taken.has(name));
    }
    c.name = name;
  }
}

/** revision_defaults.go RevisionSpec.SetDefaults. `creating` mirrors apis.IsInCreate. */
export function setRevisionSpecDefaults(spec: RevisionSpec, config: ServingConfig, parent: ParentMeta, creating = true): RevisionSpec {
  const d = config.defaults;
  const rs = deepCopy(spec);
  if (rs.timeoutSeconds === undefined || rs.timeoutSeconds === 0) rs.timeoutSeconds = d.revisionTimeoutSeconds;
  // Idle and response-start timeouts are only defaulted when shorter than the request timeout.
  if (rs.idleTimeoutSeconds === undefined && d.revisionIdleTimeoutSeconds !== 0 && d.revisionIdleTimeoutSeconds < rs.timeoutSeconds) {
    rs.idleTimeoutSeconds = d.revisionIdleTimeoutSeconds;
  }
  if (
    rs.responseStartTimeoutSeconds === undefined &&
    d.revisionResponseStartTimeoutSeconds !== 0 &&
    d.revisionResponseStartTimeoutSeconds < rs.timeoutSeconds
  ) {
    rs.responseStartTimeoutSeconds = d.revisionResponseStartTimeoutSeconds;
  }
  if (rs.containerConcurrency === undefined) rs.containerConcurrency = d.containerConcurrency;

  rs.containers = rs.containers ?? [];
  const initContainers = (rs['initContainers'] as Container[] | undefined) ?? [];
  const taken = new Set<string>([...rs.containers, ...initContainers].map((c) => c.name ?? ''));
  applyDefaultContainerNames(rs.containers, taken, containerNameFromTemplate(d.userContainerNameTemplate, parent));
  applyDefaultContainerNames(initContainers, taken, containerNameFromTemplate(d.initContainerNameTemplate, parent));

  const writableVolumes = new Set(
    (rs.volumes ?? []).filter((v) => v['emptyDir'] !== undefined || v['persistentVolumeClaim'] !== undefined || v['ephemeral'] !== undefined).map((v) => v.name),
  );
  for (const c of rs.containers) {
    c.resources = c.resources ?? {};
    const requests = { ...(c.resources.requests ?? {}) };
    const limits = { ...(c.resources.limits ?? {}) };
    const pairs: Array<[string, string | undefined, string | undefined]> = [
      ['cpu', d.revisionCPURequest, d.revisionCPULimit],
      ['memory', d.revisionMemoryRequest, d.revisionMemoryLimit],
      ['ephemeral-storage', d.revisionEphemeralStorageRequest, d.revisionEphemeralStorageLimit],
    ];
    for (const [name, req, lim] of pairs) {
      if (!(name in requests) && req !== undefined) requests[name] = req;
      if (!(name in limits) && lim !== undefined) limits[name] = lim;
    }
    c.resources = { ...c.resources, requests, limits };

    // The serving container (the only one, or the one with a port) is probed by TCP by default.
    if (rs.containers.length === 1 || (c.ports?.length ?? 0) !== 0) {
      const p = (c.readinessProbe = c.readinessProbe ?? {});
      if (!p.tcpSocket && !p.httpGet && !p.exec && !p.grpc) p.tcpSocket = {};
    }
    if (c.readinessProbe) {
      const p = c.readinessProbe;
      if (!p.successThreshold) p.successThreshold = 1;
      // periodSeconds 0 selects queue-proxy's aggressive probing; only a periodic probe gets these.
      if (p.periodSeconds) {
        if (!p.failureThreshold) p.failureThreshold = 3;
        if (!p.timeoutSeconds) p.timeoutSeconds = 1;
      }
    }
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
      if (probe?.grpc && probe.grpc.service === undefined) probe.grpc.service = '';
    }
    if (rs.enableServiceLinks === undefined && creating && d.enableServiceLinks !== undefined) rs.enableServiceLinks = d.enableServiceLinks;
    for (const vm of c.volumeMounts ?? []) if (!writableVolumes.has(vm.name)) vm.readOnly = true;
  }
  if (initContainers.length > 0) rs['initContainers'] = initContainers;
  return rs;
}

export function setRevisionTemplateDefaults(t: RevisionTemplateSpec, config: ServingConfig, parent: ParentMeta, creating = true): RevisionTemplateSpec {
  return { ...t, spec: setRevisionSpecDefaults(t.spec ?? { containers: [] }, config, parent, creating) };
}

/** ConfigurationSpec.SetDefaults: skipped when the BYO template name is unchanged from `prev`. */
export function setConfigurationSpecDefaults(
  spec: ConfigurationSpec,
  config: ServingConfig,
  parent: ParentMeta,
  prev: ConfigurationSpec | undefined,
): ConfigurationSpec {
  if (prev) {
    const newName = spec.template?.metadata?.name ?? '';
    if (newName !== '' && newName === (prev.template?.metadata?.name ?? '')) return deepCopy(spec);
  }
  return { ...spec, template: setRevisionTemplateDefaults(spec.template ?? { spec: { containers: [] } }, config, parent, prev === undefined) };
}

export function setServiceDefaults(svc: Service, ctx: DefaultsContext): Service {
  const out = deepCopy(svc);
  const prev = (ctx.old as Service | undefined)?.spec;
  const cs = setConfigurationSpecDefaults(out.spec, ctx.config, out.metadata, prev);
  const rs = setRouteSpecDefaults(out.spec, true);
  out.spec = { ...out.spec, template: cs.template, traffic: rs.traffic! };
  return out;
}

export function setConfigurationDefaults(cfg: Configuration, ctx: DefaultsContext): Configuration {
  const out = deepCopy(cfg);
  out.spec = setConfigurationSpecDefaults(out.spec, ctx.config, out.metadata, (ctx.old as Configuration | undefined)?.spec);
  return out;
}

export function setRouteDefaults(route: Route, _ctx: DefaultsContext): Route {
  const out = deepCopy(route);
  out.spec = setRouteSpecDefaults(out.spec ?? {}, false);
  return out;
}

/** Revision.SetDefaults: nothing on update (revisions are immutable). */
export function setRevisionDefaults(rev: Revision, ctx: DefaultsContext): Revision {
  if (ctx.old !== undefined) return deepCopy(rev);
  const out = deepCopy(rev);
  out.spec = setRevisionSpecDefaults(out.spec, ctx.config, out.metadata, true);
  return out;
}

/** domainmapping_defaults.go: spec.ref.namespace defaults to the mapping's namespace. */
export function setDomainMappingDefaults(dm: DomainMapping, _ctx: DefaultsContext): DomainMapping {
  const out = deepCopy(dm);
  out.spec = out.spec ?? { ref: {} };
  out.spec.ref = out.spec.ref ?? {};
  if (!out.spec.ref.namespace) out.spec.ref.namespace = out.metadata.namespace ?? 'default';
  return out;
}
