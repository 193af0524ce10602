import type { KObject } from '../core/v1.js';

/**
 * networking.internal.knative.dev/v1alpha1 Ingress (the KIngress), as Knative Serving's route
 * reconciler writes it and net-istio reads it (knative/networking pkg/apis/networking/v1alpha1).
 */
export type IngressVisibility = 'ExternalIP' | 'ClusterLocal';

export interface IngressBackendSplit {
  serviceNamespace: string;
  serviceName: string;
  servicePort: number;
  percent: number;
  appendHeaders?: Record<string, string>;
}

export interface HTTPIngressPath {
  path?: string;
  rewriteHost?: string;
  headers?: Record<string, { exact: string }>;
  splits: IngressBackendSplit[];
  appendHeaders?: Record<string, string>;
}

export interface IngressRule {
  hosts: string[];
  visibility: IngressVisibility;
  http: { paths: HTTPIngressPath[] };
}

export interface IngressTLS {
  hosts: string[];
  secretName: string;
  secretNamespace: string;
}

export interface IngressSpec {
  rules: IngressRule[];
  tls?: IngressTLS[];
  httpOption?: 'Enabled' | 'Redirected';
}

export interface LoadBalancerIngressStatus {
  ip?: string;
  domain?: string;
  domainInternal?: string;
  meshOnly?: boolean;
}

export interface Ingress extends KObject {
  apiVersion: 'networking.internal.knative.dev/v1alpha1';
  kind: 'Ingress';
  spec: IngressSpec;
  status?: {
    observedGeneration?: number;
    publicLoadBalancer?: { ingress: LoadBalancerIngressStatus[] };
    privateLoadBalancer?: { ingress: LoadBalancerIngressStatus[] };
    conditions?: Array<{ type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string }>;
  };
}
