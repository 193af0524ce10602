import { parse as parseYaml } from 'yaml';
import { ConfigMapError, type ConfigData } from './parse.js';
import { isDNS1123Subdomain } from '../k8s-validation.js';
import { labelSelectorAsSelector, type LabelSelector } from '../core/label-selector.js';
import { DEFAULT_CLUSTER_DOMAIN, serviceHostname } from '../networking/hosts.js';

/**
 * config-istio (knative-extensions/net-istio pkg/reconciler/ingress/config/istio.go
 * NewIstioFromConfigMap). Old format: `gateway.<ns>.<name>: <service FQDN>` and
 * `local-gateway.<ns>.<name>: <service FQDN>`; new format: YAML lists under `external-gateways`
 * and `local-gateways`. The two cannot be mixed.
 */
export const ISTIO_CONFIG_NAME = 'config-istio';

export interface IstioGateway {
  namespace: string;
  name: string;
  /** The gateway's K8s Service FQDN (`service` in the new format). */
  serviceURL: string;
  /** New format only: the KIngresses (by their labels) this gateway serves instead of the default one. */
  labelSelector?: LabelSelector;
}

export interface IstioConfig {
  ingressGateways: IstioGateway[];
  localGateways: IstioGateway[];
}

const SYSTEM_NAMESPACE = 'knative-serving';

/** defaultIngressGateways: knative-ingress-gateway served by network.GetServiceHostname("istio-ingressgateway", "istio-system"). */
export function defaultIngressGateways(clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): IstioGateway[] {
  return [{ namespace: SYSTEM_NAMESPACE, name: 'knative-ingress-gateway', serviceURL: serviceHostname('istio-ingressgateway', 'istio-system', clusterDomain) }];
}

export function defaultLocalGateways(clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): IstioGateway[] {
  return [{ namespace: SYSTEM_NAMESPACE, name: 'knative-local-gateway', serviceURL: serviceHostname('knative-local-gateway', 'istio-system', clusterDomain) }];
}

/** defaultGateways (Istio.DefaultExternalGateways, DefaultLocalGateways): those without a label selector. */
export const defaultGateways = (gws: readonly IstioGateway[]): IstioGateway[] => gws.filter((g) => g.labelSelector === undefined);

/** Gateway.QualifiedName: `ns/name`, how VirtualServices reference it. */
export const gatewayQualifiedName = (g: IstioGateway) => `${g.namespace}/${g.name}`;

/** NewIstioFromConfigMap; the default gateways' Services are in the cluster's domain. */
export function parseIstio(data: ConfigData, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): IstioConfig {
  const cm = ISTIO_CONFIG_NAME;
  const keys = Object.keys(data ?? {}).sort();
  const oldFormat = keys.some((k) => k.startsWith('gateway.') || k.startsWith('local-gateway.'));
  const newFormat = keys.includes('external-gateways') || keys.includes('local-gateways');
  let cfg: IstioConfig;
  if (oldFormat && newFormat) {
    throw new ConfigMapError(
      cm,
      `invalid configmap: "local-gateways" or "external-gateways" can not be defined simultaneously with "gateway." or "local-gateway."`,
    );
  } else if (newFormat) {
    cfg = {
      ingressGateways: parseNewFormat(data!['external-gateways'], 'external-gateways') ?? defaultIngressGateways(clusterDomain),
      localGateways: parseNewFormat(data!['local-gateways'], 'local-gateways') ?? defaultLocalGateways(clusterDomain),
    };
    if (cfg.ingressGateways.length > 0 && defaultGateways(cfg.ingressGateways).length !== 1) {
      throw new ConfigMapError(cm, 'failed to parse configmap: exactly one external gateway with no selector can be defined');
    }
    if (cfg.localGateways.length > 0 && defaultGateways(cfg.localGateways).length !== 1) {
      throw new ConfigMapError(cm, 'failed to parse configmap: exactly one local gateway with no selector can be defined');
    }
  } else {
    cfg = { ingressGateways: parseOldFormat(data, 'gateway.'), localGateways: parseOldFormat(data, 'local-gateway.') };
  }
  if (cfg.ingressGateways.length === 0) cfg.ingressGateways = defaultIngressGateways(clusterDomain);
  if (cfg.localGateways.length === 0) cfg.localGateways = defaultLocalGateways(clusterDomain);
  for (const [list, what] of [[cfg.ingressGateways, 'gateway'], [cfg.localGateways, 'local gateway']] as const) {
    for (const g of list) {
      const err = validateGateway(g);
      if (err) throw new ConfigMapError(cm, `invalid configuration: invalid ${what} ${gatewayQualifiedName(g)}: ${err}`);
    }
  }
  return cfg;
}

function parseOldFormat(data: ConfigData, prefix: string): IstioGateway[] {
  const out: IstioGateway[] = [];
  for (const k of Object.keys(data ?? {}).sort()) {
    if (!k.startsWith(prefix) || k === prefix) continue;
    const gatewayName = k.slice(prefix.length);
    const dot = gatewayName.indexOf('.');
    // `gateway.<name>` without a namespace means the system namespace.
    const [namespace, name] = dot < 0 ? [SYSTEM_NAMESPACE, gatewayName] : [gatewayName.slice(0, dot), gatewayName.slice(dot + 1)];
    out.push({ namespace, name, serviceURL: data![k]! });
  }
  return out;
}

function parseNewFormat(raw: string | undefined, key: string): IstioGateway[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(raw);
  } catch (e) {
    throw new ConfigMapError(ISTIO_CONFIG_NAME, `failed to parse configmap: failed to parse "${key}" gateways: failed to unmarshal: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new ConfigMapError(ISTIO_CONFIG_NAME, `failed to parse configmap: failed to parse "${key}" gateways: failed to unmarshal: expected a list`);
  }
  return parsed.map((g: Record<string, unknown>) => ({
    namespace: String(g['namespace'] ?? ''),
    name: String(g['name'] ?? ''),
    serviceURL: String(g['service'] ?? ''),
    ...(g['labelSelector'] !== undefined && g['labelSelector'] !== null ? { labelSelector: g['labelSelector'] as LabelSelector } : {}),
  }));
}

function validateGateway(g: IstioGateway): string | undefined {
  if (g.namespace === '') return 'missing namespace';
  if (g.name === '') return 'missing name';
  if (g.serviceURL === '') return 'missing service';
  const svc = g.serviceURL.replace(/\.$/, '');
  if (isDNS1123Subdomain(svc).length > 0) return 'invalid gateway service format';
  if (g.labelSelector !== undefined) {
    try {
      labelSelectorAsSelector(g.labelSelector);
    } catch (e) {
      return `failed to create selector from label selector: ${(e as Error).message}`;
    }
  }
  return undefined;
}
