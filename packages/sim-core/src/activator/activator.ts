import { SystemPodCpu, ACTIVATOR_CPU_LIMIT_CORES, PER_REQUEST_CPU_MS } from '../k8s/cpu.js';
import type { Environment } from '../engine/environment.js';
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import type { DeadlineEntry } from '../engine/fifo-deadlines.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import { HttpRequestMessage, REVISION_HEADERS, ReverseProxyEdit, type HttpRequest, type HttpResponse } from '../net/http.js';
import { ConnectionReset, DeadlineTimers, enterHop, InFlight, isConnectionReset, isOwnDeadline, type DeadlineTimer, type Handler, type Network, type RequestContext } from '../k8s/network.js';
import { QUEUE_SERVING_PORT, textResponse } from '../queue/queue-proxy.js';
import { ConcurrencyReporter, type StatSink } from './concurrency-reporter.js';
import { RevisionThrottler } from './throttler.js';
import type { PodTracker } from './lb-policy.js';

export const ACTIVATOR_PORT = 8012;
/** The header the activator adds to what it proxies, as a header line. */
const PROXY_REQUEST_LINES: readonly string[] = ['K-Proxy-Request', 'k-proxy-request', 'activator'];
/**
 * How long the activator's dialer waits for a connection to a pod that does not answer (a lost
 * node): knative.dev/pkg network.DefaultConnTimeout, 200 ms.
 */
export const ACTIVATOR_DIAL_TIMEOUT_MS = 200;
/** PROBE_FREQUENCY in revision_backends.go. */
export const ACTIVATOR_PROBE_PERIOD_MS = 200;

/** What the activator knows of a revision (from its informers). */
export interface RevisionInfo {
  /** `namespace/name`. */
  key: string;
  containerConcurrency: number;
  /** The earliest of the revision's timeouts in ms (timeoutSeconds, responseStart, idle), 0 = none. */
  timeoutMs: number;
  /**
   * revision_backends.go enableProbeOptimisation: a pod that answers the probe serves before
   * Kubernetes marks it Ready. Off when the user container has a startup probe or an exec
   * readiness probe, which queue-proxy's probe does not cover.
   */
  probeOptimisation: boolean;
}

/** How the activator reaches the rest of the cluster. */
export interface ActivatorEnvironment {
  revision(namespace: string, name: string): RevisionInfo | undefined;
  /** Whether the queue-proxy at this IP would answer the activator's health probe now. */
  probe(ip: string): boolean;
}

interface Backends {
  /** Addresses from the private service's endpoints (ready and not ready), with pod names. */
  known: Map<string, string>;
  /** The addresses Kubernetes marks Ready. */
  ready: Set<string>;
  healthy: Set<string>;
  probing: boolean;
  probeOptimisation: boolean;
}

/**
 * One activator pod (pkg/activator): the probe answer, the concurrency reporter, a timeout
 * handler with the revision's timeouts (body "activator request timeout"), and per revision a
 * throttler that buffers requests until a pod is healthy and then proxies to queue-proxy with
 * `K-Proxy-Request: activator`. Pods are found from the revision's private endpoints and
 * probed every 200 ms, so a pod serves through the activator as soon as its queue-proxy
 * answers, before Kubernetes marks it Ready.
 */
export class ActivatorPod {
  readonly reporter: ConcurrencyReporter;
  readonly handler: Handler;
  private readonly throttlers = new Map<string, RevisionThrottler>();
  private readonly backends = new Map<string, Backends>();
  private readonly deadlines: DeadlineTimers;
  private readonly subsets = new Map<string, { index: number; count: number }>();
  /** The activator pod's CPU (its limit's cores): its per-request work queues there when it is busy. */
  private readonly cpu: SystemPodCpu;
  /** The requests inside this activator (a restart resets their connections). */
  private readonly inFlight = new InFlight();
  /** Bumped by each restart: a request that entered an earlier incarnation cannot be answered by it. */
  private epoch = 0;
  /** Kubernetes' Ready for this pod (its readiness probe passes): only then is it in the endpoints. */
  ready = true;
  /** Container restarts (RESTARTS of `kubectl get pods`). */
  restarts = 0;

  constructor(
    private readonly env: Environment,
    readonly name: string,
    readonly ip: string,
    private readonly net: Network,
    private readonly cluster: ActivatorEnvironment,
    statSink: StatSink,
    private readonly processing: Distribution,
    private readonly rng: Rng,
    private readonly trace: TraceBus<KnsimTraceEvent>,
  ) {
    this.reporter = new ConcurrencyReporter(env, name, statSink);
    this.deadlines = new DeadlineTimers(env, this);
    this.cpu = new SystemPodCpu(env, name, ACTIVATOR_CPU_LIMIT_CORES);
    // Made as a value, then stored: V8 pretenures `this.f = () => …` (docs/kernel.md, "Closures written into properties").
    const handler: Handler = (req, ctx, arrivalMs) => this.handle(req, ctx, arrivalMs);
    this.handler = handler;
  }

  /**
   * The activator's container exits (a crash, an OOM kill) and kubelet restarts it in the same
   * pod: every connection it held is reset (the gateway answers those requests 503 UC), the new
   * process starts with empty throttlers and learns the endpoints again from its informers.
   * Returns how many requests were reset. The cluster takes the pod out of the endpoints until
   * it is Ready again.
   */
  crash(): number {
    this.epoch++;
    this.restarts++;
    this.ready = false;
    this.throttlers.clear();
    this.backends.clear();
    this.subsets.clear();
    return this.inFlight.interruptAll(new ConnectionReset(this.ip));
  }

  /** The throttler of a revision (created on first use). */
  throttler(key: string): RevisionThrottler | undefined {
    return this.throttlers.get(key);
  }

  private throttlerFor(key: string, info: RevisionInfo): RevisionThrottler {
    let t = this.throttlers.get(key);
    if (t === undefined) {
      t = new RevisionThrottler(this.env, info.containerConcurrency, this.rng);
      const sub = this.subsets.get(key);
      if (sub) t.updateActivators(sub.index, sub.count);
      const b = this.backends.get(key);
      if (b) t.updateBackends(this.healthyPods(b));
      this.throttlers.set(key, t);
    }
    return t;
  }

  /**
   * The revision's private endpoints changed (as the activator's informer sees them). As
   * revision_backends.go checkDests, pods that went from ready to not ready are probed again.
   */
  updateEndpoints(key: string, ready: ReadonlyArray<{ ip: string; pod: string }>, notReady: ReadonlyArray<{ ip: string; pod: string }>): void {
    let b = this.backends.get(key);
    if (b === undefined) {
      b = { known: new Map(), ready: new Set(), healthy: new Set(), probing: false, probeOptimisation: this.probeOptimisation(key) };
      this.backends.set(key, b);
    }
    const wasReady = b.ready;
    b.known = new Map([...ready, ...notReady].map((a) => [a.ip, a.pod]));
    b.ready = new Set(ready.map((a) => a.ip));
    for (const ip of wasReady) if (!b.ready.has(ip)) b.healthy.delete(ip);
    for (const ip of [...b.healthy]) if (!b.known.has(ip)) b.healthy.delete(ip);
    this.throttlers.get(key)?.updateBackends(this.healthyPods(b));
    if (b.healthy.size < b.known.size) this.startProbing(key, b);
  }

  /** The revision's activator subset (the SKS public endpoints) changed. */
  updateSubset(key: string, activatorIps: readonly string[]): void {
    const sorted = [...activatorIps].sort();
    const sub = { index: sorted.indexOf(this.ip), count: sorted.length };
    this.subsets.set(key, sub);
    this.throttlers.get(key)?.updateActivators(sub.index, sub.count);
  }

  /** getOrCreateRevisionWatcher reads it from the revision (its informer); default on. */
  private probeOptimisation(key: string): boolean {
    const slash = key.indexOf('/');
    return this.cluster.revision(key.slice(0, slash), key.slice(slash + 1))?.probeOptimisation ?? true;
  }

  private healthyPods(b: Backends): Array<{ ip: string; pod: string }> {
    return [...b.healthy].sort().map((ip) => ({ ip, pod: b.known.get(ip)! }));
  }

  private startProbing(key: string, b: Backends): void {
    if (b.probing) return;
    b.probing = true;
    const round = () => {
      let changed = false;
      for (const ip of [...b.known.keys()].sort()) {
        if (b.healthy.has(ip)) continue;
        // probePodIPs: without the probe optimisation only a Ready pod that answers counts.
        const ok = this.cluster.probe(ip) && (b.probeOptimisation || b.ready.has(ip));
        if (ok) {
          b.healthy.add(ip);
          changed = true;
        }
        if (this.trace.active) this.trace.emit({ type: 'activator.probe', t: this.env.now, activator: this.name, revision: key, pod: b.known.get(ip)!, healthy: ok });
      }
      if (changed) this.throttlers.get(key)?.updateBackends(this.healthyPods(b));
      if (b.healthy.size < b.known.size) this.env.timeout(ACTIVATOR_PROBE_PERIOD_MS).addCallback(round);
      else b.probing = false;
    };
    // The first probe round goes out at once; later rounds every PROBE_FREQUENCY.
    this.env.timeout(0).addCallback(round);
  }

  *handle(req: HttpRequest, ctx: RequestContext, arrivalMs = 0): Generator<any, HttpResponse, any> {
    const env = this.env;
    const hop = enterHop(ctx, 'activator', this.name, env.now + arrivalMs);
    const held = this.inFlight.enter(ctx);
    const epoch = this.epoch;
    try {
      // The activator's own work per request is CPU on its pod (docs/calibration.md).
      const processing = Math.max(0, this.processing.sample(this.rng));
      yield this.cpu.run(Math.min(PER_REQUEST_CPU_MS.activator, processing), arrivalMs, processing);
      const probe = req.headers.getLower('k-network-probe');
      if (probe === 'activator' || probe === 'probe') return textResponse(200, 'activator');
      const ns = req.headers.getLower('knative-serving-namespace');
      const rev = req.headers.getLower('knative-serving-revision');
      const info = ns && rev ? this.cluster.revision(ns, rev) : undefined;
      if (!ns || !rev || info === undefined) return textResponse(404, `revision ${ns ?? ''}/${rev ?? ''} not found`);
      const key = info.key;
      this.reporter.handleRequestIn(key);
      let entry: DeadlineEntry | null = null;
      let deadline: DeadlineTimer | null = null;
      try {
        if (info.timeoutMs > 0) {
          deadline = this.deadlines.of(info.timeoutMs);
          entry = deadline.arm(ctx.proc);
        }
        const throttler = this.throttlerFor(key, info);
        if (this.trace.active && (throttler.queued > 0 || throttler.inFlight >= throttler.capacity)) {
          this.trace.emit({
            type: 'activator.buffered',
            t: env.now,
            id: ctx.id,
            activator: this.name,
            revision: key,
            queued: throttler.queued + 1,
            reason: throttler.podCount === 0 ? 'no healthy pods yet (waiting for scale-up)' : 'all assigned pods at containerConcurrency',
          });
        }
        const tracker: PodTracker = throttler.tryAcquire() ?? (yield* throttler.waitForSlot());
        try {
          // The context handler has read the revision headers and removes them; the reverse
          // proxy appends its peer to X-Forwarded-For (pkg/activator/handler, httputil.ReverseProxy).
          // Deferred: written when queue-proxy or the program reads them.
          const headers = req.headers.cloneDeferring(new ReverseProxyEdit(PROXY_REQUEST_LINES, REVISION_HEADERS, req.remoteAddr));
          const fwd = new HttpRequestMessage(req.method, req.scheme, req.authority, req.path, headers, req.body, this.ip);
          const outMs = this.net.delay();
          const handler = this.net.handlerAt(tracker.ip, QUEUE_SERVING_PORT);
          if (this.net.unreachable(tracker.ip)) {
            // The pod's node is gone: the SYN is never answered and the dialer gives up.
            yield env.timeout(ACTIVATOR_DIAL_TIMEOUT_MS);
            return textResponse(502, `dial tcp ${tracker.ip}:${QUEUE_SERVING_PORT}: i/o timeout`);
          }
          if (handler === undefined) {
            yield env.timeout(outMs);
            return textResponse(502, `dial tcp ${tracker.ip}:${QUEUE_SERVING_PORT}: connect: connection refused`);
          }
          let res: HttpResponse;
          try {
            res = (yield handler(fwd, ctx, outMs)) as HttpResponse;
          } catch (err) {
            // Only a reset of the connection to the pod is this activator's to answer (not its
            // own restart, nor a gateway's above it).
            if (!isConnectionReset(err, tracker.ip) || epoch !== this.epoch) throw err;
            // The pod died with the request on it: the reverse proxy's ErrorHandler answers 502
            // with Go's error (knative.dev/pkg network/error_handler.go).
            const why = err.cause.reason === 'timeout' ? 'connection timed out' : 'connection reset by peer';
            res = textResponse(502, `read tcp ${this.ip}->${tracker.ip}:${QUEUE_SERVING_PORT}: read: ${why}`);
          }
          yield env.timeout(this.net.delay());
          return res;
        } finally {
          throttler.release(tracker);
        }
      } catch (err) {
        if (!isOwnDeadline(err, this) || epoch !== this.epoch) throw err;
        if (this.trace.active) this.trace.emit({ type: 'timeout', t: env.now, id: ctx.id, component: 'activator', instance: this.name, afterMs: info.timeoutMs });
        return textResponse(504, 'activator request timeout');
      } finally {
        if (entry !== null) deadline!.cancel(entry);
        this.reporter.handleRequestOut(key);
      }
    } finally {
      this.inFlight.leave(held);
      if (hop !== null) hop.endMs = env.now;
    }
  }
}
