import { ConfigMapError, asBool, asInt, asString, hasKey, type ConfigData } from './parse.js';
import { executeGoTemplate, parseGoTemplate, type GoTemplate } from './template.js';

/** config-network (knative.dev/networking pkg/config/config.go NewConfigFromMap). */
export const NETWORK_CONFIG_NAME = 'config-network';

export const DEFAULT_DOMAIN_TEMPLATE = '{{.Name}}.{{.Namespace}}.{{.Domain}}';
export const DEFAULT_TAG_TEMPLATE = '{{.Tag}}-{{.Name}}';
export const ISTIO_INGRESS_CLASS = 'istio.ingress.networking.knative.dev';
export const CERT_MANAGER_CERTIFICATE_CLASS = 'cert-manager.certificate.networking.knative.dev';

export type HTTPProtocol = 'enabled' | 'disabled' | 'redirected';
export type EncryptionConfig = 'enabled' | 'disabled';
export type MeshCompatibilityMode = 'enabled' | 'disabled' | 'auto';

export interface NetworkConfig {
  defaultIngressClass: string;
  defaultCertificateClass: string;
  domainTemplate: string;
  tagTemplate: string;
  autoTLS: boolean;
  externalDomainTLS: boolean;
  httpProtocol: HTTPProtocol;
  /** Raw YAML of namespace-wildcard-cert-selector, unused by the simulation. */
  namespaceWildcardCertSelector?: string;
  rolloutDurationSecs: number;
  autocreateClusterDomainClaims: boolean;
  enableMeshPodAddressability: boolean;
  meshCompatibilityMode: MeshCompatibilityMode;
  defaultExternalScheme: string;
  internalEncryption: boolean;
  systemInternalTLS: EncryptionConfig;
  clusterLocalDomainTLS: EncryptionConfig;
  /** The parsed templates, ready for rendering. */
  domainTemplateParsed: GoTemplate;
  tagTemplateParsed: GoTemplate;
}

export function defaultNetworkConfig(): NetworkConfig {
  return {
    defaultIngressClass: ISTIO_INGRESS_CLASS,
    defaultCertificateClass: CERT_MANAGER_CERTIFICATE_CLASS,
    domainTemplate: DEFAULT_DOMAIN_TEMPLATE,
    tagTemplate: DEFAULT_TAG_TEMPLATE,
    autoTLS: false,
    externalDomainTLS: false,
    httpProtocol: 'enabled',
    rolloutDurationSecs: 0,
    autocreateClusterDomainClaims: false,
    enableMeshPodAddressability: false,
    meshCompatibilityMode: 'auto',
    defaultExternalScheme: 'http',
    internalEncryption: false,
    systemInternalTLS: 'disabled',
    clusterLocalDomainTLS: 'disabled',
    domainTemplateParsed: parseGoTemplate('domain-template', DEFAULT_DOMAIN_TEMPLATE),
    tagTemplateParsed: parseGoTemplate('tag-template', DEFAULT_TAG_TEMPLATE),
  };
}

export function parseNetwork(data: ConfigData): NetworkConfig {
  const cm = NETWORK_CONFIG_NAME;
  const nc = defaultNetworkConfig();
  const fail = (msg: string) => new ConfigMapError(cm, msg);
  // The camelCase keys are the deprecated spellings; the kebab-case ones, parsed after, win.
  asString(cm, data, 'ingress.class', (v) => (nc.defaultIngressClass = v));
  asString(cm, data, 'certificate.class', (v) => (nc.defaultCertificateClass = v));
  asString(cm, data, 'domainTemplate', (v) => (nc.domainTemplate = v));
  asString(cm, data, 'tagTemplate', (v) => (nc.tagTemplate = v));
  asInt(cm, data, 'rolloutDuration', (v) => (nc.rolloutDurationSecs = v));
  asBool(cm, data, 'autocreateClusterDomainClaims', (v) => (nc.autocreateClusterDomainClaims = v));
  asString(cm, data, 'defaultExternalScheme', (v) => (nc.defaultExternalScheme = v));
  asString(cm, data, 'ingress-class', (v) => (nc.defaultIngressClass = v));
  asString(cm, data, 'certificate-class', (v) => (nc.defaultCertificateClass = v));
  asString(cm, data, 'domain-template', (v) => (nc.domainTemplate = v));
  asString(cm, data, 'tag-template', (v) => (nc.tagTemplate = v));
  asInt(cm, data, 'rollout-duration', (v) => (nc.rolloutDurationSecs = v));
  asBool(cm, data, 'autocreate-cluster-domain-claims', (v) => (nc.autocreateClusterDomainClaims = v));
  asBool(cm, data, 'enable-mesh-pod-addressability', (v) => (nc.enableMeshPodAddressability = v));
  asString(cm, data, 'default-external-scheme', (v) => (nc.defaultExternalScheme = v));
  asBool(cm, data, 'internal-encryption', (v) => (nc.internalEncryption = v));
  if (hasKey(data, 'mesh-compatibility-mode')) {
    const raw = data['mesh-compatibility-mode']!.toLowerCase();
    if (raw === 'enabled' || raw === 'disabled' || raw === 'auto') nc.meshCompatibilityMode = raw;
  }
  if (hasKey(data, 'namespace-wildcard-cert-selector') && data['namespace-wildcard-cert-selector'] !== '') {
    nc.namespaceWildcardCertSelector = data['namespace-wildcard-cert-selector'];
  }
  if (nc.rolloutDurationSecs < 0) throw fail(`rollout-duration must be a positive integer, but was ${nc.rolloutDurationSecs}`);

  try {
    nc.domainTemplateParsed = parseGoTemplate('domain-template', nc.domainTemplate);
    checkDomainTemplate(nc.domainTemplateParsed);
    nc.tagTemplateParsed = parseGoTemplate('tag-template', nc.tagTemplate);
    executeGoTemplate(nc.tagTemplateParsed, { Name: 'foo', Tag: 'v2' });
  } catch (e) {
    throw fail((e as Error).message);
  }

  // auto-tls is the older name of external-domain-tls; either is "Enabled" case-insensitively.
  // Knative reads any other value as Disabled; knsim refuses one that is neither (a misspelt
  // "Enabled" is not silently off: docs/cluster.md, deliberate differences).
  const enabled = (key: string): boolean => {
    const v = data![key]!.toLowerCase();
    if (v !== 'enabled' && v !== 'disabled') throw fail(`failed to parse ${JSON.stringify(key)}: want Enabled or Disabled, got ${JSON.stringify(data![key])} (Knative would read it as Disabled, silently)`);
    return v === 'enabled';
  };
  if (hasKey(data, 'autoTLS')) nc.autoTLS = enabled('autoTLS');
  if (hasKey(data, 'auto-tls')) nc.autoTLS = enabled('auto-tls');
  if (hasKey(data, 'external-domain-tls')) {
    nc.externalDomainTLS = enabled('external-domain-tls');
    nc.autoTLS = nc.externalDomainTLS;
  } else {
    nc.externalDomainTLS = nc.autoTLS;
  }

  let httpProtocol = '';
  if (hasKey(data, 'httpProtocol')) httpProtocol = data['httpProtocol']!;
  if (hasKey(data, 'http-protocol')) httpProtocol = data['http-protocol']!;
  switch (httpProtocol.toLowerCase()) {
    case '':
    case 'enabled':
      break;
    case 'disabled':
      nc.httpProtocol = 'disabled';
      break;
    case 'redirected':
      nc.httpProtocol = 'redirected';
      break;
    default:
      // Go prints data[HTTPProtocolKey], which is empty when only the camelCase key was set.
      throw fail(`httpProtocol ${data?.['http-protocol'] ?? ''} in config-network ConfigMap is not supported`);
  }

  const systemInternalTLS = (data?.['system-internal-tls'] ?? '').toLowerCase();
  if (systemInternalTLS === '' || systemInternalTLS === 'disabled') {
    if (nc.internalEncryption) nc.systemInternalTLS = 'enabled';
  } else if (systemInternalTLS === 'enabled') {
    nc.systemInternalTLS = 'enabled';
    nc.internalEncryption = true;
  } else {
    throw fail(`system-internal-tls with value: ${JSON.stringify(data!['system-internal-tls'])} in config-network ConfigMap is not supported`);
  }
  const clusterLocalTLS = (data?.['cluster-local-domain-tls'] ?? '').toLowerCase();
  if (clusterLocalTLS === 'enabled') nc.clusterLocalDomainTLS = 'enabled';
  else if (clusterLocalTLS !== '' && clusterLocalTLS !== 'disabled') {
    throw fail(`cluster-local-domain-tls with value: ${JSON.stringify(data!['cluster-local-domain-tls'])} in config-network ConfigMap is not supported`);
  }
  return nc;
}

/** checkDomainTemplate: render with sample values; the result must be a bare host, no path. */
function checkDomainTemplate(t: GoTemplate): void {
  const s = executeGoTemplate(t, { Name: 'foo', Namespace: 'bar', Domain: 'baz.com', Annotations: undefined, Labels: undefined });
  const cut = s.search(/[/?#]/);
  const authority = cut < 0 ? s : s.slice(0, cut);
  const host = authority.replace(/^.*@/, '').replace(/:[0-9]*$/, '');
  if (host === '') throw new Error('empty hostname');
  const path = cut < 0 ? '' : s.slice(cut);
  if (path !== '' && path !== '/') throw new Error(`domain template has url path: ${path.startsWith('/') ? path : `/${path}`}`);
}

export const systemInternalTLSEnabled = (nc: NetworkConfig) => nc.systemInternalTLS === 'enabled';
