import type { Schema } from './structural.js';

/**
 * The types of every field knsim reads, for every kind it accepts, written once: Kubernetes'
 * core/v1 types (k8s.io/api core/v1 types.go; names as in the OpenAPI document), Knative's
 * serving types (knative/serving pkg/apis/serving/v1, config/core/300-resources/*.yaml),
 * net-istio's Istio types (istio/api networking/v1beta1) and KIngress' ClusterDomainClaim.
 * Fields knsim does not read are typed `any` by omission: the webhooks name them.
 */

const obj = (name: string, properties: Record<string, Schema>): Schema => ({ type: 'object', name, properties });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const map = (values: Schema): Schema => ({ type: 'map', values });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const intOrStr: Schema = { type: 'int-or-string' };
const any: Schema = { type: 'any' };
const strs = arr(str);
const strMap = map(str);

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const objectMeta = obj(`${META}.ObjectMeta`, {
  name: str,
  generateName: str,
  namespace: str,
  labels: strMap,
  annotations: strMap,
  finalizers: strs,
  ownerReferences: arr(obj(`${META}.OwnerReference`, { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool })),
  generation: int,
  resourceVersion: str,
  uid: str,
});

const httpHeader = obj(`${CORE}.HTTPHeader`, { name: str, value: str });
const probe = obj(`${CORE}.Probe`, {
  httpGet: obj(`${CORE}.HTTPGetAction`, { path: str, port: intOrStr, host: str, scheme: str, httpHeaders: arr(httpHeader) }),
  tcpSocket: obj(`${CORE}.TCPSocketAction`, { port: intOrStr, host: str }),
  exec: obj(`${CORE}.ExecAction`, { command: strs }),
  grpc: obj(`${CORE}.GRPCAction`, { port: int, service: str }),
  initialDelaySeconds: int,
  timeoutSeconds: int,
  periodSeconds: int,
  successThreshold: int,
  failureThreshold: int,
  terminationGracePeriodSeconds: int,
});
const container = obj(`${CORE}.Container`, {
  name: str,
  image: str,
  imagePullPolicy: str,
  command: strs,
  args: strs,
  workingDir: str,
  env: arr(obj(`${CORE}.EnvVar`, { name: str, value: str, valueFrom: any })),
  envFrom: arr(any),
  ports: arr(obj(`${CORE}.ContainerPort`, { name: str, containerPort: int, hostPort: int, protocol: str, hostIP: str })),
  resources: obj(`${CORE}.ResourceRequirements`, { limits: map(intOrStr), requests: map(intOrStr) }),
  readinessProbe: probe,
  livenessProbe: probe,
  startupProbe: probe,
  volumeMounts: arr(obj(`${CORE}.VolumeMount`, { name: str, mountPath: str, readOnly: bool, subPath: str })),
  terminationMessagePath: str,
  terminationMessagePolicy: str,
  securityContext: any,
});

const SERVING = 'dev.knative.serving.v1';
const revisionSpec = obj(`${SERVING}.RevisionSpec`, {
  containers: arr(container),
  initContainers: arr(container),
  volumes: arr(any),
  serviceAccountName: str,
  imagePullSecrets: arr(obj(`${CORE}.LocalObjectReference`, { name: str })),
  enableServiceLinks: bool,
  nodeSelector: strMap,
  automountServiceAccountToken: bool,
  runtimeClassName: str,
  priorityClassName: str,
  schedulerName: str,
  hostAliases: arr(any),
  containerConcurrency: int,
  timeoutSeconds: int,
  responseStartTimeoutSeconds: int,
  idleTimeoutSeconds: int,
});
const revisionTemplate = obj(`${SERVING}.RevisionTemplateSpec`, { metadata: objectMeta, spec: revisionSpec });
const trafficTarget = obj(`${SERVING}.TrafficTarget`, {
  tag: str,
  revisionName: str,
  configurationName: str,
  latestRevision: bool,
  percent: int,
  url: str,
});
const traffic = arr(trafficTarget);

const knativeKind = (kind: string, spec: Record<string, Schema>): Schema => obj(`${SERVING}.${kind}`, { apiVersion: str, kind: str, metadata: objectMeta, spec: obj(`${SERVING}.${kind}Spec`, spec) });

const stringMatch = obj('istio.networking.v1beta1.StringMatch', { exact: str, prefix: str, regex: str });
const headerOps = obj('istio.networking.v1beta1.Headers.HeaderOperations', { set: strMap, add: strMap, remove: strs });
const headers = obj('istio.networking.v1beta1.Headers', { request: headerOps, response: headerOps });
const portSelector = obj('istio.networking.v1beta1.PortSelector', { number: int });
const httpRoute = obj('istio.networking.v1beta1.HTTPRoute', {
  name: str,
  match: arr(
    obj('istio.networking.v1beta1.HTTPMatchRequest', {
      name: str,
      uri: stringMatch,
      scheme: stringMatch,
      method: stringMatch,
      authority: stringMatch,
      headers: map(stringMatch),
      withoutHeaders: map(stringMatch),
      queryParams: map(stringMatch),
      port: int,
      gateways: strs,
      ignoreUriCase: bool,
      sourceLabels: strMap,
      sourceNamespace: str,
    }),
  ),
  route: arr(
    obj('istio.networking.v1beta1.HTTPRouteDestination', {
      destination: obj('istio.networking.v1beta1.Destination', { host: str, subset: str, port: portSelector }),
      weight: int,
      headers,
    }),
  ),
  redirect: obj('istio.networking.v1beta1.HTTPRedirect', { uri: str, authority: str, port: int, scheme: str, redirectCode: int }),
  rewrite: obj('istio.networking.v1beta1.HTTPRewrite', { uri: str, authority: str }),
  timeout: str,
  retries: obj('istio.networking.v1beta1.HTTPRetry', { attempts: int, perTryTimeout: str, retryOn: str, retryRemoteLocalities: bool }),
  headers,
  fault: any,
  mirror: any,
  corsPolicy: any,
});

/** The root schema of each kind, by `group/Kind` (the core group is ''). */
export const KIND_SCHEMAS: Readonly<Record<string, Schema>> = {
  '/ConfigMap': obj(`${CORE}.ConfigMap`, { apiVersion: str, kind: str, metadata: objectMeta, data: strMap, binaryData: strMap, immutable: bool }),
  '/Service': obj(`${CORE}.Service`, {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj(`${CORE}.ServiceSpec`, {
      type: str,
      clusterIP: str,
      clusterIPs: strs,
      externalName: str,
      selector: strMap,
      sessionAffinity: str,
      ports: arr(obj(`${CORE}.ServicePort`, { name: str, protocol: str, appProtocol: str, port: int, targetPort: intOrStr, nodePort: int })),
    }),
  }),
  'serving.knative.dev/Service': knativeKind('Service', { template: revisionTemplate, traffic }),
  'serving.knative.dev/Configuration': knativeKind('Configuration', { template: revisionTemplate }),
  'serving.knative.dev/Route': knativeKind('Route', { traffic }),
  'serving.knative.dev/Revision': obj(`${SERVING}.Revision`, { apiVersion: str, kind: str, metadata: objectMeta, spec: revisionSpec }),
  'serving.knative.dev/DomainMapping': obj('dev.knative.serving.v1beta1.DomainMapping', {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj('dev.knative.serving.v1beta1.DomainMappingSpec', {
      ref: obj('dev.knative.duck.v1.KReference', { apiVersion: str, kind: str, name: str, namespace: str }),
      tls: obj('dev.knative.serving.v1beta1.SecretTLS', { secretName: str }),
    }),
  }),
  'networking.istio.io/VirtualService': obj('istio.networking.v1beta1.VirtualService', {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj('istio.networking.v1beta1.VirtualServiceSpec', { hosts: strs, gateways: strs, http: arr(httpRoute), tcp: arr(any), tls: arr(any), exportTo: strs }),
  }),
  // Higress's WasmPlugin (api/extensions/v1alpha1/wasm.proto): the plugin's own configuration is free-form.
  'extensions.higress.io/WasmPlugin': obj('higress.extensions.v1alpha1.WasmPlugin', {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj('higress.extensions.v1alpha1.WasmPluginSpec', {
      url: str,
      phase: str,
      priority: int,
      defaultConfig: any,
      defaultConfigDisable: bool,
      matchRules: arr(obj('higress.extensions.v1alpha1.MatchRule', { ingress: strs, domain: strs, service: strs, config: any, configDisable: bool })),
      imagePullPolicy: str,
      sha256: str,
    }),
  }),
  'networking.istio.io/Gateway': obj('istio.networking.v1beta1.Gateway', {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj('istio.networking.v1beta1.GatewaySpec', {
      selector: strMap,
      servers: arr(
        obj('istio.networking.v1beta1.Server', {
          port: obj('istio.networking.v1beta1.Port', { number: int, name: str, protocol: str, targetPort: int }),
          hosts: strs,
          bind: str,
          name: str,
          defaultEndpoint: str,
          tls: any,
        }),
      ),
    }),
  }),
  'networking.internal.knative.dev/ClusterDomainClaim': obj('dev.knative.networking.v1alpha1.ClusterDomainClaim', {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj('dev.knative.networking.v1alpha1.ClusterDomainClaimSpec', { namespace: str }),
  }),
};
