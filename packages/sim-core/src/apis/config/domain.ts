import { parse as parseYaml } from 'yaml';
import { ConfigMapError, type ConfigData } from './parse.js';
import { DEFAULT_CLUSTER_DOMAIN } from '../networking/hosts.js';

/**
 * config-domain (knative/serving pkg/reconciler/route/config/domain.go NewDomainFromConfigMap):
 * each key is a domain, each value YAML `selector: {label: value}`; an empty value (or empty
 * selector) makes the domain a default for every route.
 */
export const DOMAIN_CONFIG_NAME = 'config-domain';

/** Knative since v1.8 falls back to `svc.<cluster domain>` when no domain has an empty selector. */
export const KNATIVE_DEFAULT_DOMAIN = `svc.${DEFAULT_CLUSTER_DOMAIN}`;

/**
 * knsim's one deliberate difference from Knative: a cluster with no default entry in
 * config-domain serves routes under `example.com` (Knative's own default before v1.8, and what
 * the knative/docs samples and the seed documents configure), so external URLs in scenarios read
 * like the docs. Callers choose: pass KNATIVE_DEFAULT_DOMAIN to get Knative's behaviour.
 */
export const KNSIM_DEFAULT_DOMAIN = 'example.com';

export interface DomainConfigEntry {
  /** Empty for a default (wildcard) domain. */
  selector: Readonly<Record<string, string>>;
  type: string;
}

export interface DomainConfig {
  /** Domain → entry; iterate with sorted keys. */
  domains: Readonly<Record<string, DomainConfigEntry>>;
  clusterDomain: string;
}

export interface DomainParseOptions {
  /** The domain used when no entry has an empty selector. Default: KNSIM_DEFAULT_DOMAIN. */
  defaultDomain?: string;
  /** network.GetClusterDomainName: the cluster's DNS domain (default cluster.local). */
  clusterDomain?: string;
}

export function parseDomain(data: ConfigData, opts: DomainParseOptions = {}): DomainConfig {
  const clusterDomain = opts.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const domains: Record<string, DomainConfigEntry> = {};
  let hasDefault = false;
  for (const key of Object.keys(data ?? {}).sort()) {
    if (key === '_example') continue;
    let parsed: unknown;
    try {
      parsed = parseYaml(data![key]!);
    } catch (e) {
      throw new ConfigMapError(DOMAIN_CONFIG_NAME, `error unmarshaling ${JSON.stringify(key)}: ${(e as Error).message}`);
    }
    const obj = (parsed ?? {}) as { selector?: Record<string, unknown>; type?: unknown };
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      throw new ConfigMapError(DOMAIN_CONFIG_NAME, `error unmarshaling ${JSON.stringify(key)}: expected an object with "selector"`);
    }
    const selector: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.selector ?? {})) selector[k] = String(v);
    let type = typeof obj.type === 'string' ? obj.type : '';
    if (Object.keys(selector).length === 0) {
      hasDefault = true;
      type = 'wildcard';
    }
    domains[key] = { selector, type };
  }
  if (!hasDefault) domains[opts.defaultDomain ?? KNSIM_DEFAULT_DOMAIN] = { selector: {}, type: 'wildcard' };
  return { domains, clusterDomain };
}

const VISIBILITY_LABEL = 'networking.knative.dev/visibility';

/**
 * LookupDomainForLabels: cluster-local routes get `svc.<cluster domain>`; otherwise the matching
 * entry with the most selector keys wins, ties going to the lexicographically smallest domain.
 */
export function lookupDomainForLabels(cfg: DomainConfig, labels: Readonly<Record<string, string>> | undefined): string {
  const l = labels ?? {};
  if (l[VISIBILITY_LABEL] === 'cluster-local') return `svc.${cfg.clusterDomain}`;
  let domain = '';
  let specificity = -1;
  for (const k of Object.keys(cfg.domains).sort()) {
    const sel = cfg.domains[k]!.selector;
    const keys = Object.keys(sel);
    if (!keys.every((key) => Object.prototype.hasOwnProperty.call(l, key) && l[key] === sel[key])) continue;
    if (keys.length > specificity) {
      domain = k;
      specificity = keys.length;
    }
  }
  return domain;
}
