import type { Rng } from '../engine/rng.js';
import type { KObject, Service as K8sService, ConfigMap } from '../apis/core/v1.js';
import type { Ingress } from '../apis/networking/v1alpha1.js';
import { FieldError } from '../apis/field-error.js';
import { parseManifests, ManifestError } from '../apis/manifest.js';
import { admitServingObject } from '../apis/serving/v1/admission.js';
import type { Condition, Service as KService, Revision, Configuration, Route, DomainMapping } from '../apis/serving/v1/types.js';
import { parseServingConfig, KNATIVE_DEFAULTS, type ServingConfig } from '../apis/config/serving-config.js';
import { ConfigMapError } from '../apis/config/parse.js';
import { validateAppAnnotations } from '../app/behavior.js';
import { DEFAULT_LATENCIES } from './latencies.js';
import { validateVirtualService, validateGateway } from '../apis/istio/validation.js';
import { parseAutoscalerConfig, type AutoscalerConfig } from '../autoscaler/config.js';
import { validateAutoscalingAnnotations } from '../autoscaler/annotations.js';
import type { Cluster } from './cluster.js';
import type { ClusterOptions } from './cluster.js';
import { ApplyError, NotFoundError, UserInputError } from './errors.js';
import { deepCopy, deepEqual } from '../apis/deep-copy.js';
import { groupKindOf, type GroupKind } from './object-store.js';
import type { ApplyResult, AppliedObject, ObjectRef } from './types.js';
import type { RevisionInfo } from '../activator/activator.js';
import { revisionTimeoutMs } from './revision-template.js';
import { kubectlApply } from './apply-patch.js';
import { Controllers } from './controllers.js';
import { installSystem } from './system.js';

/** What a `knsim.dev/latency.<name>` annotation may override. */
const LATENCY_NAMES = Object.keys(DEFAULT_LATENCIES);

export const KSVC: GroupKind = 'serving.knative.dev/Service';
export const KCONFIG: GroupKind = 'serving.knative.dev/Configuration';
export const KREVISION: GroupKind = 'serving.knative.dev/Revision';
export const KROUTE: GroupKind = 'serving.knative.dev/Route';
export const KDOMAINMAPPING: GroupKind = 'serving.knative.dev/DomainMapping';
export const KINGRESS: GroupKind = 'networking.internal.knative.dev/Ingress';
export const VIRTUALSERVICE: GroupKind = 'networking.istio.io/VirtualService';
export const GATEWAY: GroupKind = 'networking.istio.io/Gateway';
export const K8SSERVICE: GroupKind = '/Service';
export const CONFIGMAP: GroupKind = '/ConfigMap';
export const SYSTEM_NAMESPACE = 'knative-serving';

/** kubectl's resource names, for messages like `services.serving.knative.dev "x" not found`. */
const RESOURCE_NAMES: Record<string, string> = {
  [KSVC]: 'services.serving.knative.dev',
  [KCONFIG]: 'configurations.serving.knative.dev',
  [KREVISION]: 'revisions.serving.knative.dev',
  [KROUTE]: 'routes.serving.knative.dev',
  [KDOMAINMAPPING]: 'domainmappings.serving.knative.dev',
  [KINGRESS]: 'ingresses.networking.internal.knative.dev',
  [VIRTUALSERVICE]: 'virtualservices.networking.istio.io',
  [GATEWAY]: 'gateways.networking.istio.io',
  [K8SSERVICE]: 'services',
  [CONFIGMAP]: 'configmaps',
  'networking.internal.knative.dev/ClusterDomainClaim': 'clusterdomainclaims.networking.internal.knative.dev',
};

/** `ksvc`, `Service` (Knative's unless apiVersion v1), `vs`, … → group/kind. */
export function groupKindForRef(ref: ObjectRef): GroupKind {
  const k = ref.kind.toLowerCase();
  if (ref.apiVersion !== undefined) return groupKindOf({ apiVersion: ref.apiVersion, kind: ref.kind });
  switch (k) {
    case 'ksvc':
    case 'service':
    case 'services':
    case 'kservice':
      return KSVC;
    case 'configuration':
    case 'config':
      return KCONFIG;
    case 'revision':
    case 'rev':
      return KREVISION;
    case 'route':
      return KROUTE;
    case 'domainmapping':
      return KDOMAINMAPPING;
    case 'ingress':
    case 'kingress':
      return KINGRESS;
    case 'virtualservice':
    case 'vs':
      return VIRTUALSERVICE;
    case 'gateway':
    case 'gw':
      return GATEWAY;
    case 'configmap':
    case 'cm':
      return CONFIGMAP;
    default:
      throw new UserInputError(`unknown kind ${JSON.stringify(ref.kind)} (want Service, Configuration, Revision, Route, DomainMapping, VirtualService, Gateway, ConfigMap)`);
  }
}

const WEBHOOK: Record<string, string> = {
  'serving.knative.dev': 'validation.webhook.serving.knative.dev',
  'networking.istio.io': 'validation.istio.io',
};

/**
 * The API server plus Knative's webhooks plus the controllers' bookkeeping: admission,
 * storage, cascading deletion, ConfigMaps, and the lookups the data plane makes.
 */
export class ControlPlane {
  config!: ServingConfig;
  autoscalerConfig!: AutoscalerConfig;
  readonly controllers: Controllers;
  private readonly byClusterIp = new Map<string, string>();
  private readonly byLbIp = new Map<string, string>();
  readonly rng: Rng;

  constructor(
    readonly cluster: Cluster,
    options: ClusterOptions,
  ) {
    this.rng = cluster.streams.fork('controllers');
    const store = cluster.store;
    store.watch(K8SSERVICE, (ev, obj) => this.indexService(ev, obj as K8sService));
    // ConfigMaps of knative-serving: Knative's defaults, knsim's default domain, then overrides.
    const overrides = options.config ?? {};
    for (const name of Object.keys(overrides)) {
      if (!name.startsWith('config-')) throw new UserInputError(`config: unknown ConfigMap ${JSON.stringify(name)} (knative-serving ConfigMaps are named config-*)`);
    }
    const maps: Record<string, Record<string, string>> = {};
    for (const [name, data] of Object.entries(KNATIVE_DEFAULTS)) maps[name] = { ...data };
    if (options.domain !== undefined) maps['config-domain'] = { [options.domain]: '' };
    for (const [name, data] of Object.entries(overrides)) maps[name] = { ...(maps[name] ?? {}), ...data };
    maps['config-autoscaler'] ??= {};
    try {
      this.config = parseServingConfig(maps);
      this.autoscalerConfig = parseAutoscalerConfig(maps['config-autoscaler']!);
    } catch (e) {
      if (e instanceof ConfigMapError || e instanceof Error) throw new UserInputError(`config: ${e.message}`);
      throw e;
    }
    for (const name of Object.keys(maps).sort()) {
      store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: SYSTEM_NAMESPACE }, data: maps[name] } as ConfigMap);
    }
    installSystem(cluster, this);
    this.controllers = new Controllers(cluster, this);
    store.watch(CONFIGMAP, (ev, obj) => {
      if (obj.metadata.namespace === SYSTEM_NAMESPACE && ev !== 'deleted') this.reloadConfig();
    });
  }

  // ------------------------------------------------------------------ configuration

  private configMaps(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const cm of this.cluster.store.list<ConfigMap>(CONFIGMAP, SYSTEM_NAMESPACE)) out[cm.metadata.name] = { ...(cm.data ?? {}) };
    return out;
  }

  private reloadConfig(): void {
    const maps = this.configMaps();
    this.config = parseServingConfig(maps);
    this.autoscalerConfig = parseAutoscalerConfig(maps['config-autoscaler'] ?? {});
    this.controllers.configChanged();
  }

  // ------------------------------------------------------------------ admission and apply

  private admit(obj: KObject, old: KObject | undefined, pendingConfig: ServingConfig): { object: KObject; error?: string; warnings: string[] } {
    const gk = groupKindOf(obj);
    const group = gk.split('/')[0]!;
    const warnings: string[] = [];
    let err: FieldError | undefined;
    let object = obj;
    if (group === 'serving.knative.dev') {
      const r = admitServingObject(obj, { config: pendingConfig, ...(old ? { old } : {}), validateAutoscalingAnnotations: (a) => validateAutoscalingAnnotations(a, this.autoscalerConfig) });
      object = r.object;
      err = r.error;
      if (r.warnings) warnings.push(...r.warnings.toString().split('\n'));
      const tmplAnn =
        gk === KREVISION ? obj.metadata.annotations : ((obj as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }).spec?.template?.metadata?.annotations);
      const appErr = validateAppAnnotations(tmplAnn, LATENCY_NAMES);
      if (appErr) err = (err ? err.also(appErr.viaField(gk === KREVISION ? 'metadata.annotations' : 'spec.template.metadata.annotations')) : appErr.viaField(gk === KREVISION ? 'metadata.annotations' : 'spec.template.metadata.annotations'));
    } else if (gk === VIRTUALSERVICE) {
      err = validateVirtualService(obj as never);
    } else if (gk === GATEWAY) {
      err = validateGateway(obj as never);
    } else if (gk === CONFIGMAP && obj.metadata.namespace === SYSTEM_NAMESPACE) {
      try {
        const maps = { ...this.configMaps(), [obj.metadata.name]: (obj as ConfigMap).data ?? {} };
        parseServingConfig(maps);
        parseAutoscalerConfig(maps['config-autoscaler'] ?? {});
      } catch (e) {
        return { object, error: `ConfigMap ${obj.metadata.name}: ${(e as Error).message}`, warnings };
      }
    }
    if (err && err.hasErrors) {
      const hook = WEBHOOK[group] ?? 'validation';
      return { object, error: `admission webhook "${hook}" denied the request: validation failed: ${err.toString()}`, warnings };
    }
    return { object, warnings };
  }

  private parse(input: string | KObject | readonly KObject[], file: string | undefined): { objects: KObject[]; warnings: string[] } {
    if (typeof input === 'string') {
      try {
        const p = parseManifests(input, file);
        return { objects: p.objects, warnings: p.warnings };
      } catch (e) {
        if (e instanceof ManifestError) throw new ApplyError(e.message);
        throw e;
      }
    }
    const list = Array.isArray(input) ? (input as KObject[]) : [input as KObject];
    // Objects given directly go through the same conversion and checks as parsed YAML.
    try {
      const p = parseManifests(list.map((o) => JSON.stringify(o)).join('\n---\n'), file);
      return { objects: p.objects, warnings: p.warnings };
    } catch (e) {
      if (e instanceof ManifestError) throw new ApplyError(e.message);
      throw e;
    }
  }

  /** kubectl apply semantics: all objects admitted first; any rejection changes nothing. */
  apply(input: string | KObject | readonly KObject[], file: string | undefined): ApplyResult {
    const { objects, warnings } = this.parse(input, file);
    const staged = new Map<string, KObject>();
    const admitted: Array<{ obj: KObject; old: KObject | undefined }> = [];
    const errors: string[] = [];
    for (const obj of objects) {
      const gk = groupKindOf(obj);
      const ns = obj.metadata.namespace ?? 'default';
      const k = `${gk}|${ns}|${obj.metadata.name}`;
      const old = staged.get(k) ?? this.cluster.store.get(gk, ns, obj.metadata.name);
      const patched = kubectlApply(old as Record<string, unknown> | undefined, obj as unknown as Record<string, unknown>) as unknown as KObject;
      const r = this.admit(patched, old, this.config);
      warnings.push(...r.warnings);
      if (r.error !== undefined) {
        errors.push(`Error from server (BadRequest): error when ${old ? 'applying patch' : 'creating'} ${JSON.stringify(file ?? 'STDIN')}: ${r.error}`);
        continue;
      }
      staged.set(k, r.object);
      admitted.push({ obj: r.object, old });
    }
    if (errors.length > 0) throw new ApplyError(errors.join('\n'));
    const applied: AppliedObject[] = [];
    for (const { obj, old } of admitted) applied.push(this.store(obj, old));
    return { applied, warnings };
  }

  /** Validation only, as `knsim validate` reports it; valid objects are applied so later ones validate as updates. */
  validate(input: string | KObject | readonly KObject[], file: string | undefined): { errors: string[]; warnings: string[] } {
    let parsed: { objects: KObject[]; warnings: string[] };
    try {
      parsed = this.parse(input, file);
    } catch (e) {
      if (e instanceof ApplyError) return { errors: [e.message], warnings: [] };
      throw e;
    }
    const errors: string[] = [];
    const warnings = [...parsed.warnings];
    for (const obj of parsed.objects) {
      const gk = groupKindOf(obj);
      const ns = obj.metadata.namespace ?? 'default';
      const old = this.cluster.store.get(gk, ns, obj.metadata.name);
      const patched = kubectlApply(old as Record<string, unknown> | undefined, obj as unknown as Record<string, unknown>) as unknown as KObject;
      const r = this.admit(patched, old, this.config);
      warnings.push(...r.warnings);
      if (r.error !== undefined) errors.push(`${file ?? '<input>'}: ${obj.kind} ${ns}/${obj.metadata.name}: ${r.error}`);
      else this.store(r.object, old);
    }
    return { errors, warnings };
  }

  private store(obj: KObject, old: KObject | undefined): AppliedObject {
    const next = deepCopy(obj);
    const ns = next.metadata.namespace ?? 'default';
    next.metadata.namespace = ns;
    let action: AppliedObject['action'] = 'created';
    if (old) {
      const specSame = deepEqual((old as { spec?: unknown }).spec, (next as { spec?: unknown }).spec) && deepEqual((old as { data?: unknown }).data, (next as { data?: unknown }).data);
      const metaSame = deepEqual(old.metadata.labels ?? {}, next.metadata.labels ?? {}) && deepEqual(old.metadata.annotations ?? {}, next.metadata.annotations ?? {});
      next.metadata.generation = (old.metadata.generation ?? 1) + (specSame ? 0 : 1);
      (next as { status?: unknown }).status = (old as { status?: unknown }).status;
      action = specSame && metaSame ? 'unchanged' : 'configured';
    } else {
      next.metadata.generation = 1;
    }
    if (this.cluster.trace.active) this.cluster.trace.emit({ type: 'object.applied', t: this.cluster.now, kind: next.kind, namespace: ns, name: next.metadata.name, action });
    if (action !== 'unchanged') this.cluster.store.put(next);
    return { kind: next.kind, name: next.metadata.name, namespace: ns, action };
  }

  // ------------------------------------------------------------------ delete, label, get

  get<T extends KObject>(ref: ObjectRef): T | undefined {
    return this.cluster.store.get<T>(groupKindForRef(ref), ref.namespace ?? 'default', ref.name);
  }

  delete(ref: ObjectRef): void {
    const gk = groupKindForRef(ref);
    const ns = ref.namespace ?? 'default';
    if (!this.cluster.store.has(gk, ns, ref.name)) throw new NotFoundError(`Error from server (NotFound): ${RESOURCE_NAMES[gk] ?? gk} ${JSON.stringify(ref.name)} not found`);
    this.deleteCascade(gk, ns, ref.name);
  }

  /** Deletes an object and, like the garbage collector, everything it controls. */
  deleteCascade(gk: GroupKind, ns: string, name: string): void {
    const store = this.cluster.store;
    const obj = store.get(gk, ns, name);
    if (!obj) return;
    store.delete(gk, ns, name);
    if (this.cluster.trace.active) this.cluster.trace.emit({ type: 'object.deleted', t: this.cluster.now, kind: obj.kind, namespace: ns, name });
    for (const child of this.ownedBy(obj)) this.deleteCascade(groupKindOf(child), child.metadata.namespace ?? ns, child.metadata.name);
  }

  private ownedBy(owner: KObject): KObject[] {
    const out: KObject[] = [];
    const kinds = [KCONFIG, KROUTE, KREVISION, KINGRESS, VIRTUALSERVICE, K8SSERVICE];
    for (const gk of kinds) {
      for (const o of this.cluster.store.list(gk, owner.metadata.namespace)) {
        if ((o.metadata.ownerReferences ?? []).some((r) => r.kind === owner.kind && r.name === owner.metadata.name && r.apiVersion.split('/')[0] === owner.apiVersion.split('/')[0])) out.push(o);
      }
    }
    return out;
  }

  label(ref: ObjectRef, labels: Record<string, string | null>): void {
    const gk = groupKindForRef(ref);
    const ns = ref.namespace ?? 'default';
    const obj = this.cluster.store.get(gk, ns, ref.name);
    if (!obj) throw new NotFoundError(`Error from server (NotFound): ${RESOURCE_NAMES[gk] ?? gk} ${JSON.stringify(ref.name)} not found`);
    const next = deepCopy(obj);
    const l = { ...(next.metadata.labels ?? {}) };
    for (const [k, v] of Object.entries(labels)) {
      if (v === null) delete l[k];
      else l[k] = v;
    }
    next.metadata.labels = l;
    if (groupKindOf(next).startsWith('serving.knative.dev/')) {
      const r = admitServingObject(next, { config: this.config, old: obj });
      if (r.error?.hasErrors) throw new ApplyError(`admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ${r.error.toString()}`);
    }
    if (this.cluster.trace.active) this.cluster.trace.emit({ type: 'object.labeled', t: this.cluster.now, kind: obj.kind, namespace: ns, name: ref.name, labels });
    this.cluster.store.put(next);
  }

  // ------------------------------------------------------------------ lookups for the data plane

  private indexService(ev: string, svc: K8sService): void {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    for (const [ip, k] of [...this.byClusterIp]) if (k === key) this.byClusterIp.delete(ip);
    for (const [ip, k] of [...this.byLbIp]) if (k === key) this.byLbIp.delete(ip);
    if (ev === 'deleted') return;
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') this.byClusterIp.set(svc.spec.clusterIP, key);
    for (const i of svc.status?.loadBalancer?.ingress ?? []) if (i.ip) this.byLbIp.set(i.ip, key);
  }

  /** A Kubernetes Service as the data plane reads it (not a copy: do not modify). */
  k8sService(namespace: string, name: string): K8sService | undefined {
    return this.cluster.store.peek<K8sService>(K8SSERVICE, namespace, name) as K8sService | undefined;
  }

  serviceByClusterIp(ip: string): K8sService | undefined {
    const k = this.byClusterIp.get(ip);
    if (!k) return undefined;
    const [ns, name] = k.split('/') as [string, string];
    return this.k8sService(ns, name);
  }

  serviceByLoadBalancerIp(ip: string): K8sService | undefined {
    const k = this.byLbIp.get(ip);
    if (!k) return undefined;
    const [ns, name] = k.split('/') as [string, string];
    return this.k8sService(ns, name);
  }

  /** A fresh ClusterIP for a Service that asks for one. */
  assignClusterIp(svc: K8sService): K8sService {
    if (svc.spec.type === 'ExternalName' || svc.spec.clusterIP === 'None') return svc;
    const existing = this.k8sService(svc.metadata.namespace ?? 'default', svc.metadata.name);
    svc.spec.clusterIP = existing?.spec.clusterIP && existing.spec.clusterIP !== 'None' ? existing.spec.clusterIP : (svc.spec.clusterIP ?? this.cluster.addresses.clusterIp());
    return svc;
  }

  revisionInfo(namespace: string, name: string): RevisionInfo | undefined {
    // Asked on every request the activator takes: answered from a cache by namespace and name
    // (no key string built), valid while no revision comes or goes.
    const version = this.cluster.revisionsVersion;
    if (this.revisionInfoVersion !== version) {
      this.revisionInfoCache.clear();
      this.revisionInfoVersion = version;
    }
    let byName = this.revisionInfoCache.get(namespace);
    if (byName === undefined) {
      byName = new Map();
      this.revisionInfoCache.set(namespace, byName);
    }
    let info = byName.get(name);
    if (info === undefined && !byName.has(name)) {
      const key = `${namespace}/${name}`;
      const rt = this.cluster.revisions.get(key);
      // A revision's template never changes, so neither does what the activator needs of it.
      info = rt === undefined ? undefined : { key, containerConcurrency: rt.template.queue.containerConcurrency, timeoutMs: revisionTimeoutMs(rt.template) };
      byName.set(name, info);
    }
    return info;
  }
  private readonly revisionInfoCache = new Map<string, Map<string, RevisionInfo | undefined>>();
  private revisionInfoVersion = -1;

  /** Knative Services whose Ready condition is not True. */
  unreadyServices(names?: readonly string[], namespace?: string): Array<{ namespace: string; name: string; status: string; reason?: string; message?: string }> {
    const out = [];
    for (const s of this.cluster.store.list<KService>(KSVC, namespace)) {
      if (names && !names.includes(s.metadata.name)) continue;
      const c = (s.status?.conditions ?? []).find((x: Condition) => x.type === 'Ready');
      // Like `kn`, wait for the controller to have seen the latest spec, not just for Ready.
      const current = (s.status?.observedGeneration ?? 0) === (s.metadata.generation ?? 1);
      if (c?.status === 'True' && current) continue;
      if (!current) {
        out.push({ namespace: s.metadata.namespace ?? 'default', name: s.metadata.name, status: 'Unknown', reason: 'OutOfDate', message: 'waiting for the controller to reconcile the latest generation' });
        continue;
      }
      out.push({ namespace: s.metadata.namespace ?? 'default', name: s.metadata.name, status: c?.status ?? 'Unknown', ...(c?.reason ? { reason: c.reason } : {}), ...(c?.message ? { message: c.message } : {}) });
    }
    return out;
  }
}

export type { Revision, Configuration, Route, DomainMapping, Ingress };
