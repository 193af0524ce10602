import type { KObject } from '../apis/core/v1.js';
import { CONFIGMAP, GATEWAY, K8SSERVICE, KCLUSTERDOMAINCLAIM, KCONFIG, KDOMAINMAPPING, KINGRESS, KREVISION, KROUTE, KSVC, VIRTUALSERVICE, type GroupKind } from '../apis/kinds.js';
import type { Service as K8sService } from '../apis/core/v1.js';
import type { EndpointView } from '../k8s/endpoints.js';
import { SIMULATED_EPOCH_MS } from '../net/http.js';
import type { ObjectStore } from '../k8s/object-store.js';
import type { Pod } from '../k8s/pod.js';
import type { RevisionRuntime } from '../reconciler/revision/runtime.js';

/**
 * The cluster as `kubectl get -o json` would show it at one instant, as plain JSON: the stored
 * objects and what Kubernetes and Knative keep beside them (Pods, Endpoints, PodAutoscalers,
 * ServerlessServices), plus what the resolvers answer from. `knsim get`, `describe` and `dig`
 * read only this, so they work the same on a live cluster and on a saved run.
 */
export interface ClusterSnapshot {
  /** The simulated clock when it was taken, in ms (time 0 is 2026-01-01T00:00:00Z). */
  nowMs: number;
  clusterDomain: string;
  /** The external resolver: these domains (and their subdomains) lead to the ingress gateway's address. */
  dns: { loadBalancerIp: string; externalDomains: string[] };
  /** Every object, with `metadata.creationTimestamp` as an RFC 3339 time, sorted by kind, namespace and name. */
  objects: KObject[];
}

/** The kinds the API server stores, in the order `kubectl get all`-like listings print them. */
export const STORED_KINDS: readonly GroupKind[] = [KSVC, KCONFIG, KREVISION, KROUTE, KDOMAINMAPPING, KINGRESS, KCLUSTERDOMAINCLAIM, VIRTUALSERVICE, GATEWAY, K8SSERVICE, CONFIGMAP];

/** Simulated ms as an RFC 3339 timestamp (time 0 is Thu, 01 Jan 2026 00:00:00 GMT, as the Date header). */
export const simTime = (ms: number): string => new Date(SIMULATED_EPOCH_MS + Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export interface InspectSource {
  nowMs: number;
  clusterDomain: string;
  loadBalancerIp: string;
  externalDomains: string[];
  store: ObjectStore;
  /** When each stored object ("group/Kind|ns|name") was created, in simulated ms. */
  createdAt: ReadonlyMap<string, number>;
  revisions: Iterable<RevisionRuntime>;
  endpoints: (key: string) => EndpointView | undefined;
  /** The system's own pods (activators, gateways), in their namespaces. */
  systemPods: ReadonlyArray<{ namespace: string; name: string; ip: string; labels: Record<string, string> }>;
}

export const storeKey = (gk: GroupKind, ns: string, name: string) => `${gk}|${ns}|${name}`;

export function inspectCluster(src: InspectSource): ClusterSnapshot {
  const objects: KObject[] = [];
  const stamp = (o: KObject, ms: number) => ((o.metadata as unknown as Record<string, unknown>).creationTimestamp = simTime(ms));
  for (const gk of STORED_KINDS) {
    for (const o of src.store.list(gk)) {
      stamp(o, src.createdAt.get(storeKey(gk, o.metadata.namespace ?? '', o.metadata.name)) ?? 0);
      delete o.metadata.uid;
      objects.push(o);
      if (gk === K8SSERVICE) {
        const e = endpointsOf(o as K8sService, src.endpoints);
        if (e !== undefined) {
          stamp(e, src.createdAt.get(storeKey(gk, o.metadata.namespace ?? '', o.metadata.name)) ?? 0);
          objects.push(e);
        }
      }
    }
  }
  for (const p of src.systemPods) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels, creationTimestamp: simTime(0) as unknown as number },
      spec: { containers: [{ name: p.labels.app ?? 'main' }] },
      status: { phase: 'Running', podIP: p.ip, containerStatuses: [{ name: p.labels.app ?? 'main', ready: true, restartCount: 0, state: { running: {} } }] },
    });
  }
  const runtimes = new Map<string, RevisionRuntime>();
  for (const rt of src.revisions) runtimes.set(`${rt.namespace}/${rt.name}`, rt);
  // Knative copies the PodAutoscaler's scales into the Revision's status (the `kubectl get rev` columns).
  for (const o of objects) {
    const rt = o.kind === 'Revision' ? runtimes.get(`${o.metadata.namespace}/${o.metadata.name}`) : undefined;
    if (rt === undefined) continue;
    const status = ((o as { status?: Record<string, unknown> }).status ??= {});
    status.actualReplicas = rt.readyPods.length;
    status.desiredReplicas = rt.desiredScale >= 0 ? rt.desiredScale : rt.replicas;
  }
  for (const rt of runtimes.values()) {
    const rev = src.store.peek(KREVISION, rt.namespace, rt.name);
    const labels = { ...(rev?.metadata.labels ?? {}), 'serving.knative.dev/revision': rt.name };
    for (const pod of rt.pods) if (pod.phase !== 'Terminated') objects.push(podObject(pod, labels));
    const created = simTime(src.createdAt.get(storeKey(KREVISION, rt.namespace, rt.name)) ?? 0);
    objects.push(podAutoscaler(rt, labels, created), serverlessService(rt, labels, created));
  }
  const rank = (o: KObject) => `${o.apiVersion.split('/')[0]}/${o.kind}`;
  objects.sort((a, b) => cmp(rank(a), rank(b)) || cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name));
  return { nowMs: src.nowMs, clusterDomain: src.clusterDomain, dns: { loadBalancerIp: src.loadBalancerIp, externalDomains: [...src.externalDomains].sort() }, objects };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The Endpoints object of a Service (Kubernetes keeps one for every Service but ExternalName ones). */
function endpointsOf(svc: K8sService, endpoints: InspectSource['endpoints']): KObject | undefined {
  if (svc.spec.type === 'ExternalName') return undefined;
  const ns = svc.metadata.namespace ?? 'default';
  const view = endpoints(`${ns}/${svc.metadata.name}`);
  const ports = (svc.spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol ?? 'TCP' }));
  const addresses = (view?.addresses ?? []).map((a) => ({ ip: a.ip, targetRef: { kind: 'Pod', name: a.pod, namespace: a.pod.startsWith('activator-') ? 'knative-serving' : ns } }));
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: ns }, subsets: addresses.length > 0 ? [{ addresses, ports }] : [] };
}

/**
 * A revision pod as the API server shows it. Which container is the ready one of `1/2` is not
 * kept: while starting it is the user container (kubelet has not yet probed queue-proxy, seed
 * 004's `1/2 Running`), while terminating queue-proxy (the app has exited, queue-proxy drains).
 */
function podObject(pod: Pod, labels: Record<string, string>): KObject {
  const ready = Number(pod.readyString.split('/')[0]);
  const terminating = pod.phase === 'Terminating';
  const userReady = ready === 2 || (ready === 1 && !terminating);
  const qpReady = ready === 2 || (ready === 1 && terminating);
  const waiting = pod.phase === 'Pending' || pod.phase === 'ContainerCreating' || pod.phase === 'ErrImagePull' || pod.phase === 'ImagePullBackOff';
  const state = waiting ? { waiting: { reason: pod.phase === 'Pending' ? 'ContainerCreating' : pod.phase } } : { running: {} };
  const unschedulable = pod.unschedulable !== null ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: pod.unschedulable }] : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.template.namespace,
      labels,
      creationTimestamp: simTime(pod.createdAt) as unknown as number,
      ...(terminating ? { deletionTimestamp: simTime(pod.host.env.now) } : {}),
    },
    spec: { containers: [{ name: 'user-container', image: pod.template.image }, { name: 'queue-proxy' }], ...(pod.node !== null ? { nodeName: pod.node } : {}) },
    status: {
      phase: waiting ? 'Pending' : 'Running',
      ...(pod.ip !== null ? { podIP: pod.ip } : {}),
      conditions: [...unschedulable, { type: 'Ready', status: pod.k8sReady ? 'True' : 'False' }],
      containerStatuses: [
        { name: 'queue-proxy', ready: qpReady, restartCount: 0, state },
        { name: 'user-container', ready: userReady, restartCount: pod.restarts, ...userContainerState(pod, waiting, state) },
      ],
    },
  };
}

/**
 * The user container's state after an instance ended (its program exited by itself, a probe
 * kill, the OOM killer): terminated (reason Error or Completed) until kubelet restarts it,
 * waiting in CrashLoopBackOff while it backs off; the last termination is its lastState.
 */
function userContainerState(pod: Pod, podWaiting: boolean, state: object): { state: object; lastState?: object } {
  const user = pod.userContainerState;
  const t = user.lastTermination;
  const terminated = t === null ? null : { exitCode: t.exitCode, reason: t.reason, ...(t.message ? { message: t.message } : {}) };
  let now = state;
  if (!podWaiting) {
    const s = pod.status;
    if ((s === 'Error' || s === 'Completed') && terminated !== null) now = { terminated };
    else if (user.waiting !== null && user.waiting !== 'Error' && user.waiting !== 'Completed') now = { waiting: { reason: user.waiting } };
  }
  return terminated === null ? { state: now } : { state: now, lastState: { terminated } };
}

const cond = (type: string, status: 'True' | 'False' | 'Unknown', reason?: string, message?: string) => ({ type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });

/** The KPA's PodAutoscaler (autoscaling.internal.knative.dev), from the revision's runtime. */
function podAutoscaler(rt: RevisionRuntime, labels: Record<string, string>, created: string): KObject {
  const active = rt.paState === 'Active' ? 'True' : rt.paState === 'Inactive' ? 'False' : 'Unknown';
  const ready = rt.failed !== null ? cond('Ready', 'False', rt.failed.reason, rt.failed.message) : cond('Ready', active, rt.paReason, rt.paMessage);
  return {
    apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
    kind: 'PodAutoscaler',
    metadata: { name: rt.name, namespace: rt.namespace, labels, creationTimestamp: created as unknown as number },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${rt.name}-deployment` },
      protocolType: 'http1',
      reachability: rt.reachable === null ? '' : rt.reachable ? 'Reachable' : 'Unreachable',
    },
    status: {
      desiredScale: rt.desiredScale >= 0 ? rt.desiredScale : rt.replicas,
      actualScale: rt.readyPods.length,
      serviceName: rt.name,
      metricsServiceName: `${rt.name}-private`,
      conditions: [cond('Active', active, rt.paReason, rt.paMessage), ready, cond('ScaleTargetInitialized', rt.scaleTargetInitialized ? 'True' : 'Unknown'), cond('SKSReady', 'True')],
    },
  };
}

/** The revision's ServerlessService (networking.internal.knative.dev): Proxy (through the activator) or Serve. */
function serverlessService(rt: RevisionRuntime, labels: Record<string, string>, created: string): KObject {
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'ServerlessService',
    metadata: { name: rt.name, namespace: rt.namespace, labels, creationTimestamp: created as unknown as number },
    spec: { mode: rt.sksMode, numActivators: rt.numActivators, objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${rt.name}-deployment` }, protocolType: 'http1' },
    status: {
      serviceName: rt.name,
      privateServiceName: `${rt.name}-private`,
      conditions: [cond('ActivatorEndpointsPopulated', rt.activatorSubset.length > 0 ? 'True' : 'False'), cond('EndpointsPopulated', rt.readyPods.length > 0 ? 'True' : 'False', rt.readyPods.length > 0 ? undefined : 'NoHealthyBackends'), cond('Ready', 'True')],
    },
  };
}
