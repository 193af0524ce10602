/**
 * What the Kubernetes API server checks of every object before storing it, whatever webhooks
 * say (k8s.io/apimachinery pkg/api/validation objectmeta.go ValidateObjectMeta, and
 * k8s.io/kubernetes pkg/apis/core/validation ValidateConfigMap, ValidateService), with its
 * messages: `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must …`.
 */
import type { KObject } from './v1.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../k8s-validation.js';

const invalid = (field: string, value: unknown, detail: string) => `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`;

/** The name rule of each built-in kind (ValidateConfigMapName, ValidateServiceName); custom resources need DNS-1123 subdomains. */
const NAME_RULES: Readonly<Record<string, (name: string) => string[]>> = {
  '/ConfigMap': isDNS1123Subdomain,
  '/Service': isDNS1035Label,
};

/** apimachinery's TotalAnnotationSizeLimitB. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** ValidateObjectMeta for an object of group/kind `gk`: name, namespace, labels, annotations. */
export function validateObjectMeta(obj: KObject, gk: string, clusterScoped: boolean): string[] {
  const errs: string[] = [];
  const meta = obj.metadata;
  const nameRule = NAME_RULES[gk] ?? isDNS1123Subdomain;
  for (const m of nameRule(meta.name)) errs.push(invalid('metadata.name', meta.name, m));
  if (!clusterScoped) for (const m of isDNS1123Label(meta.namespace ?? 'default')) errs.push(invalid('metadata.namespace', meta.namespace, m));
  for (const [k, v] of Object.entries(meta.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const m of isQualifiedName(k)) errs.push(invalid('metadata.labels', k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalid('metadata.labels', v, m));
  }
  let size = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid('metadata.annotations', k, m));
    size += k.length + v.length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(`metadata.annotations: Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`);
  return errs;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

interface ServiceShape {
  spec?: { type?: string; externalName?: string; ports?: Array<{ port?: number; name?: string }> };
}

/** ValidateService, the parts that keep a Service usable: its type, its ports, an ExternalName's name. */
export function validateCoreService(svc: KObject & ServiceShape): string[] {
  const errs: string[] = [];
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) errs.push(`spec.type: Unsupported value: ${JSON.stringify(type)}: supported values: ${SERVICE_TYPES.map((t) => JSON.stringify(t)).join(', ')}`);
  if (type === 'ExternalName') {
    const n = spec.externalName ?? '';
    if (n === '') errs.push('spec.externalName: Required value');
    else for (const m of isDNS1123Subdomain(n.endsWith('.') ? n.slice(0, -1) : n)) errs.push(invalid('spec.externalName', n, m));
  } else if ((spec.ports ?? []).length === 0) {
    errs.push('spec.ports: Required value');
  }
  (spec.ports ?? []).forEach((p, i) => {
    if (!(typeof p.port === 'number' && p.port >= 1 && p.port <= 65535)) errs.push(invalid(`spec.ports[${i}].port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'));
  });
  return errs;
}
