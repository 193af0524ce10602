import type { KnsimTraceEvent, TraceBus } from '@knsim/sim-core';

/**
 * One line of `kubectl describe`'s Events section: what happened to an object, from the trace.
 * Repeats of the same event are counted, as the API server aggregates them (`x5 over 2m`),
 * and listed at their last time.
 */
export interface ObjectEvent {
  /** kubectl's resource name of the object (`services.serving.knative.dev`, `pods`), its namespace and name. */
  resource: string;
  namespace: string;
  name: string;
  type: 'Normal' | 'Warning';
  reason: string;
  from: string;
  message: string;
  firstMs: number;
  lastMs: number;
  count: number;
}

/** How many (aggregated) events an object keeps: the recent history, as the API server's TTL keeps an hour of it. */
const KEEP = 30;

const KNATIVE_KIND: Record<string, string> = {
  Service: 'services.serving.knative.dev',
  Configuration: 'configurations.serving.knative.dev',
  Revision: 'revisions.serving.knative.dev',
  Route: 'routes.serving.knative.dev',
  DomainMapping: 'domainmappings.serving.knative.dev',
  Ingress: 'ingresses.networking.internal.knative.dev',
  VirtualService: 'virtualservices.networking.istio.io',
  Gateway: 'gateways.networking.istio.io',
  ConfigMap: 'configmaps',
};
const CONTROLLER_KIND: Record<string, string> = { service: 'Service', configuration: 'Configuration', route: 'Route', domainmapping: 'DomainMapping', ingress: 'Ingress' };
/** The trace events that become Kubernetes events (listening to these alone keeps requests' events unbuilt where nothing else listens). */
const RECORDED = ['object.applied', 'condition', 'revision.created', 'route.programmed', 'route.blocked', 'reconcile.retry', 'pod.phase', 'kubelet.probe', 'kpa.scale', 'pa.state', 'sks.mode', 'activator.probe'] as const;
const PA = 'podautoscalers.autoscaling.internal.knative.dev';
const SKS = 'serverlessservices.networking.internal.knative.dev';
const REV = 'revisions.serving.knative.dev';

/**
 * Records the trace as Kubernetes events per object, in memory bounded by the number of objects
 * (each keeps its last KEEP events, repeats folded into one).
 */
export class EventLog {
  private readonly byObject = new Map<string, ObjectEvent[]>();

  constructor(events: readonly ObjectEvent[] = []) {
    for (const e of events) this.list(e.resource, e.namespace, e.name).push(e);
  }

  attach(trace: TraceBus<KnsimTraceEvent>): void {
    for (const type of RECORDED) trace.on(type, (e: KnsimTraceEvent) => this.record(e));
  }

  private list(resource: string, namespace: string, name: string): ObjectEvent[] {
    const key = `${resource}|${namespace}|${name}`;
    let l = this.byObject.get(key);
    if (l === undefined) this.byObject.set(key, (l = []));
    return l;
  }

  add(resource: string, namespace: string, name: string, t: number, type: ObjectEvent['type'], reason: string, from: string, message: string): void {
    const l = this.list(resource, namespace, name);
    // The API server folds an event into an earlier one of the same object, reason and message
    // (client-go's EventCorrelator): count and last time; describe lists them by last time.
    const i = l.findIndex((e) => e.reason === reason && e.message === message && e.type === type);
    if (i >= 0) {
      const same = l[i]!;
      same.count++;
      same.lastMs = t;
      if (i !== l.length - 1) l.push(...l.splice(i, 1));
      return;
    }
    l.push({ resource, namespace, name, type, reason, from, message, firstMs: t, lastMs: t, count: 1 });
    if (l.length > KEEP) l.shift();
  }

  /** The events of one object, oldest first. */
  of(resource: string, namespace: string, name: string): ObjectEvent[] {
    return this.byObject.get(`${resource}|${namespace}|${name}`) ?? [];
  }

  all(): ObjectEvent[] {
    return [...this.byObject.keys()].sort().flatMap((k) => this.byObject.get(k)!);
  }

  record(e: KnsimTraceEvent): void {
    switch (e.type) {
      case 'object.applied':
        if (e.action !== 'unchanged') this.add(KNATIVE_KIND[e.kind] ?? e.kind.toLowerCase(), e.namespace, e.name, e.t, 'Normal', e.action === 'created' ? 'Created' : 'Updated', 'kubectl', `${e.action} by kubectl apply`);
        return;
      case 'condition': {
        const resource = KNATIVE_KIND[e.kind] ?? e.kind.toLowerCase();
        const type = e.status === 'False' ? 'Warning' : 'Normal';
        const reason = e.reason ?? (e.status === 'True' ? e.condition : `${e.condition}${e.status}`);
        this.add(resource, e.namespace, e.name, e.t, type, reason, `${e.kind.toLowerCase()}-controller`, `${e.condition}=${e.status}${e.message ? `: ${e.message}` : ''}`);
        return;
      }
      case 'revision.created':
        // Knative's configuration reconciler: `Created Revision "hello-00001"`.
        this.add(KNATIVE_KIND.Configuration!, e.namespace, e.configuration, e.t, 'Normal', 'Created', 'configuration-controller', `Created Revision "${e.revision}"`);
        return;
      case 'route.programmed':
        this.add(KNATIVE_KIND.Route!, e.namespace, e.route, e.t, 'Normal', 'Programmed', 'route-controller', `Ingress ${e.ingress}: ${e.traffic.map((t) => `${t.tag ? `${t.tag}:` : ''}${t.revisionName}=${t.percent}%`).join(', ')}`);
        return;
      case 'route.blocked':
        this.add(KNATIVE_KIND.Route!, e.namespace, e.route, e.t, 'Warning', e.reason, 'route-controller', e.message);
        return;
      case 'reconcile.retry': {
        const kind = CONTROLLER_KIND[e.controller];
        const [ns, name] = e.key.includes('/') ? e.key.split('/', 2) : ['default', e.key];
        // Knative's reconcilers record a failed reconcile as an InternalError event.
        if (kind !== undefined) this.add(KNATIVE_KIND[kind]!, ns!, name!, e.t, 'Warning', 'InternalError', `${e.controller}-controller`, `${e.error} (retry ${e.attempt} in ${e.delayMs} ms)`);
        return;
      }
      case 'pod.phase':
        this.podPhase(e);
        return;
      case 'kubelet.probe':
        if (e.result === 'Failure') {
          const probe = e.probe[0]!.toUpperCase() + e.probe.slice(1);
          this.add('pods', e.namespace, e.pod, e.t, 'Warning', 'Unhealthy', 'kubelet', `${probe} probe failed: ${e.message}`);
        }
        return;
      case 'kpa.scale': {
        const msg = `Scaled ${e.revision}-deployment from ${e.from} to ${e.to}: ${e.reason}`;
        this.add(PA, e.namespace, e.revision, e.t, 'Normal', 'Scaled', 'autoscaler', msg);
        this.add(REV, e.namespace, e.revision, e.t, 'Normal', 'Scaled', 'autoscaler', msg);
        return;
      }
      case 'pa.state':
        this.add(PA, e.namespace, e.revision, e.t, 'Normal', e.state, 'autoscaler', `PodAutoscaler is ${e.state}: ${e.reason}`);
        this.add(REV, e.namespace, e.revision, e.t, 'Normal', e.state, 'autoscaler', `PodAutoscaler is ${e.state}: ${e.reason}`);
        return;
      case 'sks.mode':
        this.add(SKS, e.namespace, e.revision, e.t, 'Normal', e.mode, 'serverlessservice-controller', `mode ${e.mode} with ${e.numActivators} activators: ${e.reason}`);
        this.add(REV, e.namespace, e.revision, e.t, 'Normal', `SKS${e.mode}`, 'serverlessservice-controller', `mode ${e.mode} with ${e.numActivators} activators: ${e.reason}`);
        return;
      case 'activator.probe': {
        // The activator's probe of a new pod (revision_backends.go): on the pod, beside kubelet's probes.
        const ns = e.revision.includes('/') ? e.revision.split('/')[0]! : 'default';
        this.add('pods', ns, e.pod, e.t, e.healthy ? 'Normal' : 'Warning', e.healthy ? 'ProbeSucceeded' : 'ProbeFailed', 'activator', `activator ${e.activator} probed queue-proxy: ${e.healthy ? 'ready' : 'not ready'}`);
        return;
      }
      default:
        return;
    }
  }

  /** The pod's trace reasons as the events kubelet and the scheduler record. */
  private podPhase(e: Extract<KnsimTraceEvent, { type: 'pod.phase' }>): void {
    const r = e.reason;
    let m: RegExpMatchArray | null;
    if ((m = /^Scheduled to (.+)$/.exec(r))) this.add('pods', e.namespace, e.pod, e.t, 'Normal', 'Scheduled', 'default-scheduler', `Successfully assigned ${e.namespace}/${e.pod} to ${m[1]}`);
    else if ((m = /^Started containers \((.+)\)$/.exec(r))) this.add('pods', e.namespace, e.pod, e.t, 'Normal', 'Started', 'kubelet', `Started containers user-container and queue-proxy (${m[1]})`);
    else if ((m = /^([A-Z][A-Za-z]+): (.+)$/.exec(r))) this.add('pods', e.namespace, e.pod, e.t, m[1] === 'BackOff' ? 'Warning' : 'Normal', m[1]!, 'kubelet', m[2]!);
  }
}
