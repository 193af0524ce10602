import type { ConfigMap } from '../apis/core/v1.js';
import { UserInputError } from '../apis/errors.js';
import { CONFIGMAP, SYSTEM_NAMESPACE } from '../apis/kinds.js';
import { parseServingConfig, INSTALLED_CONFIG_DATA, type ConfigMapsData, type ServingConfig } from '../apis/config/serving-config.js';
import { ConfigMapError } from '../apis/config/parse.js';
import { parseAutoscalerConfig, type AutoscalerConfig } from '../autoscaler/config.js';
import type { ObjectStore } from '../k8s/object-store.js';
import { unknownConfigWarnings } from './unknown-config.js';

interface Parsed {
  serving: ServingConfig;
  autoscaler: AutoscalerConfig;
  warnings: readonly string[];
}

/**
 * Configurations already parsed at construction, by their ConfigMaps, cluster domain and the
 * overridden names (issue 11: property suites build hundreds of clusters with the same
 * configuration). Deep-frozen, so a cluster cannot change another's; bounded.
 */
const PARSED = new Map<string, Parsed>();
const PARSED_LIMIT = 32;

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/**
 * `CONFIGMAP.KEY: ` for the override a parse error names (`failed to parse "stable-window"`),
 * so the user sees which of their settings was refused; empty when the message names none.
 */
function overrideNamed(overrides: Record<string, Record<string, string>>, message: string): string {
  for (const name of Object.keys(overrides).sort()) {
    for (const key of Object.keys(overrides[name]!).sort()) if (message.includes(JSON.stringify(key)) || message.startsWith(`${key} `)) return `${name}.${key}: `;
  }
  return '';
}

/**
 * The controllers' view of knative-serving's ConfigMaps (Knative's `config.Store`, one per
 * controller there; one here): installed as a fresh Knative install has them plus the cluster's overrides,
 * parsed once per change, and a listener told when any of them changes (controllers then
 * re-reconcile what the configuration shapes).
 */
export class ConfigStore {
  serving: ServingConfig;
  autoscaler: AutoscalerConfig;
  /** What the overrides set that nothing reads (unknown ConfigMaps and keys). */
  readonly warnings: readonly string[];
  private readonly listeners: Array<() => void> = [];

  /**
   * Parses and installs the ConfigMaps; a bad override is a UserInputError naming it.
   * `clusterDomain` is the cluster's DNS domain, which Knative's controllers read from their
   * pods' resolv.conf (network.GetClusterDomainName), not from a ConfigMap.
   */
  constructor(
    private readonly store: ObjectStore,
    overrides: Record<string, Record<string, string>>,
    domain: string | undefined,
    private readonly clusterDomain: string,
  ) {
    for (const name of Object.keys(overrides)) {
      if (!name.startsWith('config-')) throw new UserInputError(`config: unknown ConfigMap ${JSON.stringify(name)} (knative-serving ConfigMaps are named config-*)`);
    }
    const maps: Record<string, Record<string, string>> = {};
    for (const [name, data] of Object.entries(INSTALLED_CONFIG_DATA)) maps[name] = { ...data };
    if (domain !== undefined) maps['config-domain'] = { [domain]: '' };
    for (const [name, data] of Object.entries(overrides)) maps[name] = { ...(maps[name] ?? {}), ...data };
    maps['config-autoscaler'] ??= {};
    const memo = JSON.stringify([maps, clusterDomain, Object.keys(overrides)]);
    let parsed = PARSED.get(memo);
    if (parsed === undefined) {
      try {
        parsed = deepFreeze({ serving: this.parse(maps), autoscaler: parseAutoscalerConfig(maps['config-autoscaler']!), warnings: unknownConfigWarnings(maps, Object.keys(overrides)) });
      } catch (e) {
        if (e instanceof ConfigMapError || e instanceof Error) throw new UserInputError(`config: ${overrideNamed(overrides, e.message)}${e.message}`);
        throw e;
      }
      if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
      PARSED.set(memo, parsed);
    }
    this.serving = parsed.serving;
    this.autoscaler = parsed.autoscaler;
    this.warnings = parsed.warnings;
    for (const name of Object.keys(maps).sort()) {
      store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: SYSTEM_NAMESPACE }, data: maps[name] } as ConfigMap);
    }
  }

  /** Starts watching the ConfigMaps (after the system objects are installed). */
  watch(): void {
    this.store.watch(CONFIGMAP, (ev, obj) => {
      if (obj.metadata.namespace === SYSTEM_NAMESPACE && ev !== 'deleted') this.reload();
    });
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** knative-serving's ConfigMaps' data by name, as stored now. */
  configMaps(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const cm of this.store.view(CONFIGMAP, SYSTEM_NAMESPACE)) out[cm.metadata.name] = { ...(cm.data ?? {}) };
    return out;
  }

  /** Throws when the ConfigMaps, with `name`'s data replaced, would not parse (the webhook's check). */
  check(name: string, data: Readonly<Record<string, string>>): void {
    const maps = { ...this.configMaps(), [name]: data };
    this.parse(maps);
    parseAutoscalerConfig(maps['config-autoscaler'] ?? {});
  }

  private parse(maps: ConfigMapsData): ServingConfig {
    return parseServingConfig(maps, { clusterDomain: this.clusterDomain });
  }

  private reload(): void {
    const maps = this.configMaps();
    this.serving = this.parse(maps);
    this.autoscaler = parseAutoscalerConfig(maps['config-autoscaler'] ?? {});
    for (const fn of this.listeners) fn();
  }
}
