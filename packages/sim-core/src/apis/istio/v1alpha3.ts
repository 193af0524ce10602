import type { KObject } from '../core/v1.js';

/**
 * networking.istio.io VirtualService and Gateway in their YAML/JSON shape (istio/api
 * networking/v1alpha3/{virtual_service,gateway}.proto). v1alpha3, v1beta1 and v1 share the
 * schema, so one set of types serves all three apiVersions. Only HTTP routing is modelled;
 * `tcp`/`tls` routes are accepted and ignored.
 */
export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';
export const ISTIO_NETWORKING_VERSIONS = ['v1alpha3', 'v1beta1', 'v1'] as const;
export type IstioNetworkingApiVersion = `networking.istio.io/${(typeof ISTIO_NETWORKING_VERSIONS)[number]}`;

/** The reserved gateway name for sidecars. */
export const MESH_GATEWAY = 'mesh';

/** Exactly one of exact, prefix or regex (RE2, whole-value match); `{}` means "present". */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  ignoreUriCase?: boolean;
  port?: number;
  gateways?: string[];
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
}

export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface Headers {
  request?: HeaderOperations;
  response?: HeaderOperations;
}

export interface PortSelector {
  number: number;
}

export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}

export interface HTTPRouteDestination {
  destination: Destination;
  weight?: number;
  headers?: Headers;
}

export interface RegexRewrite {
  match: string;
  rewrite: string;
}

export interface HTTPRewrite {
  uri?: string;
  authority?: string;
  uriRegexRewrite?: RegexRewrite;
}

export type RedirectPortSelection = 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT';

export interface HTTPRedirect {
  uri?: string;
  authority?: string;
  port?: number;
  derivePort?: RedirectPortSelection;
  scheme?: string;
  redirectCode?: number;
}

export interface HTTPDirectResponse {
  status: number;
  body?: { string?: string; bytes?: string };
}

export interface Percent {
  value?: number;
}

export interface HTTPFaultInjection {
  delay?: { fixedDelay?: string; percentage?: Percent; /** deprecated integer percent */ percent?: number };
  abort?: { httpStatus?: number; grpcStatus?: string; http2Error?: string; percentage?: Percent };
}

export interface HTTPRetry {
  attempts?: number;
  perTryTimeout?: string;
  retryOn?: string;
  retryRemoteLocalities?: boolean;
  retryIgnorePreviousHosts?: boolean;
  backoff?: string;
}

export interface HTTPMirrorPolicy {
  destination: Destination;
  percentage?: Percent;
}

export interface CorsPolicy {
  allowOrigins?: StringMatch[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: string;
  allowCredentials?: boolean;
  unmatchedPreflights?: 'UNSPECIFIED' | 'FORWARD' | 'IGNORE';
}

export interface Delegate {
  name: string;
  namespace?: string;
}

export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: HTTPRedirect;
  directResponse?: HTTPDirectResponse;
  delegate?: Delegate;
  rewrite?: HTTPRewrite;
  timeout?: string;
  retries?: HTTPRetry;
  fault?: HTTPFaultInjection;
  mirror?: Destination;
  mirrorPercentage?: Percent;
  /** deprecated integer percent */
  mirrorPercent?: number;
  mirrors?: HTTPMirrorPolicy[];
  corsPolicy?: CorsPolicy;
  headers?: Headers;
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  tcp?: unknown[];
  tls?: unknown[];
  exportTo?: string[];
}

export interface VirtualService extends KObject {
  kind: 'VirtualService';
  spec: VirtualServiceSpec;
}

export interface ServerTLSSettings {
  httpsRedirect?: boolean;
  mode?: string;
  credentialName?: string;
}

export interface Port {
  number: number;
  name?: string;
  protocol?: string;
  targetPort?: number;
}

export interface Server {
  port: Port;
  hosts: string[];
  tls?: ServerTLSSettings;
  name?: string;
  bind?: string;
}

export interface GatewaySpec {
  selector?: Record<string, string>;
  servers?: Server[];
}

export interface Gateway extends KObject {
  kind: 'Gateway';
  spec: GatewaySpec;
}

export { validateVirtualService, validateGateway } from './validation.js';
