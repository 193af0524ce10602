import type { Environment } from '../engine/environment.js';
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import type { ProcessGenerator } from '../engine/process.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import { HttpHeaders, type HttpRequest, type HttpResponse } from '../net/http.js';
import type { AppBehavior, AppContext, AppResult } from '../app/behavior.js';
import type { Hop } from '../trace/events.js';
import { QueueProxy, QUEUE_SERVING_PORT, textResponse, type QueueProxyConfig, type UserContainerPort, type UserWork } from '../queue/queue-proxy.js';
import { enterHop, type Network, type RequestContext } from './network.js';
import type { LatencyModel } from '../apis/config/latencies.js';

/** The user's readiness probe as queue-proxy runs it (Knative moves it off the user container). */
export interface ReadinessSettings {
  type: 'tcp' | 'http';
  path: string;
  /** 0 (unset) means queue-proxy probes aggressively: every 50 ms. */
  periodSeconds: number;
  initialDelaySeconds: number;
  timeoutSeconds: number;
}

/** Everything a revision's pod template fixes. */
export interface PodTemplate {
  namespace: string;
  revision: string;
  configuration: string;
  service: string;
  image: string;
  env: Record<string, string>;
  behavior: AppBehavior;
  queue: QueueProxyConfig;
  readiness: ReadinessSettings;
  /** Image pull time when the node lacks the image (annotation or the cluster default). */
  imagePull: Distribution;
  /** The cluster's latencies with this revision's `knsim.dev/latency.*` overrides. */
  latencies: LatencyModel;
}

export type PodPhase = 'Pending' | 'ContainerCreating' | 'Running' | 'Terminating' | 'Terminated';

/** queue-proxy's aggressive probing period (pkg/queue/readiness: retryInterval). */
export const AGGRESSIVE_PROBE_PERIOD_MS = 50;
/** Kubernetes' default probe period when a probe leaves it unset. */
export const K8S_DEFAULT_PERIOD_S = 10;
/** queue-proxy's drainSleepDuration: it exits after this long without a new request. */
export const DRAIN_SLEEP_MS = 30_000;

export interface PodHost {
  readonly env: Environment;
  readonly net: Network;
  readonly latencies: LatencyModel;
  readonly trace: TraceBus<KnsimTraceEvent>;
  allocateIp(): string;
  /** Whether the node the pod runs on already has the image (and records that it now will). */
  imageCached(node: string, image: string): boolean;
  pickNode(image?: string): string;
  changed(pod: Pod): void;
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const sharedHeaders = new WeakMap<Record<string, string>, HttpHeaders>();

/**
 * The response headers for a handler's header record. Handlers mostly return the same record
 * object every time (the samples' `content-type`), and nothing changes a response's headers in
 * place (the gateway copies before its header operations), so that record's headers are built
 * once and shared.
 */
function responseHeaders(rec: Record<string, string> | undefined): HttpHeaders {
  const r = rec ?? NO_HEADERS;
  let h = sharedHeaders.get(r);
  if (h === undefined) {
    h = new HttpHeaders(r);
    if (Object.isFrozen(r)) sharedHeaders.set(r, h);
  }
  return h;
}

/** A request the program is working on: its answer is decided when it arrives. */
class AppWork implements UserWork {
  constructor(
    readonly delayMs: number,
    readonly result: AppResult & { delayMs?: number },
    readonly hop: Hop | null,
  ) {}
}

/** The user container: the simulated program behind queue-proxy on localhost:8080. */
class UserContainer implements UserContainerPort {
  listening = false;
  /** Who answered, as the client reports it (the same for every response of this container). */
  private readonly servedBy: { readonly revision: string; readonly pod: string };
  /** The handler's context: one object, updated before each call (handlers answer synchronously). */
  private readonly appCtx: AppContext;
  constructor(
    private readonly pod: Pod,
    private readonly rng: Rng,
  ) {
    this.servedBy = Object.freeze({ revision: pod.template.revision, pod: pod.name });
    this.appCtx = { env: pod.template.env, revision: pod.template.revision, pod: pod.name, nowMs: 0, rng };
  }

  accept(req: HttpRequest, ctx: RequestContext): AppWork {
    const pod = this.pod;
    const now = pod.host.env.now;
    const hop = enterHop(ctx, 'app', pod.name, now);
    const b = pod.template.behavior;
    this.appCtx.nowMs = now;
    const result = b.respond(req, this.appCtx);
    const delayMs = Math.max(0, b.serviceTime.sample(this.rng) + (result.delayMs ?? 0));
    return new AppWork(delayMs, result, hop);
  }

  respond(work: AppWork, ctx: RequestContext): HttpResponse {
    const b = this.pod.template.behavior;
    ctx.servedBy = this.servedBy;
    if (b.errorRate > 0 && this.rng.next() < b.errorRate) return textResponse(500, 'Internal Server Error\n');
    const r = work.result;
    return { status: r.status, body: r.body, headers: responseHeaders(r.headers) };
  }

  close(work: AppWork): void {
    if (work.hop !== null) work.hop.endMs = this.pod.host.env.now;
  }

  /** queue-proxy's readiness probe of the program (pkg/probe/http: 200–399 passes). */
  probeReadiness(): boolean {
    if (!this.listening) return false;
    const t = this.pod.template;
    if (t.readiness.type === 'tcp') return true;
    const r = t.behavior.respond(
      { method: 'GET', scheme: 'http', authority: `127.0.0.1:8080`, path: t.readiness.path, headers: new HttpHeaders({ 'user-agent': 'kube-probe' }), body: '' },
      { env: t.env, revision: t.revision, pod: this.pod.name, nowMs: this.pod.host.env.now, rng: this.rng },
    );
    return r.status >= 200 && r.status < 400;
  }
}

/**
 * One revision pod: user container plus queue-proxy, through the phases `kubectl get pods -w`
 * shows. Its IP appears once the sandbox exists (a not-ready endpoint the activator can probe);
 * Kubernetes marks it Ready when kubelet's readiness probe of queue-proxy passes.
 */
export class Pod {
  phase: PodPhase = 'Pending';
  ip: string | null = null;
  node: string | null = null;
  /** Kubernetes' Ready condition (what Endpoints and the autoscaler's ready count use). */
  k8sReady = false;
  userContainerRunning = false;
  queueProxyRunning = false;
  readonly createdAt: number;
  readyAt: number | null = null;
  deletionRequested = false;
  readonly queueProxy: QueueProxy;
  private readonly user: UserContainer;
  private readonly rng: Rng;

  constructor(
    readonly host: PodHost,
    readonly name: string,
    readonly template: PodTemplate,
    rng: Rng,
  ) {
    this.rng = rng;
    this.createdAt = host.env.now;
    this.user = new UserContainer(this, rng);
    this.queueProxy = new QueueProxy(host.env, name, template.queue, this.user, template.latencies.queueProxyProcessing, rng, host.trace, template.readiness.periodSeconds === 0);
    this.emit('created');
    host.env.process(this.lifecycle(), `pod ${name}`);
  }

  /**
   * READY column of `kubectl get pods`: ready containers out of 2. A terminating pod leaves the
   * endpoints at once, but its containers stay ready until they stop (seed 004's watch:
   * `2/2 Terminating`, then `1/2`, then `0/2`).
   */
  get readyString(): string {
    const user = this.userContainerRunning ? 1 : 0; // no k8s probe on the user container
    const qpReady = this.k8sReady || (this.phase === 'Terminating' && this.readyAt !== null);
    const qp = this.queueProxyRunning && qpReady ? 1 : 0;
    return `${user + qp}/2`;
  }

  get key(): string {
    return `${this.template.namespace}/${this.template.revision}`;
  }

  private emit(reason: string): void {
    const h = this.host;
    if (h.trace.active) {
      h.trace.emit({ type: 'pod.phase', t: h.env.now, namespace: this.template.namespace, pod: this.name, revision: this.template.revision, phase: this.phase, ready: this.readyString, reason });
    }
    h.changed(this);
  }

  private sample(d: Distribution): number {
    return Math.max(0, d.sample(this.rng));
  }

  private *lifecycle(): ProcessGenerator<void> {
    const h = this.host;
    const env = h.env;
    const L = this.template.latencies;
    yield* env.timeout(this.sample(L.podScheduling));
    if (this.deletionRequested) return this.finish('deleted while Pending');
    this.node = h.pickNode(this.template.image);
    this.phase = 'ContainerCreating';
    this.emit(`Scheduled to ${this.node}`);
    yield* env.timeout(this.sample(L.sandboxCreation));
    this.ip = h.allocateIp();
    // Images: queue-proxy's is on every node already; the user image may need pulling.
    const cached = h.imageCached(this.node, this.template.image);
    yield* env.timeout(this.sample(cached ? L.imagePullCached : this.template.imagePull));
    if (this.deletionRequested) return this.finish('deleted while ContainerCreating');
    yield* env.timeout(this.sample(L.containerStart));
    this.userContainerRunning = true;
    yield* env.timeout(this.sample(L.containerStart));
    this.queueProxyRunning = true;
    h.net.listen(this.ip, QUEUE_SERVING_PORT, this.queueProxy.handler);
    this.phase = 'Running';
    this.emit(`Started containers (${cached ? 'image present on node' : 'image pulled'})`);
    const started = env.now;
    const appUp = env.timeout(this.sample(this.template.behavior.startup));
    appUp.addCallback(() => {
      this.user.listening = true;
    });
    const r = this.template.readiness;
    if (r.periodSeconds === 0) env.process(this.aggressiveProbe(), `queue-proxy probe ${this.name}`);
    yield* this.kubeletProbes(started);
  }

  /** queue-proxy probing the user container every 50 ms until it first succeeds. */
  private *aggressiveProbe(): ProcessGenerator<void> {
    const env = this.host.env;
    while (!this.deletionRequested) {
      if (this.user.probeReadiness()) {
        this.queueProxy.userReady = true;
        return;
      }
      yield* env.timeout(AGGRESSIVE_PROBE_PERIOD_MS);
    }
  }

  /**
   * kubelet's readiness probe of queue-proxy (`K-Network-Probe: queue`), on the user probe's
   * timing: first after initialDelaySeconds, then every periodSeconds (Kubernetes' 10 s when
   * unset). In aggressive mode queue-proxy holds the probe open while it keeps probing the user
   * container, up to the probe's timeout, so a fast app is Ready at the first probe.
   */
  private *kubeletProbes(started: number): ProcessGenerator<void> {
    const env = this.host.env;
    const r = this.template.readiness;
    const periodMs = (r.periodSeconds > 0 ? r.periodSeconds : K8S_DEFAULT_PERIOD_S) * 1000;
    const timeoutMs = Math.max(1, r.timeoutSeconds) * 1000;
    yield* env.timeoutAt(Math.max(env.now, started + r.initialDelaySeconds * 1000));
    while (!this.deletionRequested) {
      // With an explicit period queue-proxy probes the user container once per kubelet probe.
      if (r.periodSeconds === 0) {
        const deadline = env.now + timeoutMs;
        while (!this.queueProxy.userReady && env.now + AGGRESSIVE_PROBE_PERIOD_MS <= deadline && !this.deletionRequested) {
          yield* env.timeout(AGGRESSIVE_PROBE_PERIOD_MS);
        }
      }
      if (this.deletionRequested) return;
      if (this.queueProxy.probeReady) {
        this.k8sReady = true;
        this.readyAt = env.now;
        this.emit('Readiness probe of queue-proxy passed');
        return;
      }
      yield* env.timeout(periodMs);
    }
  }

  /** The Deployment scaled down: SIGTERM, drain, stop. */
  terminate(): void {
    if (this.deletionRequested) return;
    this.deletionRequested = true;
    if (this.phase === 'Pending' || this.phase === 'ContainerCreating') return; // the lifecycle stops at its next step
    this.phase = 'Terminating';
    this.k8sReady = false;
    this.queueProxy.draining = true;
    this.emit('Killing: scaled down');
    this.host.env.process(this.drain(), `drain ${this.name}`);
  }

  /**
   * queue-proxy's Drainer: the 30 s quiet timer (drainSleepDuration) starts at SIGTERM and every
   * request resets it; once it fires with nothing in flight, the user container's preStop
   * returns and both containers stop.
   */
  private *drain(): ProcessGenerator<void> {
    const env = this.host.env;
    const L = this.template.latencies;
    const qp = this.queueProxy;
    const sigterm = env.now;
    for (;;) {
      const quietUntil = Math.max(sigterm, qp.lastRequestAt) + DRAIN_SLEEP_MS;
      if (env.now >= quietUntil && qp.stats.concurrency === 0) break;
      yield* env.timeoutAt(Math.max(quietUntil, env.now + (qp.stats.concurrency > 0 ? 100 : 0)));
    }
    yield* env.timeout(this.sample(L.containerStop));
    this.userContainerRunning = false;
    this.user.listening = false;
    this.emit('user-container stopped after queue-proxy drained');
    yield* env.timeout(this.sample(L.containerStop));
    this.queueProxyRunning = false;
    if (this.ip !== null) this.host.net.close(this.ip, QUEUE_SERVING_PORT);
    this.emit('queue-proxy stopped');
    this.finish('pod deleted');
  }

  private finish(reason: string): void {
    this.phase = 'Terminated';
    this.k8sReady = false;
    this.userContainerRunning = false;
    this.queueProxyRunning = false;
    if (this.ip !== null) this.host.net.close(this.ip, QUEUE_SERVING_PORT);
    this.emit(reason);
  }
}
