import { hasKey, type ConfigData } from './parse.js';

/** config-features (knative/serving pkg/apis/config/features.go NewFeaturesConfigFromMap). */
export const FEATURES_CONFIG_NAME = 'config-features';

export type Flag = 'Enabled' | 'Disabled' | 'Allowed' | 'AllowRootBounded';

/** Keys and defaults exactly as features.go; unknown values leave the default (asFlag ignores them). */
const FEATURE_KEYS = {
  multiContainer: ['multi-container', 'Enabled'],
  multiContainerProbing: ['multi-container-probing', 'Disabled'],
  podSpecAffinity: ['kubernetes.podspec-affinity', 'Disabled'],
  podSpecTopologySpreadConstraints: ['kubernetes.podspec-topologyspreadconstraints', 'Disabled'],
  podSpecHostAliases: ['kubernetes.podspec-hostaliases', 'Disabled'],
  podSpecFieldRef: ['kubernetes.podspec-fieldref', 'Disabled'],
  podSpecNodeSelector: ['kubernetes.podspec-nodeselector', 'Disabled'],
  podSpecRuntimeClassName: ['kubernetes.podspec-runtimeclassname', 'Disabled'],
  podSpecSecurityContext: ['kubernetes.podspec-securitycontext', 'Disabled'],
  podSpecShareProcessNamespace: ['kubernetes.podspec-shareprocessnamespace', 'Disabled'],
  podSpecHostIPC: ['kubernetes.podspec-hostipc', 'Disabled'],
  podSpecHostPID: ['kubernetes.podspec-hostpid', 'Disabled'],
  podSpecHostNetwork: ['kubernetes.podspec-hostnetwork', 'Disabled'],
  podSpecPriorityClassName: ['kubernetes.podspec-priorityclassname', 'Disabled'],
  podSpecSchedulerName: ['kubernetes.podspec-schedulername', 'Disabled'],
  containerSpecAddCapabilities: ['kubernetes.containerspec-addcapabilities', 'Disabled'],
  podSpecTolerations: ['kubernetes.podspec-tolerations', 'Disabled'],
  podSpecVolumesEmptyDir: ['kubernetes.podspec-volumes-emptydir', 'Enabled'],
  podSpecVolumesHostPath: ['kubernetes.podspec-volumes-hostpath', 'Disabled'],
  podSpecVolumesMountPropagation: ['kubernetes.podspec-volumes-mount-propagation', 'Disabled'],
  podSpecVolumesCSI: ['kubernetes.podspec-volumes-csi', 'Disabled'],
  podSpecVolumesEphemeral: ['kubernetes.podspec-volumes-ephemeral', 'Disabled'],
  podSpecVolumesImage: ['kubernetes.podspec-volumes-image', 'Disabled'],
  podSpecInitContainers: ['kubernetes.podspec-init-containers', 'Disabled'],
  podSpecPersistentVolumeClaim: ['kubernetes.podspec-persistent-volume-claim', 'Disabled'],
  podSpecPersistentVolumeWrite: ['kubernetes.podspec-persistent-volume-write', 'Disabled'],
  queueProxyMountPodInfo: ['queueproxy.mount-podinfo', 'Disabled'],
  queueProxyResourceDefaults: ['queueproxy.resource-defaults', 'Disabled'],
  podSpecDNSPolicy: ['kubernetes.podspec-dnspolicy', 'Disabled'],
  podSpecDNSConfig: ['kubernetes.podspec-dnsconfig', 'Disabled'],
  securePodDefaults: ['secure-pod-defaults', 'Disabled'],
  tagHeaderBasedRouting: ['tag-header-based-routing', 'Disabled'],
  autoDetectHTTP2: ['autodetect-http2', 'Disabled'],
} as const satisfies Record<string, readonly [string, Flag]>;

export type Features = { -readonly [K in keyof typeof FEATURE_KEYS]: Flag };

export function defaultFeatures(): Features {
  const f = {} as Features;
  for (const [field, [, def]] of Object.entries(FEATURE_KEYS)) f[field as keyof Features] = def;
  return f;
}

export function parseFeatures(data: ConfigData): Features {
  const f = defaultFeatures();
  for (const [field, [key]] of Object.entries(FEATURE_KEYS)) {
    if (!hasKey(data, key)) continue;
    const raw = data[key]!.toLowerCase();
    // secure-pod-defaults knows AllowRootBounded but not Allowed; every other flag the reverse.
    const allowed: Flag[] = key === 'secure-pod-defaults' ? ['Disabled', 'AllowRootBounded', 'Enabled'] : ['Enabled', 'Allowed', 'Disabled'];
    const flag = allowed.find((a) => a.toLowerCase() === raw);
    // features.go's asFlag ignores any other value (the default stays); knsim refuses it, so a
    // misspelt flag is not silently off (docs/cluster.md, deliberate differences).
    if (flag === undefined) throw new Error(`failed to parse ${JSON.stringify(key)}: want one of ${allowed.join(', ')}, got ${JSON.stringify(data[key])} (Knative would keep the default, ${JSON.stringify(f[field as keyof Features])}, silently)`);
    f[field as keyof Features] = flag;
  }
  return f;
}
