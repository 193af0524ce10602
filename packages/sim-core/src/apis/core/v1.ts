/**
 * The Kubernetes objects knsim keeps, in their JSON shape (what `kubectl get -o json` shows),
 * restricted to the fields the simulation reads.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generation?: number;
  uid?: string;
  creationTimestamp?: number;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; controller?: boolean }>;
}

/** Any object: apiVersion, kind, metadata and whatever else. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ConfigMap extends KObject {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  data?: Record<string, string>;
}

export interface ServicePort {
  name?: string;
  protocol?: 'TCP' | 'UDP';
  port: number;
  targetPort?: number | string;
}

export interface Service extends KObject {
  apiVersion: 'v1';
  kind: 'Service';
  spec: {
    type?: 'ClusterIP' | 'ExternalName' | 'LoadBalancer' | 'NodePort';
    /** 'None' for a headless Service. */
    clusterIP?: string;
    externalName?: string;
    selector?: Record<string, string>;
    ports?: ServicePort[];
  };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

export interface EndpointAddress {
  ip: string;
  /** The pod (or activator) behind the address, for traces. */
  targetRef?: { kind: string; name: string; namespace?: string };
}

/** Endpoints, flattened to one subset: ready and not-ready addresses and the ports. */
export interface Endpoints extends KObject {
  apiVersion: 'v1';
  kind: 'Endpoints';
  addresses: EndpointAddress[];
  notReadyAddresses: EndpointAddress[];
  ports: Array<{ name?: string; port: number }>;
}
