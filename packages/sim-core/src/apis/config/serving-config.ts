import { DEFAULTS_CONFIG_NAME, parseDefaults, type Defaults } from './defaults.js';
import { DEPLOYMENT_CONFIG_NAME, DEFAULT_QUEUE_SIDECAR_IMAGE, parseDeployment, type DeploymentConfig } from './deployment.js';
import { DOMAIN_CONFIG_NAME, parseDomain, type DomainConfig, type DomainParseOptions } from './domain.js';
import { FEATURES_CONFIG_NAME, parseFeatures, type Features } from './features.js';
import { ISTIO_CONFIG_NAME, parseIstio, type IstioConfig } from './istio.js';
import { NETWORK_CONFIG_NAME, parseNetwork, type NetworkConfig } from './network.js';
import type { ConfigData } from './parse.js';

/**
 * Everything the Serving webhook and the route/configuration reconcilers read from
 * knative-serving's ConfigMaps (Knative's config.Config plus route config.Config).
 */
export interface ServingConfig {
  defaults: Defaults;
  network: NetworkConfig;
  domain: DomainConfig;
  features: Features;
  deployment: DeploymentConfig;
  istio: IstioConfig;
}

/** ConfigMap name → data, as the simulated cluster holds them in knative-serving. */
export type ConfigMapsData = Readonly<Record<string, ConfigData>>;

/**
 * Parses each ConfigMap; a missing one means all its defaults (config-deployment: as installed).
 * `opts.clusterDomain` is what Knative's controllers learn from network.GetClusterDomainName (the
 * cluster's DNS domain), not a ConfigMap key. Throws ConfigMapError.
 */
export function parseServingConfig(maps: ConfigMapsData, opts: DomainParseOptions = {}): ServingConfig {
  return {
    defaults: parseDefaults(maps[DEFAULTS_CONFIG_NAME]),
    network: parseNetwork(maps[NETWORK_CONFIG_NAME]),
    domain: parseDomain(maps[DOMAIN_CONFIG_NAME], opts),
    features: parseFeatures(maps[FEATURES_CONFIG_NAME]),
    deployment: parseDeployment(maps[DEPLOYMENT_CONFIG_NAME] ?? INSTALLED_CONFIG_DATA[DEPLOYMENT_CONFIG_NAME]),
    istio: parseIstio(maps[ISTIO_CONFIG_NAME], opts.clusterDomain),
  };
}

/** The configuration of a fresh knsim install (INSTALLED_CONFIG_DATA parsed). */
export function defaultServingConfig(): ServingConfig {
  return parseServingConfig(INSTALLED_CONFIG_DATA);
}

/**
 * The data of knative-serving's ConfigMaps on a fresh install. Knative installs them with only
 * an `_example` block (documentation, never parsed) — knative/serving config/core/configmaps/*.yaml,
 * knative/networking config/config-network.yaml, net-istio config/400-config-istio.yaml — except
 * config-deployment, which carries the queue-proxy image. Every other key is at its code default
 * because it is absent, so a deprecated key (`domainTemplate`) takes effect on its own, as on a
 * cluster: the parsers read the legacy key first and let the new one win only when present.
 * config-domain is empty too: parseDomain then falls back to knsim's default domain, and
 * `--set config-domain.foo.dev=` makes foo.dev the only domain.
 */
export const INSTALLED_CONFIG_DATA: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [DEFAULTS_CONFIG_NAME]: {},
  [NETWORK_CONFIG_NAME]: {},
  [DOMAIN_CONFIG_NAME]: {},
  [FEATURES_CONFIG_NAME]: {},
  [DEPLOYMENT_CONFIG_NAME]: { 'queue-sidecar-image': DEFAULT_QUEUE_SIDECAR_IMAGE },
  [ISTIO_CONFIG_NAME]: {},
};
