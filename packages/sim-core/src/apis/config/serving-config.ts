import { DEFAULTS_CONFIG_NAME, parseDefaults, type Defaults } from './defaults.js';
import { DEPLOYMENT_CONFIG_NAME, DEFAULT_QUEUE_SIDECAR_IMAGE, parseDeployment, type DeploymentConfig } from './deployment.js';
import { DOMAIN_CONFIG_NAME, parseDomain, type DomainConfig, type DomainParseOptions } from './domain.js';
import { FEATURES_CONFIG_NAME, featuresDefaultData, parseFeatures, type Features } from './features.js';
import { ISTIO_CONFIG_NAME, parseIstio, type IstioConfig } from './istio.js';
import { ISTIO_INGRESS_CLASS, NETWORK_CONFIG_NAME, parseNetwork, type NetworkConfig } from './network.js';
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

/** Parses each ConfigMap; a missing one means all its defaults. Throws ConfigMapError. */
export function parseServingConfig(maps: ConfigMapsData, domainOpts: DomainParseOptions = {}): ServingConfig {
  return {
    defaults: parseDefaults(maps[DEFAULTS_CONFIG_NAME]),
    network: parseNetwork(maps[NETWORK_CONFIG_NAME]),
    domain: parseDomain(maps[DOMAIN_CONFIG_NAME], domainOpts),
    features: parseFeatures(maps[FEATURES_CONFIG_NAME]),
    deployment: parseDeployment(maps[DEPLOYMENT_CONFIG_NAME] ?? KNATIVE_DEFAULTS[DEPLOYMENT_CONFIG_NAME]),
    istio: parseIstio(maps[ISTIO_CONFIG_NAME]),
  };
}

/** The configuration of a fresh knsim install (KNATIVE_DEFAULTS parsed). */
export function defaultServingConfig(): ServingConfig {
  return parseServingConfig(KNATIVE_DEFAULTS);
}

/**
 * The data of knative-serving's ConfigMaps on a fresh install, key for key as the `_example`
 * blocks of config/core/configmaps/*.yaml (serving), config-network.yaml (networking) and
 * 400-config-istio.yaml (net-istio) document them, with each key at its code default. Example
 * values that are not defaults in code (revision-cpu-request and friends) are left out, so
 * parsing this data yields exactly the code defaults. config-domain carries knsim's chosen
 * default domain (see KNSIM_DEFAULT_DOMAIN).
 */
export const KNATIVE_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [DEFAULTS_CONFIG_NAME]: {
    'revision-timeout-seconds': '300',
    'max-revision-timeout-seconds': '600',
    'revision-response-start-timeout-seconds': '300',
    'revision-idle-timeout-seconds': '0',
    'container-name-template': 'user-container',
    'init-container-name-template': 'init-container',
    'container-concurrency': '0',
    'container-concurrency-max-limit': '1000',
    'allow-container-concurrency-zero': 'true',
    'enable-service-links': 'false',
  },
  [NETWORK_CONFIG_NAME]: {
    'ingress-class': ISTIO_INGRESS_CLASS,
    'certificate-class': 'cert-manager.certificate.networking.knative.dev',
    'namespace-wildcard-cert-selector': '',
    'domain-template': '{{.Name}}.{{.Namespace}}.{{.Domain}}',
    'tag-template': '{{.Tag}}-{{.Name}}',
    'auto-tls': 'Disabled',
    'external-domain-tls': 'Disabled',
    'cluster-local-domain-tls': 'Disabled',
    'internal-encryption': 'false',
    'system-internal-tls': 'Disabled',
    'http-protocol': 'Enabled',
    'rollout-duration': '0',
    'autocreate-cluster-domain-claims': 'false',
    'enable-mesh-pod-addressability': 'false',
    'mesh-compatibility-mode': 'auto',
    'default-external-scheme': 'http',
  },
  // Empty like Knative's own (only `_example`): parseDomain then falls back to knsim's default
  // domain, and `--set config-domain.foo.dev=` makes foo.dev the only domain, as on a cluster.
  [DOMAIN_CONFIG_NAME]: {},
  [FEATURES_CONFIG_NAME]: featuresDefaultData(),
  [DEPLOYMENT_CONFIG_NAME]: {
    'queue-sidecar-image': DEFAULT_QUEUE_SIDECAR_IMAGE,
    'registries-skipping-tag-resolving': 'kind.local,ko.local,dev.local',
    'digest-resolution-timeout': '10s',
    'progress-deadline': '600s',
    'queue-sidecar-cpu-request': '25m',
    'pod-is-always-schedulable': 'false',
  },
  [ISTIO_CONFIG_NAME]: {
    'gateway.knative-serving.knative-ingress-gateway': 'istio-ingressgateway.istio-system.svc.cluster.local',
    'local-gateway.knative-serving.knative-local-gateway': 'knative-local-gateway.istio-system.svc.cluster.local',
  },
};

