import type { KObject } from '../apis/core/v1.js';

/** networking.istio.io VirtualService and Gateway (v1alpha3, v1beta1 and v1 share this shape). */
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

export interface Destination {
  host: string;
  subset?: string;
  port?: { number: number };
}

export interface HTTPRouteDestination {
  destination: Destination;
  weight?: number;
  headers?: Headers;
}

export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: { uri?: string; authority?: string; scheme?: string; port?: number; derivePort?: 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT'; redirectCode?: number };
  directResponse?: { status: number; body?: { string?: string; bytes?: string } };
  delegate?: { name: string; namespace?: string };
  rewrite?: { uri?: string; authority?: string; uriRegexRewrite?: { match: string; rewrite: string } };
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string; retryRemoteLocalities?: boolean };
  fault?: {
    delay?: { fixedDelay?: string; percentage?: { value?: number }; percent?: number };
    abort?: { httpStatus?: number; grpcStatus?: string; percentage?: { value?: number } };
  };
  mirror?: Destination;
  mirrorPercentage?: { value?: number };
  mirrors?: Array<{ destination: Destination; percentage?: { value?: number } }>;
  corsPolicy?: Record<string, unknown>;
  headers?: Headers;
}

export interface VirtualService extends KObject {
  spec: {
    hosts?: string[];
    gateways?: string[];
    http?: HTTPRoute[];
    exportTo?: string[];
  };
}

export interface GatewayServer {
  port: { number: number; name?: string; protocol?: string; targetPort?: number };
  hosts: string[];
  tls?: { httpsRedirect?: boolean; mode?: string };
  name?: string;
}

export interface Gateway extends KObject {
  spec: {
    selector?: Record<string, string>;
    servers?: GatewayServer[];
  };
}
