import type { Environment } from '../engine/environment.js';
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import type { ProcessGenerator } from '../engine/process.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import { HttpHeaders, type HttpRequest, type HttpResponse } from '../net/http.js';
import { failsWhenUnhealthy, UNHEALTHY, type AppBehavior, type AppContext, type AppAnswer, type AppExit, type AppProcess } from '../app/behavior.js';
import type { Hop } from '../trace/events.js';
import type { Process } from '../engine/process.js';
import { QueueProxy, QUEUE_SERVING_PORT, textResponse, USER_CONTAINER_EXITED, type QueueProxyConfig, type UserContainerPort, type UserWork } from '../queue/queue-proxy.js';
import { enterHop, type Network, type RequestContext } from './network.js';
import type { LatencyModel } from '../apis/config/latencies.js';
import { ProbeResultRun, ProbeWorker, type ProbeKind, type ProbeListener, type ProbeOutcome, type ProbeSpec, type ProbedContainer } from './prober.js';
import { ContainerBackOff } from './backoff.js';
import type { AppFaults } from '../app/app-faults.js';
import type { Event } from '../engine/event.js';
import type { CpuGroup } from './cpu.js';
import type { ContainerResources } from './resources.js';
import { SCORING_DEFAULT_CPU, SCORING_DEFAULT_MEMORY, type SchedulingPod, type SimNode } from './scheduler.js';

/** The user's readiness probe as queue-proxy runs it (Knative moves it off the user container). */
export interface ReadinessSettings {
  type: 'tcp' | 'http';
  path: string;
  /** 0 (unset) means queue-proxy probes aggressively: every 50 ms. */
  periodSeconds: number;
  /** kubelet's probe of queue-proxy: a copy of the user's probe (its timing and thresholds). */
  kubelet: ProbeSpec;
}

/** The probes kubelet runs on the user container itself (null: none). */
export interface UserContainerProbes {
  startup: ProbeSpec | null;
  liveness: ProbeSpec | null;
  /** An exec readiness probe (the only kind that stays on the user container). */
  readiness: ProbeSpec | null;
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
  userProbes: UserContainerProbes;
  /** Image pull time when the node lacks the image (annotation or the cluster default). */
  imagePull: Distribution;
  /** The cluster's latencies with this revision's `knsim.dev/latency.*` overrides. */
  latencies: LatencyModel;
  /** Faults injected into the program for a while (Cluster.appErrors / appSlow); shared by the revision's pods. */
  appFaults: AppFaults;
  /** The containers' requests and limits (the user's from the manifest, queue-proxy's from config-deployment). */
  resources: { user: ContainerResources; queue: ContainerResources };
}

/** kubelet's exit code for a container the kernel's OOM killer ended (128 + SIGKILL). */
export const OOM_EXIT_CODE = 137;

/** The pod's STATUS column: its phase, or a waiting container's reason (the image pull's). */
export type PodPhase = 'Pending' | 'ContainerCreating' | 'ErrImagePull' | 'ImagePullBackOff' | 'Running' | 'Terminating' | 'Terminated';

/** kubelet's image pull back-off: 10 s doubling to 300 s (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff). */
export const IMAGE_PULL_BACKOFF_MS = { initial: 10_000, max: 300_000 } as const;

/** queue-proxy's aggressive probing period (pkg/queue/readiness: retryInterval). */
export const AGGRESSIVE_PROBE_PERIOD_MS = 50;
/** queue-proxy's drainSleepDuration: it exits after this long without a new request. */
export const DRAIN_SLEEP_MS = 30_000;
/** The container Knative names the user's (resources/deploy.go). */
export const USER_CONTAINER_NAME = 'user-container';

export interface PodHost {
  readonly env: Environment;
  readonly net: Network;
  readonly latencies: LatencyModel;
  readonly trace: TraceBus<KnsimTraceEvent>;
  allocateIp(): string;
  /** Whether the node the pod runs on already has the image (and records that it now will). */
  imageCached(node: string, image: string): boolean;
  /** Whether the node has the image, without recording anything. */
  hasImage(node: string, image: string): boolean;
  /** The scheduler's choice of node for this pod (pods of one revision are spread), null when none fits. */
  pickNode(pod: SchedulingPod): string | null;
  /** kube-scheduler's message for a pod no node takes. */
  unschedulableMessage(pod: SchedulingPod): string;
  /** Succeeds when a pod leaves a node: a Pending pod tries again. */
  roomFreed(): Event<any>;
  /** A node by name (its CPUs and memory). */
  node(name: string): SimNode;
  changed(pod: Pod): void;
  /** A request a program sends from the pod, through the cluster (cluster DNS from the pod's namespace). */
  outbound(req: PodOutboundRequest): Generator<any, PodOutboundResponse, any>;
}

/** What a program in a pod sends (the httpproxy test image's upstream request). */
export interface PodOutboundRequest {
  url: string;
  method: string;
  /** Header lines in order; a `Host` line sets the request's Host. */
  headers: ReadonlyArray<readonly [string, string]>;
  body: string;
  fromNamespace: string;
}

/** What came back; `status` 0 with `error` when nothing answered. */
export interface PodOutboundResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  error?: string;
}

/** Hop-by-hop headers Go's httputil.ReverseProxy drops before forwarding (reverseproxy.go hopHeaders). */
const HOP_HEADERS = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

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
  /** Memory this request holds in the container (bytes), until it leaves. */
  memoryBytes = 0;
  constructor(
    readonly delayMs: number,
    readonly result: AppAnswer,
    readonly hop: Hop | null,
    /** The request's process, which is waiting in queue-proxy for this answer. */
    readonly proc: Process<any>,
    /** An injected appErrors fault fails this request (500). */
    readonly injectedError: boolean,
    /** Its CPU work on the container's cgroup, the event its end is (null: it needs none, `delayMs` is all). */
    readonly cpu: Event<any> | null,
  ) {
    this.answer = result;
  }
  /** A request the program forwards after `delayMs` (AppAnswer.proxy); it sets `answer`. */
  upstream: Generator<any, void, any> | null = null;
  /** The answer: the program's, or the upstream's when it forwards. */
  answer: AppAnswer;
  /** Its place in the container's list of requests inside (InFlightList). */
  prev: AppWork | null = null;
  next: AppWork | null = null;
  listed = false;
}

/**
 * The requests inside a user container, in arrival order, as an intrusive doubly linked list:
 * O(1) to add and remove, and nothing allocated per request. A `Set` did the same work, but
 * every container's long-lived Set kept reallocating its table as requests came and went, and
 * those tables (and the requests they pointed to) survived scavenges: `bench stack` promoted
 * 131 MB instead of 28 MB (docs/kernel.md). Not network.ts's `InFlight`: that one swaps with
 * the last on leaving, and a container stops its requests in the order they came.
 */
class InFlightList {
  private head: AppWork | null = null;
  private tail: AppWork | null = null;

  add(w: AppWork): void {
    w.listed = true;
    w.prev = this.tail;
    w.next = null;
    if (this.tail === null) this.head = w;
    else this.tail.next = w;
    this.tail = w;
  }

  delete(w: AppWork): void {
    if (!w.listed) return;
    w.listed = false;
    if (w.prev === null) this.head = w.next;
    else w.prev.next = w.next;
    if (w.next === null) this.tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = w.next = null;
  }

  /** Every request inside, in arrival order, and the list emptied. */
  drain(): AppWork[] {
    const out: AppWork[] = [];
    for (let w = this.head; w !== null; ) {
      const next = w.next;
      w.listed = false;
      w.prev = w.next = null;
      out.push(w);
      w = next;
    }
    this.head = this.tail = null;
    return out;
  }
}

const PROBE_OK: ProbeOutcome = Object.freeze({ ok: true, message: '' });

/** The user container: the simulated program behind queue-proxy on localhost:8080. */
class UserContainer implements UserContainerPort, ProbedContainer {
  running = false;
  listening = false;
  started = false;
  instance = 0;
  startedAt = 0;
  /** Times kubelet restarted it (the RESTARTS column). */
  restartCount = 0;
  /** When this instance turns unhealthy (`knsim.dev/unhealthy-after`). */
  private unhealthyAt = Infinity;
  /** The program's current run (its state lives as long as the process). */
  private process: AppProcess | null = null;
  /** How the last instance exited by itself (kubectl's STATUS while it waits to restart). */
  waitingReason: 'Error' | 'Completed' | 'CrashLoopBackOff' | null = null;
  /**
   * Requests inside the program, which fail if it exits: kubelet's kill for a failed liveness or
   * startup probe, or the OOM killer, stops a program with requests inside (a scale-down drains
   * first).
   */
  private readonly inFlight = new InFlightList();
  /** The container's cgroup on its node, once scheduled (CPU work is shared there). */
  cpu: CpuGroup | null = null;
  node: SimNode | null = null;
  /** Memory the requests inside hold now (bytes). */
  memoryInUse = 0;
  /** Why the last instance ended (`kubectl get pod`'s lastState.terminated), and the state kubelet shows while it waits to restart it. */
  lastTermination: { reason: string; exitCode: number; message?: string } | null = null;
  /** Who answered, as the client reports it (the same for every response of this container). */
  private readonly servedBy: { readonly revision: string; readonly pod: string };

  get readsHeaders(): boolean {
    return this.pod.template.behavior.readsHeaders;
  }
  /** The handler's context: one object, updated before each call (handlers answer synchronously). */
  private readonly appCtx: AppContext;
  constructor(
    private readonly pod: Pod,
    private readonly rng: Rng,
  ) {
    this.servedBy = Object.freeze({ revision: pod.template.revision, pod: pod.name });
    this.appCtx = { env: pod.template.env, revision: pod.template.revision, pod: pod.name, nowMs: 0, rng };
  }

  /** kubelet starts an instance; with a startup probe it has not `started` until that passes. */
  start(now: number): void {
    this.running = true;
    this.started = this.pod.template.userProbes.startup === null;
    this.instance++;
    this.startedAt = now;
    this.waitingReason = null;
    this.process = this.pod.template.behavior.start(this.pod.template.env, now);
  }

  /** When the program listens (after its start-up) and when it exits by itself, for this run. */
  get run(): { listenDelayMs: number; exit: AppExit | null } {
    return this.process ?? { listenDelayMs: 0, exit: null };
  }

  private get respondFn(): AppProcess['respond'] {
    return this.process?.respond ?? this.pod.template.behavior.respond;
  }

  /** The program is up and listens; an unhealthy-after clock starts now. */
  listen(now: number): void {
    this.listening = true;
    const d = this.pod.template.behavior.unhealthyAfter;
    this.unhealthyAt = d === null ? Infinity : now + Math.max(0, d.sample(this.rng));
  }

  /** The process exits: requests inside it lose their connection. */
  stop(interruptRequests = true): void {
    this.running = false;
    this.listening = false;
    this.started = false;
    for (const w of this.inFlight.drain()) {
      this.releaseMemory(w);
      if (interruptRequests && w.proc.isAlive) w.proc.interrupt(USER_CONTAINER_EXITED);
    }
  }

  private releaseMemory(w: AppWork): void {
    if (w.memoryBytes === 0) return;
    this.memoryInUse -= w.memoryBytes;
    if (this.node !== null) this.node.memoryInUse -= w.memoryBytes;
    w.memoryBytes = 0;
  }

  /**
   * The request's memory joins the container's. Over the container's memory limit the cgroup's
   * OOM killer ends the program; without a limit, over the node's allocatable memory the
   * kernel's does (knsim picks the container that allocated).
   */
  private holdMemory(w: AppWork, bytes: number): void {
    w.memoryBytes = bytes;
    this.memoryInUse += bytes;
    const node = this.node;
    if (node !== null) node.memoryInUse += bytes;
    const limit = this.pod.template.resources.user.memoryLimit;
    const over = limit > 0 ? this.memoryInUse > limit : node !== null && node.memoryInUse > node.allocatable.memory;
    if (over) {
      const instance = this.instance;
      // The kill lands once the allocating request is inside (it fails with the others).
      this.pod.host.env.timeout(0).addCallback(() => {
        if (this.instance === instance && this.running) this.pod.oomKilled();
      });
    }
  }

  private unhealthyFor(target: string | null, now: number): boolean {
    return now >= this.unhealthyAt && failsWhenUnhealthy(this.pod.template.behavior, target);
  }

  accept(req: HttpRequest, ctx: RequestContext): AppWork {
    const pod = this.pod;
    const now = pod.host.env.now;
    const hop = enterHop(ctx, 'app', pod.name, now);
    const b = pod.template.behavior;
    this.appCtx.nowMs = now;
    const result = this.unhealthyFor(req.path, now) ? UNHEALTHY : this.respondFn(req, this.appCtx);
    let delayMs = Math.max(0, b.serviceTime.sample(this.rng) + (result.delayMs ?? 0));
    let injectedError = false;
    const faults = pod.template.appFaults;
    if (faults.any) {
      delayMs += faults.extraMs(now);
      const rate = faults.errorRate(now);
      injectedError = rate > 0 && this.rng.next() < rate;
    }
    const cpuMs = result.cpuMs ?? 0;
    const cpu = cpuMs > 0 && this.cpu !== null ? this.cpu.run(cpuMs, 0, delayMs) : null;
    const work = new AppWork(delayMs, result, hop, ctx.proc, injectedError, cpu);
    if (result.proxy !== undefined && !injectedError) work.upstream = this.forward(work, req, result.proxy);
    this.inFlight.add(work);
    const mem = result.memoryBytes ?? 0;
    if (mem > 0) this.holdMemory(work, mem);
    return work;
  }

  /**
   * Go's httputil.ReverseProxy (the httpproxy test image): the request as the program got it,
   * hop-by-hop headers dropped, its peer (queue-proxy, 127.0.0.1) appended to X-Forwarded-For and
   * the Host reset, sent from the pod through the cluster; a failure is the ErrorHandler's 502.
   */
  private *forward(work: AppWork, req: HttpRequest, call: NonNullable<AppAnswer['proxy']>): Generator<any, void, any> {
    const headers: Array<[string, string]> = [['Host', call.host]];
    let xff: string | undefined;
    for (const [k, v] of req.headers.entries()) {
      const lower = k.toLowerCase();
      if (lower === 'host' || HOP_HEADERS.includes(lower)) continue;
      if (lower === 'x-forwarded-for') xff = xff === undefined ? v : `${xff}, ${v}`;
      else headers.push([k, v]);
    }
    headers.push(['X-Forwarded-For', xff === undefined ? '127.0.0.1' : `${xff}, 127.0.0.1`]);
    const r = yield* this.pod.host.outbound({ url: call.target + req.path, method: req.method, headers, body: req.body, fromNamespace: this.pod.template.namespace });
    if (r.status === 0) {
      const err = r.error ?? 'connection refused';
      const host = /^Could not resolve host: (.*)$/.exec(err);
      const msg = host ? `dial tcp: lookup ${host[1]}: no such host` : `dial tcp ${call.target.replace(/^https?:\/\//, '')}: connect: connection refused`;
      work.answer = { status: 502, body: `${msg}\n`, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } };
    } else {
      work.answer = { status: r.status, body: r.body, headers: r.headers };
    }
  }

  respond(work: AppWork, ctx: RequestContext): HttpResponse {
    const b = this.pod.template.behavior;
    ctx.servedBy = this.servedBy;
    if (work.injectedError || (b.errorRate > 0 && this.rng.next() < b.errorRate)) return textResponse(500, 'Internal Server Error\n');
    const r = work.answer;
    return { status: r.status, body: r.body, headers: responseHeaders(r.headers) };
  }

  close(work: AppWork): void {
    this.inFlight.delete(work);
    if (work.cpu !== null) this.cpu!.end(work.cpu);
    this.releaseMemory(work);
    if (work.hop !== null) work.hop.endMs = this.pod.host.env.now;
  }

  /** queue-proxy's readiness probe of the program, at 127.0.0.1. */
  probeReadiness(): boolean {
    const r = this.pod.template.readiness;
    return this.attempt(r.type, r.path, '127.0.0.1').ok;
  }

  /** kubelet's probe of the container, at the pod's address. */
  check(spec: ProbeSpec): ProbeOutcome {
    return this.attempt(spec.handler, spec.path, this.pod.ip ?? '', spec.command);
  }

  /**
   * One probe attempt (pkg/probe/http, pkg/probe/tcp): a TCP probe passes while the program
   * listens, an HTTP probe when it answers 200–399. knsim cannot run an exec probe's command
   * or speak gRPC health: those pass while the program listens and is not unhealthy.
   */
  private attempt(handler: ProbeSpec['handler'], path: string, host: string, command?: readonly string[]): ProbeOutcome {
    const port = this.pod.template.env.PORT ?? '8080';
    const now = this.pod.host.env.now;
    if (!this.listening) {
      const dial = `dial tcp ${host}:${port}: connect: connection refused`;
      return { ok: false, message: handler === 'http' ? `Get "http://${host}:${port}${path}": ${dial}` : dial };
    }
    if (handler === 'tcp') return PROBE_OK;
    if (handler === 'exec' && command !== undefined && this.process?.exec !== undefined && !this.unhealthyFor(null, now)) {
      const code = this.process.exec(command, { env: this.pod.template.env, revision: this.pod.template.revision, pod: this.pod.name, nowMs: now, rng: this.rng });
      if (code !== null) return code === 0 ? PROBE_OK : { ok: false, message: `command ${JSON.stringify(command.join(' '))} exited with ${code}` };
    }
    if (handler !== 'http') return this.unhealthyFor(null, now) ? { ok: false, message: `${handler} probe failed: the app is unhealthy` } : PROBE_OK;
    const t = this.pod.template;
    const status = this.unhealthyFor(path, now)
      ? UNHEALTHY.status
      : this.respondFn(
          { method: 'GET', scheme: 'http', authority: `${host}:${port}`, path, headers: new HttpHeaders({ 'user-agent': 'kube-probe' }), body: '' },
          { env: t.env, revision: t.revision, pod: this.pod.name, nowMs: now, rng: this.rng },
        ).status;
    return status >= 200 && status < 400 ? PROBE_OK : { ok: false, message: `HTTP probe failed with statuscode: ${status}` };
  }
}

/**
 * One revision pod: user container plus queue-proxy, through the phases `kubectl get pods -w`
 * shows. Its IP appears once the sandbox exists (a not-ready endpoint the activator can probe);
 * Kubernetes marks it Ready when every container is: queue-proxy once kubelet's readiness probe
 * of it passes, the user container once it runs and has started (its startup probe passed) and,
 * with an exec readiness probe, passes that. kubelet restarts the user container when its
 * liveness or startup probe fails.
 */
export class Pod implements ProbeListener {
  phase: PodPhase = 'Pending';
  ip: string | null = null;
  node: string | null = null;
  /** Kubernetes' Ready condition (what Endpoints and the autoscaler's ready count use). */
  k8sReady = false;
  queueProxyRunning = false;
  readonly createdAt: number;
  /** When the pod last became Ready. */
  readyAt: number | null = null;
  deletionRequested = false;
  readonly queueProxy: QueueProxy;
  /** kubelet's readiness result for queue-proxy. */
  private queueProxyReady = false;
  private readonly user: UserContainer;
  private readonly rng: Rng;
  /** kubelet's probe workers on the user container. */
  private readonly workers: ProbeWorker[] = [];
  private readonly userReadiness: ProbeWorker | null = null;
  private readonly backOff = new ContainerBackOff();
  /** When the user container's last instance exited. */
  private lastExitAt: number | null = null;
  /** The user container's last exit by itself (status.containerStatuses[].lastState.terminated): code and message. */
  lastTermination: { code: number; message: string } | null = null;
  private restarting = false;

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
    const probes = template.userProbes;
    for (const [kind, spec] of [['startup', probes.startup], ['readiness', probes.readiness], ['liveness', probes.liveness]] as const) {
      if (spec === null) continue;
      const w = new ProbeWorker(host.env, kind, spec, this.user, this);
      this.workers.push(w);
      if (kind === 'readiness') this.userReadiness = w;
    }
    this.emit('created');
    host.env.process(this.lifecycle(), `pod ${name}`);
  }

  /** RESTARTS of `kubectl get pods`: the user container's restarts (queue-proxy never restarts). */
  get restarts(): number {
    return this.user.restartCount;
  }

  /** The user container's Ready: it runs, has started, and passes an exec readiness probe if it has one. */
  private get userContainerReady(): boolean {
    return this.user.running && this.user.started && (this.userReadiness === null || this.userReadiness.result === true);
  }

  /**
   * READY column of `kubectl get pods`: ready containers out of 2. A terminating pod leaves the
   * endpoints at once, but its containers stay ready until they stop (seed 004's watch:
   * `2/2 Terminating`, then `1/2`, then `0/2`).
   */
  get readyString(): string {
    const user = this.userContainerReady ? 1 : 0;
    const qp = this.queueProxyRunning && this.queueProxyReady ? 1 : 0;
    return `${user + qp}/2`;
  }

  /** Terminated, or on a lost node (narrowing-proof: either can end the lifecycle while it waits). */
  private get dead(): boolean {
    return this.phase === 'Terminated' || this.lost;
  }

  /** Its node was lost (Cluster.loseNode): the pod neither answers nor changes any more. */
  lost = false;

  /**
   * The node vanished (no drain): kubelet stops, so nothing on the pod moves any more — its
   * probes stop, its lifecycle freezes, requests inside it never get an answer (QueueProxy.lose)
   * and connections to its address time out. The API still shows it as it was, Ready included,
   * until the node lifecycle controller marks it NotReady (markNotReady).
   */
  lose(): void {
    if (this.phase === 'Terminated' || this.lost) return;
    this.lost = true;
    for (const w of this.workers) w.stop();
    this.queueProxy.lose(this.ip);
    if (this.ip !== null) this.host.net.loseAddress(this.ip);
  }

  /** The node lifecycle controller's MarkPodsNotReady once the node is NotReady: the pod leaves the endpoints. */
  markNotReady(why: string): void {
    if (this.phase === 'Terminated') return;
    this.k8sReady = false;
    this.emit(why);
  }

  /**
   * Taint-based eviction of a pod on a lost node: the API server sets its deletionTimestamp, so
   * the ReplicaSet replaces it; kubelet is not there to finish the deletion, so it stays
   * Terminating.
   */
  evict(why: string): void {
    if (this.phase === 'Terminated' || this.deletionRequested) return;
    this.deletionRequested = true;
    this.k8sReady = false;
    this.phase = 'Terminating';
    this.emit(why);
  }

  get key(): string {
    return `${this.template.namespace}/${this.template.revision}`;
  }

  private emit(reason: string): void {
    const h = this.host;
    if (h.trace.active) {
      h.trace.emit({
        type: 'pod.phase',
        t: h.env.now,
        namespace: this.template.namespace,
        pod: this.name,
        revision: this.template.revision,
        phase: this.phase,
        ready: this.readyString,
        restarts: this.user.restartCount,
        reason,
      });
    }
    h.changed(this);
  }

  /** A container's readiness changed: the pod's Ready condition follows (kubelet's status manager). */
  private containersChanged(reason: string): void {
    const ready = this.queueProxyReady && this.userContainerReady && this.phase === 'Running' && !this.deletionRequested;
    if (ready && !this.k8sReady) this.readyAt = this.host.env.now;
    this.k8sReady = ready;
    this.emit(reason);
  }

  private sample(d: Distribution): number {
    return Math.max(0, d.sample(this.rng));
  }

  /** The pod as the scheduler sees it: the sum of its two containers' requests. */
  private schedulingSpec(): SchedulingPod {
    const { user, queue } = this.template.resources;
    const nz = (v: number, d: number) => (v > 0 ? v : d);
    return {
      name: this.name,
      key: this.key,
      image: this.template.image,
      requests: { cpu: user.cpuRequest + queue.cpuRequest, memory: user.memoryRequest + queue.memoryRequest },
      scoringRequests: {
        cpu: nz(user.cpuRequest, SCORING_DEFAULT_CPU) + nz(queue.cpuRequest, SCORING_DEFAULT_CPU),
        memory: nz(user.memoryRequest, SCORING_DEFAULT_MEMORY) + nz(queue.memoryRequest, SCORING_DEFAULT_MEMORY),
      },
    };
  }

  /** Each container gets its cgroup on the node: CPU weight from its request, a CFS quota from its limit. */
  private placeContainers(node: SimNode): void {
    const { user, queue } = this.template.resources;
    this.user.node = node;
    this.user.cpu = node.cpu.group(`${this.name}/${USER_CONTAINER_NAME}`, user.cpuRequest, user.cpuLimit);
    this.queueProxy.cpu = node.cpu.group(`${this.name}/queue-proxy`, queue.cpuRequest, queue.cpuLimit);
  }

  /** kube-scheduler's message while no node takes the pod (null once scheduled). */
  unschedulable: string | null = null;

  /** CPU time the user container has used (ms at one core). */
  get userCpuMs(): number {
    return this.user.cpu?.usedMs ?? 0;
  }

  /** Memory the user container's requests hold now (bytes). */
  get userMemoryBytes(): number {
    return this.user.memoryInUse;
  }

  /** The user container's last termination (OOMKilled, 137) and its waiting reason (CrashLoopBackOff), for `kubectl get pod`. */
  get userContainerState(): { lastTermination: { reason: string; exitCode: number; message?: string } | null; waiting: string | null } {
    return { lastTermination: this.user.lastTermination, waiting: this.user.waitingReason };
  }

  /**
   * The kernel's OOM killer ended the user container (over its memory limit): it exits at once
   * with reason OOMKilled and exit code 137, the requests inside it fail (queue-proxy answers
   * 502), and kubelet starts it again under the CrashLoopBackOff (restartPolicy Always).
   */
  oomKilled(): void {
    if (this.restarting || this.deletionRequested || this.dead) return;
    this.host.env.process(this.restartAfterOom(), `restart ${this.name}`);
  }

  private *restartAfterOom(): ProcessGenerator<void> {
    this.restarting = true;
    try {
      this.user.lastTermination = { reason: 'OOMKilled', exitCode: OOM_EXIT_CODE };
      yield* this.exitAndRestart(`Container ${USER_CONTAINER_NAME} OOMKilled (exit code ${OOM_EXIT_CODE})`, true);
    } finally {
      this.restarting = false;
    }
  }

  private *lifecycle(): ProcessGenerator<void> {
    const h = this.host;
    const env = h.env;
    const L = this.template.latencies;
    yield* env.timeout(this.sample(L.podScheduling));
    if (this.deletionRequested) return this.finish('deleted while Pending');
    const spec = this.schedulingSpec();
    let node = h.pickNode(spec);
    while (node === null) {
      // FailedScheduling: Pending until a pod leaves some node, then the scheduler tries again.
      this.unschedulable = h.unschedulableMessage(spec);
      this.emit(`FailedScheduling: ${this.unschedulable}`);
      yield* h.roomFreed();
      if (this.deletionRequested) return this.finish('deleted while Pending');
      node = h.pickNode(spec);
    }
    this.unschedulable = null;
    this.node = node;
    this.placeContainers(h.node(node));
    this.phase = 'ContainerCreating';
    this.emit(`Scheduled to ${this.node}`);
    // kubelet's SyncPod starts the probe workers before it creates the sandbox.
    for (const w of this.workers) env.process(w.loop(), `${w.kind} probe ${this.name}`);
    yield* env.timeout(this.sample(L.sandboxCreation));
    this.ip = h.allocateIp();
    // Images: queue-proxy's is on every node already; the user image may need pulling.
    // An imagePullFailure fault fails each pull the node needs (a cached image is not pulled):
    // ErrImagePull, then ImagePullBackOff for kubelet's back-off before the next attempt.
    const faults = this.template.appFaults;
    let backOffMs: number = IMAGE_PULL_BACKOFF_MS.initial;
    while (faults.pullFails(env.now) && !h.hasImage(this.node, this.template.image)) {
      yield* env.timeout(this.sample(L.imagePullCached));
      if (this.deletionRequested || this.dead) return this.finish('deleted while pulling the image');
      this.phase = 'ErrImagePull';
      this.emit(`Failed to pull image "${this.template.image}": the imagePullFailure fault`);
      this.phase = 'ImagePullBackOff';
      this.emit(`Back-off pulling image "${this.template.image}" (${backOffMs / 1000} s)`);
      yield* env.timeout(backOffMs);
      if (this.deletionRequested || this.dead) return this.finish('deleted while pulling the image');
      backOffMs = Math.min(backOffMs * 2, IMAGE_PULL_BACKOFF_MS.max);
      this.phase = 'ContainerCreating';
    }
    const cached = h.imageCached(this.node, this.template.image);
    yield* env.timeout(this.sample(cached ? L.imagePullCached : this.template.imagePull));
    if (this.deletionRequested) return this.finish('deleted while ContainerCreating');
    yield* env.timeout(this.sample(L.containerStart));
    if (this.dead) return; // killed
    this.user.start(env.now);
    yield* env.timeout(this.sample(L.containerStart));
    if (this.dead) return;
    this.queueProxyRunning = true;
    h.net.listen(this.ip, QUEUE_SERVING_PORT, this.queueProxy.handler);
    this.phase = 'Running';
    this.emit(`Started containers (${cached ? 'image present on node' : 'image pulled'})`);
    const started = env.now;
    this.startApp();
    this.userReadiness?.doProbe();
    if (this.template.readiness.periodSeconds === 0) env.process(this.aggressiveProbe(), `queue-proxy probe ${this.name}`);
    yield* this.queueProxyReadiness(started);
  }

  /**
   * The program in the user container starts up and then listens (if this instance still runs),
   * unless it exits first; a program that exits by itself is restarted by kubelet.
   */
  private startApp(): void {
    const env = this.host.env;
    const user = this.user;
    const instance = user.instance;
    const { listenDelayMs, exit } = user.run;
    const listenAfter = this.sample(this.template.behavior.startup) + listenDelayMs;
    if (Number.isFinite(listenAfter) && (exit === null || listenAfter < exit.afterMs)) {
      env.timeout(listenAfter).addCallback(() => {
        if (user.instance === instance && user.running) user.listen(env.now);
      });
    }
    if (exit === null) return;
    env.timeout(exit.afterMs).addCallback(() => {
      if (user.instance === instance && user.running && !this.restarting && !this.deletionRequested) env.process(this.exited(exit), `exit ${this.name}`);
    });
  }

  /**
   * The program exited by itself (os.Exit, log.Fatal): kubelet sees the container terminated
   * (kubectl's STATUS `Error`, or `Completed` for code 0) and, under the pod's restartPolicy
   * Always, starts it again — at once the first time, then after the CrashLoopBackOff measured
   * from this exit (kuberuntime_manager.go doBackOff: IsInBackOffSince the exit's FinishedAt,
   * then Next).
   */
  private *exited(exit: AppExit): ProcessGenerator<void> {
    const env = this.host.env;
    this.restarting = true;
    try {
      const exitedAt = env.now;
      this.user.stop();
      this.user.waitingReason = exit.code === 0 ? 'Completed' : 'Error';
      this.lastTermination = { code: exit.code, message: exit.message };
      this.user.lastTermination = { reason: exit.code === 0 ? 'Completed' : 'Error', exitCode: exit.code, ...(exit.message ? { message: exit.message } : {}) };
      this.containersChanged(`Container ${USER_CONTAINER_NAME} exited with code ${exit.code}${exit.message ? `: ${exit.message}` : ''}`);
      this.lastExitAt = exitedAt;
      if (this.backOff.isInBackOffSince(exitedAt, env.now)) {
        this.user.waitingReason = 'CrashLoopBackOff';
        this.emit(`BackOff: Back-off restarting failed container ${USER_CONTAINER_NAME}`);
        yield* env.timeout(this.backOff.waitMs(exitedAt, env.now));
        if (this.deletionRequested) return;
      }
      this.backOff.next(exitedAt, env.now);
      this.user.restartCount++;
      yield* this.startUserContainerAgain();
    } finally {
      this.restarting = false;
    }
  }

  /** STATUS of `kubectl get pods`: the phase, or the user container's state while it is down after exiting. */
  get status(): string {
    return this.phase === 'Running' && this.user.waitingReason !== null && !this.user.running ? this.user.waitingReason : this.phase;
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
   * timing and thresholds: first after initialDelaySeconds, then every periodSeconds
   * (Kubernetes' 10 s when unset). In aggressive mode queue-proxy holds the probe open while it
   * keeps probing the user container, up to the probe's timeout, so a fast app is Ready at the
   * first probe.
   */
  private *queueProxyReadiness(started: number): ProcessGenerator<void> {
    const env = this.host.env;
    const r = this.template.readiness;
    const k = r.kubelet;
    const periodMs = k.periodSeconds * 1000;
    const results = new ProbeResultRun(k);
    yield* env.timeoutAt(Math.max(env.now, started + k.initialDelaySeconds * 1000));
    while (!this.deletionRequested) {
      const probedAt = env.now;
      let ok = this.queueProxy.probeReady;
      if (r.periodSeconds === 0) {
        const deadline = env.now + k.timeoutSeconds * 1000;
        while (!ok && env.now + AGGRESSIVE_PROBE_PERIOD_MS <= deadline && !this.deletionRequested) {
          yield* env.timeout(AGGRESSIVE_PROBE_PERIOD_MS);
          ok = this.queueProxy.probeReady;
        }
      }
      if (this.deletionRequested || this.lost) return;
      const result = results.record(ok);
      const changed = result !== null && result !== this.queueProxyReady;
      // queue-proxy answers a failed probe 503 (pkg/queue/health/handler.go).
      const outcome = ok ? PROBE_OK : { ok, message: 'HTTP probe failed with statuscode: 503' };
      this.traceProbe('queue-proxy', 'readiness', outcome, results.run, ok ? k.successThreshold : k.failureThreshold, changed);
      if (changed) {
        this.queueProxyReady = result;
        this.containersChanged(`Readiness probe of queue-proxy ${result ? 'passed' : 'failed'}`);
      }
      // The worker's ticker: a probe held open does not delay the next one.
      yield* env.timeout(periodMs - (env.now - probedAt));
    }
  }

  /** A kubelet probe attempt, in the trace: every failure, and a success that changes the result. */
  private traceProbe(container: string, probe: ProbeKind, outcome: ProbeOutcome, consecutive: number, threshold: number, changed: boolean): void {
    const h = this.host;
    if (!h.trace.active || (outcome.ok && !changed)) return;
    h.trace.emit({
      type: 'kubelet.probe',
      t: h.env.now,
      namespace: this.template.namespace,
      revision: this.template.revision,
      pod: this.name,
      container,
      probe,
      result: outcome.ok ? 'Success' : 'Failure',
      message: outcome.message,
      consecutive,
      threshold,
    });
  }

  probed(kind: ProbeKind, outcome: ProbeOutcome, consecutive: number, threshold: number, changed: boolean): void {
    this.traceProbe(USER_CONTAINER_NAME, kind, outcome, consecutive, threshold, changed);
  }

  resultChanged(kind: ProbeKind, result: boolean): void {
    if (kind === 'startup' && result) {
      this.user.started = true;
      this.containersChanged('Startup probe of user-container passed');
      // prober_manager.go UpdatePodStatus: a started container's readiness probe without a result runs at once.
      this.userReadiness?.doProbe();
    } else if (kind === 'readiness') {
      this.containersChanged(`Readiness probe of user-container ${result ? 'passed' : 'failed'}`);
    } else if (!result && !this.restarting && !this.deletionRequested) {
      this.host.env.process(this.restartUserContainer(kind), `restart ${this.name}`);
    }
  }

  /**
   * kubelet kills the user container whose liveness or startup probe failed and starts it again
   * (kuberuntime_manager.go computePodActions, "will be restarted"): the preStop hook lets
   * queue-proxy drain for 1 s, SIGTERM ends the program — the requests inside it fail — and the
   * next instance starts, unless the CrashLoopBackOff holds it (kuberuntime_manager.go SyncPod,
   * doBackOff).
   */
  private *restartUserContainer(kind: ProbeKind): ProcessGenerator<void> {
    const env = this.host.env;
    const L = this.template.latencies;
    this.restarting = true;
    try {
      this.emit(`Killing: Container ${USER_CONTAINER_NAME} failed ${kind} probe, will be restarted`);
      yield* env.timeout(this.queueProxy.preStopDrain());
      if (this.deletionRequested) return;
      yield* env.timeout(this.sample(L.containerStop));
      if (this.deletionRequested) return;
      this.user.lastTermination = { reason: 'Error', exitCode: 143 };
      yield* this.exitAndRestart(`Container ${USER_CONTAINER_NAME} exited`, false);
    } finally {
      this.restarting = false;
    }
  }

  /**
   * The user container's instance exits now; kubelet starts the next one, after the back-off if
   * it is in one. A container that ended by itself (`selfExit`: the OOM killer) is judged by this
   * exit: kubelet's next SyncPod finds it exited and doBackOff checks the back-off since then.
   */
  private *exitAndRestart(why: string, selfExit: boolean): ProcessGenerator<void> {
    const env = this.host.env;
    {
      const exitedAt = env.now;
      this.user.stop();
      this.user.restartCount++;
      this.containersChanged(why);
      // A kill for a failed probe: SyncPod kills and starts the container in one sync, and
      // doBackOff reads the pod status from before the kill, whose latest exited instance is the
      // one before this (none the first time). Only when that one is still in its back-off does
      // the start wait, and the later syncs measure the back-off from this exit.
      const previousExit = selfExit ? exitedAt : this.lastExitAt;
      this.lastExitAt = exitedAt;
      if (previousExit !== null && this.backOff.isInBackOffSince(previousExit, env.now)) {
        this.user.waitingReason = 'CrashLoopBackOff';
        this.emit(`BackOff: Back-off restarting failed container ${USER_CONTAINER_NAME}`);
        yield* env.timeout(this.backOff.waitMs(exitedAt, env.now));
        this.user.waitingReason = null;
        if (this.deletionRequested) return;
        this.backOff.next(exitedAt, env.now);
      } else if (previousExit !== null) {
        this.backOff.next(previousExit, env.now);
      }
      yield* this.startUserContainerAgain();
    }
  }

  /** kubelet starts the user container again after it stopped (a probe kill or its own exit). */
  private *startUserContainerAgain(): ProcessGenerator<void> {
    const env = this.host.env;
    yield* env.timeout(this.sample(this.template.latencies.containerStart));
    if (this.deletionRequested) return;
    this.user.start(env.now);
    this.containersChanged(`Started container ${USER_CONTAINER_NAME} (restart ${this.user.restartCount})`);
    this.startApp();
    this.userReadiness?.doProbe();
  }

  /**
   * SIGKILL: `kubectl delete pod --grace-period=0 --force`, or the node's kernel killing the pod's
   * containers. Nothing drains: both containers stop at once, every connection to the pod is
   * reset (the requests inside it fail as their callers answer resets), and the pod is gone from
   * the API (Terminated), so the endpoints drop it and the ReplicaSet replaces it.
   */
  kill(why: string): void {
    if (this.phase === 'Terminated') return;
    const wasReady = this.k8sReady;
    this.deletionRequested = true;
    for (const w of this.workers) w.stop();
    this.k8sReady = false;
    if (wasReady || this.phase === 'Running' || this.phase === 'Terminating') this.emit(`Killing: ${why}`);
    this.queueProxy.kill(this.ip);
    // Their connections were reset with queue-proxy's: the requests inside fail that way.
    this.user.stop(false);
    this.finish(`${why}: containers killed`);
  }

  /** The Deployment scaled down (or the pod was deleted): SIGTERM, drain, stop. */
  terminate(why = 'scaled down'): void {
    if (this.deletionRequested) return;
    this.deletionRequested = true;
    for (const w of this.workers) w.stop();
    if (this.phase === 'Pending' || this.phase === 'ContainerCreating' || this.phase === 'ErrImagePull' || this.phase === 'ImagePullBackOff') return; // the lifecycle stops at its next step
    this.phase = 'Terminating';
    this.k8sReady = false;
    this.queueProxy.draining = true;
    this.emit(`Killing: ${why}`);
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
      if (this.dead) return; // killed while draining
    }
    yield* env.timeout(this.sample(L.containerStop));
    if (this.dead) return;
    this.user.stop();
    this.emit('user-container stopped after queue-proxy drained');
    yield* env.timeout(this.sample(L.containerStop));
    if (this.dead) return;
    this.queueProxyRunning = false;
    if (this.ip !== null) this.host.net.close(this.ip, QUEUE_SERVING_PORT);
    this.emit('queue-proxy stopped');
    this.finish('pod deleted');
  }

  private finish(reason: string): void {
    if (this.phase === 'Terminated') return;
    this.phase = 'Terminated';
    this.k8sReady = false;
    this.user.stop();
    this.queueProxyRunning = false;
    if (this.ip !== null) this.host.net.close(this.ip, QUEUE_SERVING_PORT);
    this.emit(reason);
  }
}
