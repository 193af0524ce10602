import type { Environment } from '../engine/environment.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import type { KObject, ConfigMap, Service as K8sService } from '../apis/core/v1.js';
import type { FieldError } from '../apis/field-error.js';
import { isClusterScoped, manifestObjects, parseManifests, ManifestError } from '../apis/manifest.js';
import { validateCoreService, validateObjectMeta } from '../apis/core/validation.js';
import { admitServingObject } from '../apis/serving/v1/admission.js';
import type { ServingConfig } from '../apis/config/serving-config.js';
import { DEFAULT_LATENCIES } from '../apis/config/latencies.js';
import { validateVirtualService, validateGateway } from '../apis/istio/validation.js';
import { validateWasmPlugin } from '../apis/higress/validation.js';
import { ApplyError, NotFoundError } from '../apis/errors.js';
import { deepCopy, deepEqual } from '../apis/deep-copy.js';
import { setOwn } from '../apis/dict.js';
import { kubectlApply } from '../apis/apply-patch.js';
import { CONFIGMAP, GATEWAY, K8SSERVICE, KCONFIG, KINGRESS, KREVISION, KROUTE, RESOURCE_NAMES, SYSTEM_NAMESPACE, VIRTUALSERVICE, WASMPLUGIN, groupKindForRef, groupKindOf, type GroupKind, type ObjectOf, type ObjectRef } from '../apis/kinds.js';
import { validateAppAnnotations } from '../app/behavior.js';
import { validateAutoscalingAnnotations } from '../autoscaler/annotations.js';
import { OWNER_INDEX, type ObjectStore } from '../k8s/object-store.js';
import type { ConfigStore } from '../reconciler/config-store.js';
import { unknownConfigWarnings } from '../reconciler/unknown-config.js';
import type { ApplyResult, AppliedObject } from './types.js';

/** What a `knsim.dev/latency.<name>` annotation may override. */
const LATENCY_NAMES = Object.keys(DEFAULT_LATENCIES);

const WEBHOOK: Record<string, string> = {
  'serving.knative.dev': 'validation.webhook.serving.knative.dev',
  'networking.istio.io': 'validation.istio.io',
  // Higress checks a plugin's configuration when Envoy loads it; knsim at apply (docs/cluster.md).
  'extensions.higress.io': 'wasmplugin.higress.io',
};

/** The kinds a deleted object's children may be (the garbage collector follows owner references). */
const OWNED_KINDS = [KCONFIG, KROUTE, KREVISION, KINGRESS, VIRTUALSERVICE, GATEWAY, K8SSERVICE];

/**
 * The Kubernetes API server with Knative's and Istio's admission webhooks: kubectl apply
 * (three-way merge, all objects admitted before any is stored), validation, get, label, and
 * delete with the garbage collector's cascade.
 */
/** The largest object the API server takes: kube-apiserver's MaxRequestBodyBytes, 3 MiB (docs/limits.md). */
export const MAX_OBJECT_BYTES = 3 * 1024 * 1024;

export class ApiServer {
  constructor(
    private readonly env: Environment,
    private readonly store: ObjectStore,
    private readonly config: ConfigStore,
    private readonly trace: TraceBus<KnsimTraceEvent>,
    /** ClusterIP allocation on create, as the API server's Service storage does it (kept on update). */
    private readonly assignClusterIp: (svc: K8sService) => K8sService,
  ) {}

  // ------------------------------------------------------------------ admission and apply

  private admit(obj: KObject, old: KObject | undefined, pendingConfig: ServingConfig): { object: KObject; error?: string; warnings: string[] } {
    const gk = groupKindOf(obj);
    const group = gk.split('/')[0]!;
    const warnings: string[] = [];
    let err: FieldError | undefined;
    let object = obj;
    // The API server's own checks come before any webhook's.
    const apiErrs = validateObjectMeta(obj, gk, isClusterScoped(gk));
    if (gk === K8SSERVICE) apiErrs.push(...validateCoreService(obj));
    if (apiErrs.length > 0) return { object, error: `The ${obj.kind} ${JSON.stringify(obj.metadata.name)} is invalid: ${apiErrs.join(', ')}`, warnings };
    if (group === 'serving.knative.dev') {
      const r = admitServingObject(obj, { config: pendingConfig, ...(old ? { old } : {}), validateAutoscalingAnnotations: (a) => validateAutoscalingAnnotations(a, this.config.autoscaler) });
      object = r.object;
      err = r.error;
      if (r.warnings) warnings.push(...r.warnings.toString().split('\n'));
      const tmplAnn =
        gk === KREVISION ? obj.metadata.annotations : ((obj as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }).spec?.template?.metadata?.annotations);
      const annotationsPath = gk === KREVISION ? 'metadata.annotations' : 'spec.template.metadata.annotations';
      const appErr = validateAppAnnotations(tmplAnn, LATENCY_NAMES);
      if (appErr) err = err ? err.also(appErr.viaField(annotationsPath)) : appErr.viaField(annotationsPath);
    } else if (gk === VIRTUALSERVICE) {
      err = validateVirtualService(obj as never);
    } else if (gk === GATEWAY) {
      err = validateGateway(obj as never);
    } else if (gk === WASMPLUGIN) {
      err = validateWasmPlugin(obj as never);
    } else if (gk === CONFIGMAP && obj.metadata.namespace === SYSTEM_NAMESPACE) {
      try {
        this.config.check(obj.metadata.name, (obj as ConfigMap).data ?? {});
      } catch (e) {
        return { object, error: `ConfigMap ${obj.metadata.name}: ${(e as Error).message}`, warnings };
      }
      const data = (obj as ConfigMap).data ?? {};
      warnings.push(...unknownConfigWarnings({ ...this.config.configMaps(), [obj.metadata.name]: data }, [obj.metadata.name]).map((w) => `Warning: ${w}`));
    }
    if (err && err.hasErrors) {
      const hook = WEBHOOK[group] ?? 'validation';
      return { object, error: `admission webhook "${hook}" denied the request: validation failed: ${err.toString()}`, warnings };
    }
    return { object, warnings };
  }

  private parse(input: string | KObject | readonly KObject[], file: string | undefined): { objects: KObject[]; warnings: string[] } {
    // Objects given directly go through the same conversion and checks as parsed YAML, without
    // the YAML parser unless one has a mistake (its message then comes from the text).
    if (typeof input !== 'string') {
      const p = manifestObjects(Array.isArray(input) ? (input as KObject[]) : [input as KObject], file);
      if (p !== undefined) return { objects: p.objects, warnings: p.warnings };
    }
    const text = typeof input === 'string' ? input : (Array.isArray(input) ? (input as KObject[]) : [input as KObject]).map((o) => JSON.stringify(o)).join('\n---\n');
    try {
      const p = parseManifests(text, file);
      return { objects: p.objects, warnings: p.warnings };
    } catch (e) {
      if (e instanceof ManifestError) throw new ApplyError(e.message);
      throw e;
    }
  }

  /** The object as it would be after `kubectl apply` of `obj` over what is stored (or staged). */
  private patched(obj: KObject, old: KObject | undefined): KObject {
    return kubectlApply(old as Record<string, unknown> | undefined, obj as unknown as Record<string, unknown>) as unknown as KObject;
  }

  /** kubectl apply semantics: all objects admitted first; any rejection changes nothing. */
  apply(input: string | KObject | readonly KObject[], file: string | undefined): ApplyResult {
    const { objects, warnings } = this.parse(input, file);
    // kubectl refuses outright ("error: no objects passed to apply"); a file among several that
    // holds only empty documents is more likely a slip, so knsim says so and goes on.
    if (objects.length === 0) warnings.push(`Warning: ${file ?? 'STDIN'}: no objects passed to apply (only empty documents)`);
    const staged = new Map<string, KObject>();
    const admitted: Array<{ obj: KObject; old: KObject | undefined }> = [];
    const errors: string[] = [];
    for (const obj of objects) {
      const gk = groupKindOf(obj);
      const ns = obj.metadata.namespace ?? 'default';
      const k = `${gk}|${ns}|${obj.metadata.name}`;
      const old = staged.get(k) ?? this.store.get(gk, ns, obj.metadata.name);
      // kube-apiserver's request body limit (MaxRequestBodyBytes, 3 MiB), checked before anything
      // else: a huge env list is refused as the API server refuses it, before it costs anything.
      if (JSON.stringify(obj).length > MAX_OBJECT_BYTES) {
        errors.push(`Error from server (RequestEntityTooLarge): error when ${old ? 'applying patch' : 'creating'} ${JSON.stringify(file ?? 'STDIN')}: Request entity too large: limit is ${MAX_OBJECT_BYTES}`);
        continue;
      }
      const r = this.admit(this.patched(obj, old), old, this.config.serving);
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
    for (const { obj, old } of admitted) applied.push(this.persist(obj, old));
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
      const old = this.store.get(gk, ns, obj.metadata.name);
      const r = this.admit(this.patched(obj, old), old, this.config.serving);
      warnings.push(...r.warnings);
      if (r.error !== undefined) errors.push(`${file ?? '<input>'}: ${obj.kind} ${ns}/${obj.metadata.name}: ${r.error}`);
      else this.persist(r.object, old);
    }
    return { errors, warnings };
  }

  /** Stores an admitted object: generation bumped on a spec change, status kept, unchanged objects not written. */
  private persist(obj: KObject, old: KObject | undefined): AppliedObject {
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
    if (this.trace.active) this.trace.emit({ type: 'object.applied', t: this.env.now, kind: next.kind, namespace: ns, name: next.metadata.name, action });
    if (action !== 'unchanged') this.store.put(groupKindOf(next) === K8SSERVICE ? this.assignClusterIp(next as K8sService) : next);
    return { kind: next.kind, name: next.metadata.name, namespace: ns, action };
  }

  // ------------------------------------------------------------------ get, delete, label

  get<K extends GroupKind>(gk: K, namespace: string, name: string): ObjectOf<K> | undefined {
    return this.store.get(gk, namespace, name);
  }

  private notFound(gk: GroupKind, name: string): NotFoundError {
    return new NotFoundError(`Error from server (NotFound): ${RESOURCE_NAMES[gk] ?? gk} ${JSON.stringify(name)} not found`);
  }

  delete(ref: ObjectRef): void {
    const gk = groupKindForRef(ref);
    const ns = ref.namespace ?? 'default';
    if (!this.store.has(gk, ns, ref.name)) throw this.notFound(gk, ref.name);
    this.deleteCascade(gk, ns, ref.name);
  }

  /** Deletes an object and, like the garbage collector, everything it controls. */
  private deleteCascade(gk: GroupKind, ns: string, name: string): void {
    const obj = this.store.get(gk, ns, name);
    if (!obj) return;
    this.store.delete(gk, ns, name);
    if (this.trace.active) this.trace.emit({ type: 'object.deleted', t: this.env.now, kind: obj.kind, namespace: ns, name });
    for (const child of this.ownedBy(obj)) this.deleteCascade(groupKindOf(child), child.metadata.namespace ?? ns, child.metadata.name);
  }

  private ownedBy(owner: KObject): Array<Readonly<KObject>> {
    const out: Array<Readonly<KObject>> = [];
    const ns = owner.metadata.namespace ?? 'default';
    for (const gk of OWNED_KINDS) {
      for (const o of this.store.byIndex(gk, OWNER_INDEX, ns, `${owner.kind}/${owner.metadata.name}`)) {
        if ((o.metadata.ownerReferences ?? []).some((r) => r.kind === owner.kind && r.name === owner.metadata.name && r.apiVersion.split('/')[0] === owner.apiVersion.split('/')[0])) out.push(o);
      }
    }
    return out;
  }

  label(ref: ObjectRef, labels: Record<string, string | null>): void {
    const gk = groupKindForRef(ref);
    const ns = ref.namespace ?? 'default';
    const obj = this.store.get(gk, ns, ref.name);
    if (!obj) throw this.notFound(gk, ref.name);
    const next = deepCopy(obj);
    const l = { ...(next.metadata.labels ?? {}) };
    for (const [k, v] of Object.entries(labels)) {
      if (v === null) delete l[k];
      else if (typeof v !== 'string') throw new ApplyError(`The ${obj.kind} ${JSON.stringify(ref.name)} is invalid: metadata.labels: Invalid value: ${JSON.stringify(v)}: must be a string`);
      else setOwn(l, k, v);
    }
    next.metadata.labels = l;
    // `kubectl label` is an update: the API server checks the label syntax of every kind.
    const metaErrs = validateObjectMeta(next, gk, isClusterScoped(gk));
    if (metaErrs.length > 0) throw new ApplyError(`The ${obj.kind} ${JSON.stringify(ref.name)} is invalid: ${metaErrs.join(', ')}`);
    if (groupKindOf(next).startsWith('serving.knative.dev/')) {
      const r = admitServingObject(next, { config: this.config.serving, old: obj });
      if (r.error?.hasErrors) throw new ApplyError(`admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ${r.error.toString()}`);
    }
    if (this.trace.active) this.trace.emit({ type: 'object.labeled', t: this.env.now, kind: obj.kind, namespace: ns, name: ref.name, labels });
    this.store.put(next);
  }
}
