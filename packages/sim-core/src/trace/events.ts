/** One component a request passed through, with when it entered and left (simulated ms). */
export interface Hop {
  /** 'dns' | 'gateway' | 'activator' | 'queue-proxy' | 'app', and later plugin names. */
  component: string;
  /** The instance: the gateway pod and listener, the activator pod, the revision pod, the DNS name. */
  name: string;
  startMs: number;
  endMs: number;
  /** A gateway's Envoy response flags (`%RESPONSE_FLAGS%`: NR, UH, UF, UT, URX, FI, DI, …), when it set any. */
  flags?: string;
}

/**
 * Everything the simulated cluster decides is one of these events, with its reasons, so the
 * a reader (a test, the run summary, a report) needs nothing else. `t` is simulated ms.
 */
export type KnsimTraceEvent =
  | { type: 'object.applied'; t: number; kind: string; namespace: string; name: string; action: 'created' | 'configured' | 'unchanged' }
  | { type: 'object.deleted'; t: number; kind: string; namespace: string; name: string }
  | { type: 'object.labeled'; t: number; kind: string; namespace: string; name: string; labels: Record<string, string | null> }
  | { type: 'revision.created'; t: number; namespace: string; revision: string; configuration: string; generation: number }
  | { type: 'condition'; t: number; kind: string; namespace: string; name: string; condition: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string }
  | { type: 'route.programmed'; t: number; namespace: string; route: string; ingress: string; traffic: Array<{ tag?: string; revisionName: string; percent: number }> }
  /** A reconcile failed and its key goes back on the work queue after the rate limiter's back-off. */
  | { type: 'reconcile.retry'; t: number; controller: string; key: string; attempt: number; delayMs: number; error: string }
  | { type: 'route.blocked'; t: number; namespace: string; route: string; reason: string; message: string }
  | { type: 'virtualservices'; t: number; namespace: string; ingress: string; names: string[] }
  | { type: 'gateway.config'; t: number; gateway: string; listeners: Array<{ port: number; vhosts: string[] }> }
  | { type: 'endpoints'; t: number; namespace: string; service: string; ready: string[]; notReady: string[] }
  | { type: 'fault'; t: number; fault: string; namespace: string; revision: string; phase: 'start' | 'end'; detail: string }
  | { type: 'pod.phase'; t: number; namespace: string; pod: string; revision: string; phase: string; ready: string; restarts: number; reason: string }
  /** A kubelet probe of a container (pkg/kubelet/prober): every failure, and a success that changes the result. */
  | {
      type: 'kubelet.probe';
      t: number;
      namespace: string;
      revision: string;
      pod: string;
      container: string;
      probe: 'startup' | 'readiness' | 'liveness';
      result: 'Success' | 'Failure';
      /** kubelet's message for a failure ("HTTP probe failed with statuscode: 500"). */
      message: string;
      /** How many times in a row this outcome came, and how many make it count. */
      consecutive: number;
      threshold: number;
    }
  | {
      type: 'autoscaler.decision';
      t: number;
      namespace: string;
      revision: string;
      inputs: { stable: number | null; panic: number | null; readyPods: number; metric: 'concurrency' | 'rps'; targetValue: number; totalValue: number; targetBurstCapacity: number; panicThreshold: number; poke: boolean };
      /** The decision, and what the KPA made of it: the ServerlessService mode and the Deployment's replicas. */
      result: { desiredPodCount: number; excessBurstCapacity: number; scaleValid: boolean; panicking: boolean; sksMode: 'Proxy' | 'Serve'; activatorInPath: boolean; replicas: number };
      reason: string;
    }
  | { type: 'kpa.scale'; t: number; namespace: string; revision: string; from: number; to: number; reason: string }
  | { type: 'pa.state'; t: number; namespace: string; revision: string; state: 'Active' | 'Inactive' | 'Activating'; reason: string }
  | { type: 'sks.mode'; t: number; namespace: string; revision: string; mode: 'Proxy' | 'Serve'; numActivators: number; reason: string }
  | { type: 'request.start'; t: number; id: number; method: string; url: string; tag?: string }
  | { type: 'request.end'; t: number; id: number; status: number; latencyMs: number; revision: string | null; pod: string | null; hops: Hop[]; error?: string; tag?: string }
  | { type: 'dns.query'; t: number; id: number; client: string; name: string; answer: string }
  | { type: 'gateway.route'; t: number; id: number; gateway: string; port: number; authority: string; path: string; vhost: string | null; virtualService: string | null; result: string }
  /** A Higress WasmPlugin's verdict on a request (key-auth, key-rate-limit). */
  | { type: 'gateway.plugin'; t: number; id: number; gateway: string; plugin: string; wasmPlugin: string; decision: string; detail: string }
  | { type: 'gateway.loop'; t: number; id: number; gateway: string; passes: number; authority: string }
  | { type: 'activator.buffered'; t: number; id: number; activator: string; revision: string; queued: number; reason: string }
  | { type: 'activator.stat'; t: number; activator: string; revision: string; concurrency: number; requestCount: number; first: boolean }
  | { type: 'activator.probe'; t: number; activator: string; revision: string; pod: string; healthy: boolean }
  | { type: 'queue.rejected'; t: number; id: number; pod: string; reason: string }
  | { type: 'timeout'; t: number; id: number; component: string; instance: string; afterMs: number }
  | { type: 'scrape'; t: number; namespace: string; revision: string; pods: number; concurrency: number; rps: number };

export type KnsimTraceType = KnsimTraceEvent['type'];
