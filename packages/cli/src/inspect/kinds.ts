import type { KObject } from '@knsim/sim-core';
import { UserError } from '../errors.js';

/**
 * The kinds `knsim get` and `describe` know, with the names kubectl and kn accept for them and
 * the columns `kubectl get` prints: the CRDs' additionalPrinterColumns (knative/serving
 * config/core/300-resources/*.yaml, knative/networking config/{ingress,serverlessservice}.yaml,
 * Istio's CRDs) and kubectl's built-in printers for the core kinds
 * (k8s.io/kubernetes pkg/printers/internalversion/printers.go).
 */
export interface KindInfo {
  /** `services.serving.knative.dev`, `pods`: kubectl's resource name, used in its messages. */
  resource: string;
  /** What `-o name` prints before the slash: `service.serving.knative.dev`, `pod`. */
  singular: string;
  kind: string;
  /** The API group (empty for core). */
  group: string;
  namespaced: boolean;
  names: readonly string[];
  columns: ReadonlyArray<Column>;
}

export interface Column {
  header: string;
  value: (o: KObject, nowMs: number) => string;
  /** Only with `-o wide`. */
  wide?: boolean;
}

type Obj = KObject & { spec?: Record<string, unknown>; status?: Record<string, unknown>; data?: Record<string, unknown> };
type Condition = { type: string; status: string; reason?: string; message?: string };

const status = (o: KObject) => ((o as Obj).status ?? {}) as Record<string, unknown>;
const spec = (o: KObject) => ((o as Obj).spec ?? {}) as Record<string, unknown>;
export const conditionsOf = (o: KObject): Condition[] => (status(o).conditions as Condition[] | undefined) ?? [];
const ready = (o: KObject) => conditionsOf(o).find((c) => c.type === 'Ready');
/** A jsonPath column kubectl prints empty when the field is absent. */
const str = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? JSON.stringify(v) : String(v));

const NAME: Column = { header: 'NAME', value: (o) => o.metadata.name };
const READY: Column = { header: 'READY', value: (o) => ready(o)?.status ?? '' };
const REASON: Column = { header: 'REASON', value: (o) => ready(o)?.reason ?? '' };
const URL: Column = { header: 'URL', value: (o) => str(status(o).url) };
const AGE: Column = { header: 'AGE', value: (o, now) => age(o, now) };

/** Simulated ms since the object's creationTimestamp, as kubectl's AGE. */
export function age(o: KObject, nowMs: number): string {
  const ts = o.metadata.creationTimestamp as unknown;
  if (typeof ts !== 'string') return '<unknown>';
  return humanDuration(nowMs - (Date.parse(ts) - Date.UTC(2026, 0, 1)));
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration: `45s`, `2m30s`, `3h4m`, `5d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const d = Math.floor(hours / 24) % 365;
    return d === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

type Port = { name?: string; port: number; protocol?: string; nodePort?: number; targetPort?: number | string };

/** kubectl's PORT(S): `80/TCP`, `80:31380/TCP` for a node port. */
const servicePorts = (o: KObject) => {
  const ports = (spec(o).ports as Port[] | undefined) ?? [];
  return ports.length === 0 ? '<none>' : ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
};

const externalIp = (o: KObject) => {
  const s = spec(o);
  if (s.type === 'ExternalName') return str(s.externalName);
  if (s.type === 'LoadBalancer') {
    const ingress = ((status(o).loadBalancer as { ingress?: Array<{ ip?: string; hostname?: string }> } | undefined)?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '');
    return ingress.length > 0 ? ingress.join(',') : '<pending>';
  }
  return '<none>';
};

/** kubectl's ENDPOINTS: at most three `ip:port`, then `+ N more...`. */
export function endpointsList(o: KObject): string {
  const list: string[] = [];
  for (const s of (o.subsets as Array<{ addresses?: Array<{ ip: string }>; ports?: Port[] }> | undefined) ?? []) {
    for (const a of s.addresses ?? []) for (const p of s.ports?.length ? s.ports : [undefined]) list.push(p ? `${a.ip}:${p.port}` : a.ip);
  }
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

type ContainerStatus = { name: string; ready: boolean; restartCount: number; state?: { waiting?: { reason?: string } } };
const containerStatuses = (o: KObject) => (status(o).containerStatuses as ContainerStatus[] | undefined) ?? [];

/** kubectl's pod STATUS: Terminating once deleted, else a waiting container's reason, else the phase. */
export function podStatus(o: KObject): string {
  if ((o.metadata as { deletionTimestamp?: string }).deletionTimestamp) return 'Terminating';
  const waiting = containerStatuses(o).find((c) => c.state?.waiting?.reason);
  return waiting?.state?.waiting?.reason ?? str(status(o).phase);
}

export const podReady = (o: KObject) => {
  const cs = containerStatuses(o);
  return `${cs.filter((c) => c.ready).length}/${((spec(o).containers as unknown[] | undefined) ?? cs).length}`;
};

const KNATIVE = 'serving.knative.dev';
const NETWORKING = 'networking.internal.knative.dev';
const ISTIO = 'networking.istio.io';
const AUTOSCALING = 'autoscaling.internal.knative.dev';

const forms = (plural: string, singular: string, group: string, ...short: string[]) => [plural, singular, ...short, ...(group ? [`${plural}.${group}`, `${singular}.${group}`] : [])];

export const KINDS: readonly KindInfo[] = [
  {
    resource: `services.${KNATIVE}`,
    singular: `service.${KNATIVE}`,
    kind: 'Service',
    group: KNATIVE,
    namespaced: true,
    names: [...forms('services', 'service', KNATIVE).filter((n) => n.includes('.')), 'ksvc', 'ksvcs', 'kservice', 'kservices'],
    columns: [NAME, URL, { header: 'LATESTCREATED', value: (o) => str(status(o).latestCreatedRevisionName) }, { header: 'LATESTREADY', value: (o) => str(status(o).latestReadyRevisionName) }, READY, REASON],
  },
  {
    resource: `routes.${KNATIVE}`,
    singular: `route.${KNATIVE}`,
    kind: 'Route',
    group: KNATIVE,
    namespaced: true,
    names: forms('routes', 'route', KNATIVE, 'rt'),
    columns: [NAME, URL, READY, REASON],
  },
  {
    resource: `configurations.${KNATIVE}`,
    singular: `configuration.${KNATIVE}`,
    kind: 'Configuration',
    group: KNATIVE,
    namespaced: true,
    names: forms('configurations', 'configuration', KNATIVE, 'config', 'cfg'),
    columns: [NAME, { header: 'LATESTCREATED', value: (o) => str(status(o).latestCreatedRevisionName) }, { header: 'LATESTREADY', value: (o) => str(status(o).latestReadyRevisionName) }, READY, REASON],
  },
  {
    resource: `revisions.${KNATIVE}`,
    singular: `revision.${KNATIVE}`,
    kind: 'Revision',
    group: KNATIVE,
    namespaced: true,
    names: forms('revisions', 'revision', KNATIVE, 'rev'),
    columns: [
      NAME,
      { header: 'CONFIG NAME', value: (o) => o.metadata.labels?.['serving.knative.dev/configuration'] ?? '' },
      { header: 'GENERATION', value: (o) => o.metadata.labels?.['serving.knative.dev/configurationGeneration'] ?? '' },
      READY,
      REASON,
      { header: 'ACTUAL REPLICAS', value: (o) => str(status(o).actualReplicas) },
      { header: 'DESIRED REPLICAS', value: (o) => str(status(o).desiredReplicas) },
    ],
  },
  {
    resource: `domainmappings.${KNATIVE}`,
    singular: `domainmapping.${KNATIVE}`,
    kind: 'DomainMapping',
    group: KNATIVE,
    namespaced: true,
    names: forms('domainmappings', 'domainmapping', KNATIVE, 'dm'),
    columns: [NAME, URL, READY, REASON],
  },
  {
    resource: `ingresses.${NETWORKING}`,
    singular: `ingress.${NETWORKING}`,
    kind: 'Ingress',
    group: NETWORKING,
    namespaced: true,
    names: ['kingress', 'kingresses', 'king', `ingresses.${NETWORKING}`, `ingress.${NETWORKING}`],
    columns: [NAME, READY, REASON],
  },
  {
    resource: `serverlessservices.${NETWORKING}`,
    singular: `serverlessservice.${NETWORKING}`,
    kind: 'ServerlessService',
    group: NETWORKING,
    namespaced: true,
    names: forms('serverlessservices', 'serverlessservice', NETWORKING, 'sks'),
    columns: [
      NAME,
      { header: 'MODE', value: (o) => str(spec(o).mode) },
      { header: 'ACTIVATORS', value: (o) => str(spec(o).numActivators) },
      { header: 'SERVICENAME', value: (o) => str(status(o).serviceName) },
      { header: 'PRIVATESERVICENAME', value: (o) => str(status(o).privateServiceName) },
      READY,
      REASON,
    ],
  },
  {
    resource: `clusterdomainclaims.${NETWORKING}`,
    singular: `clusterdomainclaim.${NETWORKING}`,
    kind: 'ClusterDomainClaim',
    group: NETWORKING,
    namespaced: false,
    names: forms('clusterdomainclaims', 'clusterdomainclaim', NETWORKING, 'cdc'),
    columns: [NAME, AGE],
  },
  {
    resource: `podautoscalers.${AUTOSCALING}`,
    singular: `podautoscaler.${AUTOSCALING}`,
    kind: 'PodAutoscaler',
    group: AUTOSCALING,
    namespaced: true,
    names: forms('podautoscalers', 'podautoscaler', AUTOSCALING, 'kpa', 'pa'),
    columns: [NAME, { header: 'DESIREDSCALE', value: (o) => str(status(o).desiredScale) }, { header: 'ACTUALSCALE', value: (o) => str(status(o).actualScale) }, READY, REASON],
  },
  {
    resource: `virtualservices.${ISTIO}`,
    singular: `virtualservice.${ISTIO}`,
    kind: 'VirtualService',
    group: ISTIO,
    namespaced: true,
    names: forms('virtualservices', 'virtualservice', ISTIO, 'vs'),
    columns: [NAME, { header: 'GATEWAYS', value: (o) => str(spec(o).gateways) }, { header: 'HOSTS', value: (o) => str(spec(o).hosts) }, AGE],
  },
  {
    resource: `gateways.${ISTIO}`,
    singular: `gateway.${ISTIO}`,
    kind: 'Gateway',
    group: ISTIO,
    namespaced: true,
    names: forms('gateways', 'gateway', ISTIO, 'gw'),
    columns: [NAME, AGE],
  },
  {
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    group: '',
    namespaced: true,
    names: ['services', 'service', 'svc'],
    columns: [
      NAME,
      { header: 'TYPE', value: (o) => str(spec(o).type ?? 'ClusterIP') },
      { header: 'CLUSTER-IP', value: (o) => (spec(o).type === 'ExternalName' ? '<none>' : str(spec(o).clusterIP) || '<none>') },
      { header: 'EXTERNAL-IP', value: externalIp },
      { header: 'PORT(S)', value: servicePorts },
      AGE,
      { header: 'SELECTOR', wide: true, value: (o) => selector(spec(o).selector as Record<string, string> | undefined) },
    ],
  },
  {
    resource: 'endpoints',
    singular: 'endpoints',
    kind: 'Endpoints',
    group: '',
    namespaced: true,
    names: ['endpoints', 'ep'],
    columns: [NAME, { header: 'ENDPOINTS', value: endpointsList }, AGE],
  },
  {
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    group: '',
    namespaced: true,
    names: ['pods', 'pod', 'po'],
    columns: [
      NAME,
      { header: 'READY', value: podReady },
      { header: 'STATUS', value: podStatus },
      { header: 'RESTARTS', value: (o) => String(containerStatuses(o).reduce((n, c) => n + c.restartCount, 0)) },
      AGE,
      { header: 'IP', wide: true, value: (o) => str(status(o).podIP) || '<none>' },
      { header: 'NODE', wide: true, value: (o) => str(spec(o).nodeName) || '<none>' },
      { header: 'NOMINATED NODE', wide: true, value: () => '<none>' },
      { header: 'READINESS GATES', wide: true, value: () => '<none>' },
    ],
  },
  {
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    group: '',
    namespaced: true,
    names: ['configmaps', 'configmap', 'cm'],
    columns: [NAME, { header: 'DATA', value: (o) => String(Object.keys((o as Obj).data ?? {}).length) }, AGE],
  },
];

export const selector = (sel: Record<string, string> | undefined) =>
  sel === undefined || Object.keys(sel).length === 0
    ? '<none>'
    : Object.keys(sel)
        .sort()
        .map((k) => `${k}=${sel[k]}`)
        .join(',');

/** `ksvc`, `rev`, `services.serving.knative.dev`, `Pod`: the kind a user typed, as kubectl resolves it. */
export function kindFor(name: string): KindInfo {
  const n = name.toLowerCase();
  const k = KINDS.find((x) => x.names.includes(n)) ?? KINDS.find((x) => x.kind.toLowerCase() === n);
  if (k !== undefined) return k;
  throw new UserError(`the server doesn't have a resource type "${name}" (knsim knows: ${KINDS.map(shortest).join(', ')})`);
}

const shortest = (k: KindInfo) => [...k.names].filter((n) => !n.includes('.')).sort((a, b) => a.length - b.length)[0] ?? k.resource;

export const groupOf = (o: KObject) => (o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '');
export const isKind = (o: KObject, k: KindInfo) => o.kind === k.kind && groupOf(o) === k.group;
