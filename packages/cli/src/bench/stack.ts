import { Cluster, GATEWAY_CPU_LIMIT_CORES, PER_REQUEST_CPU_MS } from '@knsim/sim-core';
import { exponential, type Rng } from '@knsim/sim-core/engine';

export interface StackBenchParams {
  requests: number;
  /** Arrival rate (requests per simulated second, Poisson). */
  rps: number;
  seed: number;
  /**
   * Hold the revision at this many pods (min-scale = max-scale = initial-scale) with
   * target-burst-capacity 0, so the activator leaves the path whatever the count: the per-request
   * cost at P pods against 1 pod at the same per-pod rate. Unset: autoscaling as usual.
   */
  pods?: number;
  /** Called every 10 simulated seconds with the requests answered (the CLI's progress line). */
  onProgress?: (completed: number, requests: number) => void;
}

export interface StackBenchResult {
  requests: number;
  completed: number;
  byStatus: Record<string, number>;
  events: number;
  simulatedMs: number;
  maxReadyPods: number;
}

/** istio-ingressgateway's HPA target: 80 % average CPU utilisation (Istio's gateway chart, `autoscaleEnabled`, `cpu.targetAverageUtilization: 80`). */
const GATEWAY_HPA_TARGET = 0.8;

const service = (pods?: number) => (pods === undefined ? SERVICE : SERVICE.replace('        knsim.dev/service-time', [
  `        autoscaling.knative.dev/min-scale: "${pods}"`,
  `        autoscaling.knative.dev/max-scale: "${pods}"`,
  `        autoscaling.knative.dev/initial-scale: "${pods}"`,
  `        autoscaling.knative.dev/target-burst-capacity: "0"`,
  '        knsim.dev/service-time',
].join('\n')));

const SERVICE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: bench
spec:
  template:
    metadata:
      annotations:
        knsim.dev/service-time: "lognormal(20ms,0.3)"
    spec:
      containerConcurrency: 10
      containers:
        - image: example.com/bench:v1
`;

/**
 * The stack benchmark's model: one Knative Service (containerConcurrency 10, ~20 ms service
 * time) behind the whole path — external DNS, the ingress gateway, the activator or
 * queue-proxy directly as the KPA decides, the user container — with autoscaling on, hops and
 * tracing off, fed by a Poisson open loop. Responses are counted, not kept, so memory follows
 * what is in flight, not how many requests were sent. `beforeLoad` lets the caller start its
 * clock after the cluster is up.
 */
export function runStackBench(p: StackBenchParams, beforeLoad: () => void = () => {}): StackBenchResult {
  // Enough nodes for the pods: a node takes 110 pods (its allocatable pod count), so a
  // revision held at P pods gets a node per 100 of them (three at least, the default).
  const nodes = p.pods === undefined ? undefined : Math.max(3, Math.ceil(p.pods / 100));
  // And enough ingress gateway replicas for the rate, as istio-ingressgateway's HPA sizes them
  // (80 % of its CPU limit): each Envoy has 2 cores and spends 0.35 ms a request, so one
  // replica carries about 4,500 requests a second (the default 2,000 needs one).
  const gatewayReplicas = Math.max(1, Math.ceil((p.rps * PER_REQUEST_CPU_MS.gateway) / 1000 / (GATEWAY_CPU_LIMIT_CORES * GATEWAY_HPA_TARGET)));
  const c = new Cluster({ seed: p.seed, hops: false, gatewayReplicas, ...(nodes === undefined ? {} : { nodes }) });
  c.apply(service(p.pods));
  c.waitForReady();
  // Held at P pods: wait for all of them, and for the activator to leave the path.
  if (p.pods !== undefined) while (c.revision('bench-00001').readyPods.length < p.pods || c.revision('bench-00001').activatorInPath) c.runFor(1000);
  // Responses by status code (0: no HTTP response).
  const byStatus = new Float64Array(600);
  let completed = 0;
  const onDone = (ev: { value: { status: number } }) => {
    completed++;
    byStatus[ev.value.status]!++;
  };
  const rng: Rng = c.rngFor('bench/arrivals');
  const gap = exponential(1000 / p.rps);
  const url = 'http://bench.default.example.com/';
  const env = c.env;
  // The load generator is a chain of timeouts, each sending one request (a process per
  // request is the cluster's; the generator itself needs none).
  const req = { url };
  let sent = 0;
  const arrive = () => {
    c.send(req).addCallback(onDone as never);
    if (++sent < p.requests) env.timeout(gap.sample(rng)).addCallback(arrive);
  };
  if (p.requests > 0) env.timeout(gap.sample(rng)).addCallback(arrive);
  beforeLoad();
  const startEvents = env.eventsProcessed;
  const start = c.now;
  while (completed < p.requests) {
    c.runFor(10_000);
    p.onProgress?.(completed, p.requests);
  }
  const byStatusObj: Record<string, number> = {};
  byStatus.forEach((n, status) => {
    if (n > 0) byStatusObj[String(status)] = n;
  });
  return {
    requests: p.requests,
    completed,
    byStatus: byStatusObj,
    events: env.eventsProcessed - startEvents,
    simulatedMs: c.now - start,
    maxReadyPods: c.revision('bench-00001').maxReadyPods,
  };
}
