import type { KObject } from '../apis/core/v1.js';
import type { Hop } from '../trace/events.js';
export type { ObjectRef } from '../apis/kinds.js';
export type { RevisionSample } from '../reconciler/revision/runtime.js';

export type { Hop };

/** A request as a client sends it into the simulated cluster. */
export interface ClientRequest {
  /** Absolute URL. The host `gateway` is an alias for the ingress gateway's external address. */
  url: string;
  method?: string;
  headers?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
  body?: string;
  /** Send from a pod in this namespace (cluster DNS, search domains, the local gateway). */
  fromNamespace?: string;
  /** A label for traces and reports (a load name, a probe name). */
  tag?: string;
}

/** What the client got back. `status` 0 means no HTTP response (DNS failure, connection refused). */
export interface ClientResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  startMs: number;
  endMs: number;
  latencyMs: number;
  /** The revision and pod whose user container answered; null when no pod served it. */
  revision: string | null;
  pod: string | null;
  hops: Hop[];
  /** Why there is no HTTP response (status 0): e.g. `Could not resolve host: x`. */
  error?: string;
}


export interface AppliedObject {
  kind: string;
  name: string;
  namespace: string;
  action: 'created' | 'configured' | 'unchanged';
}

export interface ApplyResult {
  applied: AppliedObject[];
  warnings: string[];
}

export type { KObject };
