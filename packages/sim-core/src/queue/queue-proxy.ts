import type { Environment } from '../engine/environment.js';
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import { FifoDeadlines, type DeadlineEntry } from '../engine/fifo-deadlines.js';
import { Interrupt } from '../engine/errors.js';
import type { Request } from '../engine/resource.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import { HttpHeaders, type HttpRequest, type HttpResponse } from '../net/http.js';
import { ConnectionReset, enterHop, interruptEach, NODE_LOST, isOwnDeadline, type DeadlineCause, type Handler, type RequestContext } from '../k8s/network.js';
import { Breaker, queueProxyBreakerParams } from './breaker.js';
import { RequestStats } from './stats.js';
import { toUserContainer } from './forwarded.js';
import { PER_REQUEST_CPU_MS, type CpuGroup } from '../k8s/cpu.js';
import type { Event } from '../engine/event.js';

/** Knative's queue-proxy serving port (HTTP/1). */
export const QUEUE_SERVING_PORT = 8012;

export interface QueueProxyConfig {
  containerConcurrency: number;
  /** spec.timeoutSeconds in ms (hard maximum request duration). */
  timeoutMs: number;
  /** responseStartTimeoutSeconds in ms, 0 when unset. */
  responseStartTimeoutMs: number;
  /** idleTimeoutSeconds in ms, 0 when unset. */
  idleTimeoutMs: number;
}

export interface UserContainerPort {
  /**
   * Hands a request to the user's program (the queue-proxy's reverse proxy target): what it
   * will answer and how long it works on it. queue-proxy waits `delayMs`, then `respond`s; the
   * program's hop closes with `close`, whichever way the request ends.
   */
  accept(req: HttpRequest, ctx: RequestContext): UserWork;
  /** Whether the program reads request headers (else what the reverse proxy adds to them is not built). */
  readonly readsHeaders: boolean;
  /** The program's answer once its work is done. */
  respond(work: UserWork, ctx: RequestContext): HttpResponse;
  /** The request left the program (answered, or abandoned by a deadline). */
  close(work: UserWork): void;
  /** True once the program listens on its port. */
  readonly listening: boolean;
  /**
   * One attempt of the user's readiness probe (SERVING_READINESS_PROBE) against the program, as
   * pkg/queue/readiness ProbeContainer makes it.
   */
  probeReadiness(): boolean;
}

/**
 * The interrupt cause of a request whose user container exited while it was working on it: the
 * connection from queue-proxy's reverse proxy breaks.
 */
export const USER_CONTAINER_EXITED = Object.freeze({ kind: 'user-container-exited' });

/** sharedmain/handlers.go adminHandler: a preStop drain without SIGTERM is reset after 1 s. */
export const PRESTOP_DRAIN_RESET_MS = 1000;

/** One request inside the user container: a wall-time wait, or CPU work on its cgroup (which includes that wait). */
export interface UserWork {
  readonly delayMs: number;
  /** A request the program makes after `delayMs` before it answers (null: none). */
  readonly upstream: Generator<any, void, any> | null;
  readonly cpu: Event<any> | null;
}

/**
 * The earliest of a revision's timeouts in ms, 0 when none is set. The three all end a request
 * that has produced no response yet, and the simulated user container writes its whole response
 * at once, so the earliest one decides (queue-proxy's and the activator's deadline).
 */
export function effectiveTimeoutMs(c: QueueProxyConfig): number {
  const ts = [c.timeoutMs, c.responseStartTimeoutMs, c.idleTimeoutMs].filter((x) => x > 0);
  return ts.length ? Math.min(...ts) : 0;
}

export function textResponse(status: number, body: string, extra?: Record<string, string>): HttpResponse {
  const headers = new HttpHeaders({ 'content-type': 'text/plain; charset=utf-8', ...extra });
  return { status, body, headers };
}

/**
 * The queue-proxy sidecar of one pod (pkg/queue/sharedmain): probes, the timeout handler,
 * request statistics and the breaker, then the user container on localhost.
 */
/**
 * How long a Linux peer retransmits on an established connection whose far end vanished before
 * the kernel reports ETIMEDOUT: net.ipv4.tcp_retries2 = 15 (Documentation/networking/ip-sysctl.rst,
 * "a hypothetical timeout of 924.6 seconds").
 */
export const TCP_GIVE_UP_MS = 924_600;
/** How long connect() waits for an unanswered SYN: net.ipv4.tcp_syn_retries = 6, 1+2+…+64 s = 127 s. */
export const TCP_SYN_GIVE_UP_MS = 127_000;

export class QueueProxy {
  readonly stats: RequestStats;
  readonly breaker: Breaker | null;
  private readonly deadlines: FifoDeadlines | null;
  private readonly deadlineCause: DeadlineCause;
  private readonly effectiveTimeoutMs: number;
  /** With periodSeconds 0: the start-up poll has seen the user container answer (see probeReady). */
  userReady = false;
  /** SIGTERM received: probes answer 503, requests are still served. */
  draining = false;
  /** Until when the user container's preStop drain fails the probes (a container restart). */
  private preStopDrainUntil = -Infinity;
  lastRequestAt: number;
  readonly handler: Handler;
  /**
   * The requests on this queue-proxy (a kill resets their connections): a list with each
   * request's index in its context, so entering and leaving cost no hashing (a Set keyed by the
   * processes cost about 10% of the stack benchmark's CPU time).
   */
  private readonly inFlight: RequestContext[] = [];
  /** The container was killed: nothing it held answers. */
  killed = false;
  /** queue-proxy's cgroup on the pod's node once scheduled: its per-request work is CPU there. */
  cpu: CpuGroup | null = null;

  constructor(
    private readonly env: Environment,
    readonly podName: string,
    config: QueueProxyConfig,
    private readonly user: UserContainerPort,
    private readonly processing: Distribution,
    private readonly rng: Rng,
    private readonly trace: TraceBus<KnsimTraceEvent>,
    /** The user's readiness probe has periodSeconds 0: queue-proxy probes aggressively. */
    private readonly aggressiveProbe: boolean,
  ) {
    this.stats = new RequestStats(env.now);
    const bp = queueProxyBreakerParams(config.containerConcurrency);
    this.breaker = bp ? new Breaker(env, bp) : null;
    this.effectiveTimeoutMs = effectiveTimeoutMs(config);
    this.deadlines = this.effectiveTimeoutMs > 0 ? new FifoDeadlines(env, this.effectiveTimeoutMs) : null;
    this.deadlineCause = { kind: 'deadline', owner: this, afterMs: this.effectiveTimeoutMs };
    this.lastRequestAt = env.now;
    // Made as a value, then stored: V8 pretenures `this.f = () => …` (docs/kernel.md, "Closures written into properties").
    const handler: Handler = (req, ctx, arrivalMs) => this.handle(req, ctx, arrivalMs);
    this.handler = handler;
  }

  /** The Drainer fails health checks: after SIGTERM, or during a preStop drain. */
  get healthDraining(): boolean {
    return this.draining || this.env.now < this.preStopDrainUntil;
  }

  /**
   * Whether a probe from kubelet or the activator (`K-Network-Probe: queue`) succeeds now:
   * pkg/queue/health ProbeHandler runs the user container's readiness probe afresh for every
   * probe (pkg/queue/readiness ProbeContainer), once with the probe's timeout when it has a
   * periodSeconds. With periodSeconds 0 each probe polls the app every 50 ms for up to 10 s;
   * knsim lets one poller find the app's first answer (`userReady`) and, after that, asks the app
   * once per probe.
   */
  get probeReady(): boolean {
    if (this.healthDraining || this.lostIp !== null) return false;
    if (this.aggressiveProbe && !this.userReady) return false;
    return this.user.probeReadiness();
  }

  /**
   * The user container's preStop hook (`GET :8022/wait-for-drain`, resources/deploy.go) when
   * kubelet kills it for a restart: Drain fails the probes, and without a SIGTERM of its own
   * queue-proxy resets the drain after 1 s, which returns the hook. Returns how long it holds.
   */
  preStopDrain(): number {
    if (this.draining) return 0;
    this.preStopDrainUntil = this.env.now + PRESTOP_DRAIN_RESET_MS;
    return PRESTOP_DRAIN_RESET_MS;
  }

  /**
   * SIGKILL (a force-deleted or crashed pod): every connection to this queue-proxy is reset at
   * once, the requests inside it included; their callers answer as they do for a reset.
   */
  kill(podIp: string | null): void {
    this.killed = true;
    this.draining = true;
    this.interruptHeld(podIp === null ? null : new ConnectionReset(podIp));
  }

  /**
   * The pod's node was lost (Cluster.loseNode): nothing answers any more and no reset comes back.
   * The requests held wait until a deadline above them fires, or their caller's kernel gives up
   * retransmitting (TCP_GIVE_UP_MS); a new connection to the pod is never accepted.
   */
  lose(podIp: string | null): void {
    if (this.lostIp !== null || podIp === null) return;
    this.lostIp = podIp;
    this.interruptHeld(NODE_LOST);
  }

  /** The pod's address once its node was lost. */
  private lostIp: string | null = null;

  private interruptHeld(cause: unknown): void {
    const held = this.inFlight.splice(0);
    for (const ctx of held) ctx.queueSlot = -1;
    if (cause !== null) interruptEach(held, cause);
  }

  /** The request leaves the in-flight list (swap with the last). */
  private leave(ctx: RequestContext): void {
    const i = ctx.queueSlot;
    if (i < 0) return;
    ctx.queueSlot = -1;
    const last = this.inFlight.pop()!;
    if (last !== ctx) {
      this.inFlight[i] = last;
      last.queueSlot = i;
    }
  }

  *handle(req: HttpRequest, ctx: RequestContext, arrivalMs = 0): Generator<any, HttpResponse, any> {
    const env = this.env;
    const hop = enterHop(ctx, 'queue-proxy', this.podName, env.now + arrivalMs);
    let qpJob: Event<any> | null = null;
    try {
      if (this.lostIp !== null) {
        // A connection to a lost node: the SYN is never answered (its callers that know a
        // connect timeout check Network.unreachable first).
        yield env.timeout(arrivalMs + TCP_SYN_GIVE_UP_MS);
        throw new Interrupt(new ConnectionReset(this.lostIp, 'timeout'));
      }
      const probe = req.headers.getLower('k-network-probe');
      if (probe !== undefined) {
        yield env.timeout(arrivalMs);
        if (this.healthDraining) return textResponse(503, 'shutting down');
        return this.probeReady ? textResponse(200, 'queue') : textResponse(503, 'queue not ready');
      }
      ctx.queueSlot = this.inFlight.length;
      this.inFlight.push(ctx);
      const processingMs = Math.max(0, this.processing.sample(this.rng));
      const cpu = this.cpu;
      if (cpu === null) yield env.timeout(arrivalMs + processingMs);
      else {
        // Its own work is CPU on the pod's node (docs/calibration.md): slower when the node is busy.
        qpJob = cpu.run(Math.min(PER_REQUEST_CPU_MS.queueProxy, processingMs), arrivalMs, processingMs);
        yield qpJob;
        cpu.end(qpJob);
      }
      const proxied = req.headers.getLower('k-proxy-request') === 'activator';
      this.stats.in(env.now, proxied);
      this.lastRequestAt = env.now;
      let slot: Request | true | null = null;
      let entry: DeadlineEntry | null = null;
      let work: UserWork | null = null;
      try {
        if (this.deadlines !== null) entry = this.deadlines.add(ctx.proc, this.deadlineCause);
        if (this.breaker !== null) {
          slot = this.breaker.maybe();
          if (slot === null) {
            if (this.trace.active) this.trace.emit({ type: 'queue.rejected', t: env.now, id: ctx.id, pod: this.podName, reason: 'pending request queue full' });
            return textResponse(503, 'pending request queue full');
          }
          if (slot !== true) yield* slot;
        }
        if (!this.user.listening) return textResponse(502, 'dial tcp 127.0.0.1:8080: connect: connection refused');
        // The user container on localhost: no network delay, only its own work.
        work = this.user.accept(this.user.readsHeaders ? toUserContainer(req) : req, ctx);
        yield work.cpu ?? env.timeout(work.delayMs);
        if (work.upstream !== null) yield* work.upstream;
        return this.user.respond(work, ctx);
      } catch (err) {
        // The reverse proxy's ErrorHandler (knative.dev/pkg network/error_handler.go): 502 with
        // Go's error for a connection the app closed before answering.
        if (err instanceof Interrupt && err.cause === USER_CONTAINER_EXITED) return textResponse(502, 'EOF');
        if (!isOwnDeadline(err, this)) throw err;
        if (this.trace.active) this.trace.emit({ type: 'timeout', t: env.now, id: ctx.id, component: 'queue-proxy', instance: this.podName, afterMs: this.effectiveTimeoutMs });
        return textResponse(504, 'request timeout');
      } finally {
        if (work !== null) this.user.close(work);
        if (slot === true) this.breaker!.releaseSlot();
        else if (slot !== null) slot.cancel();
        if (entry !== null) this.deadlines!.cancel(entry);
        this.stats.out(env.now, proxied);
        this.lastRequestAt = env.now;
      }
    } catch (err) {
      if (!(err instanceof Interrupt && err.cause === NODE_LOST)) throw err;
      // The node is gone with the request on it: no answer and no reset ever comes; the caller's
      // kernel retransmits until tcp_retries2 gives up, unless a deadline above fires first.
      yield env.timeout(TCP_GIVE_UP_MS);
      throw new Interrupt(new ConnectionReset(this.lostIp!, 'timeout'));
    } finally {
      if (qpJob !== null) this.cpu!.end(qpJob);
      this.leave(ctx);
      if (hop !== null) hop.endMs = env.now;
    }
  }
}
