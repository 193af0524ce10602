import type { Rng } from '../../engine/rng.js';
import { Pod, type PodHost, type PodTemplate } from '../../k8s/pod.js';
import type { KpaSettings } from '../../autoscaler/kpa-settings.js';
import { MetricCollector } from '../../autoscaler/metric-collector.js';
import { Autoscaler, TICK_INTERVAL_MS, type ScaleResult } from '../../autoscaler/autoscaler.js';
import {
  activationTimeoutMs,
  boundDesiredScale,
  computeActiveCondition,
  computeNumActivators,
  handleScaleToZero,
  initialDeciderStatus,
  REENQUEUE_PERIOD_MS,
  shouldPoke,
  sksMode,
  updateLatestScale,
  type PAActiveState,
  type SKSMode,
} from '../../autoscaler/kpa.js';

export type PAState = PAActiveState;
export type { SKSMode };

/** What a revision runtime asks of the cluster. */
export interface RevisionHost extends PodHost {
  readonly rngFor: (label: string) => Rng;
  podName(revision: string): string;
  /** Activator pod IPs, sorted; the SKS picks its subset from them. */
  activatorIps(): string[];
  /** Publishes the revision's endpoints to the data plane (after propagation delay). */
  publishEndpoints(rt: RevisionRuntime): void;
  /** The revision's readiness (PA ScaleTargetInitialized) or failure changed. */
  revisionStatusChanged(rt: RevisionRuntime): void;
  /**
   * Run every scrape and decider tick even while they provably change nothing (a revision at
   * zero with no metric data). Off by default: such a revision parks its timers and costs no
   * events while idle; the results are the same either way (a test compares both).
   */
  readonly alwaysTick?: boolean;
}

/**
 * One sample of a revision's scaling state, taken at an autoscaler tick where it differs from the
 * previous sample (the state holds until the next sample).
 */
export interface RevisionSample {
  tMs: number;
  desiredPods: number;
  readyPods: number;
  podsByPhase: Record<string, number>;
  panic: boolean;
  excessBurstCapacity: number;
  activatorInPath: boolean;
}
/** The collector's scrape interval and bucket size. */
export const SCRAPE_INTERVAL_MS = 1000;

/**
 * Everything Knative runs for one revision: its Deployment's pods, the private and public
 * Kubernetes Services' endpoints, the ServerlessService mode, the PodAutoscaler state, and the
 * KPA — metric collection, the 2 s decider tick (and the activator's poke), and the KPA
 * reconciler that turns the decision into replicas (pkg/reconciler/autoscaling/kpa).
 */
export class RevisionRuntime {
  readonly pods: Pod[] = [];
  replicas: number;
  private podSeq = 0;
  // PodAutoscaler
  paState: PAState = 'Activating';
  paStateSince: number;
  paReason = 'Queued';
  paMessage = 'Requests to the target are being buffered as resources are provisioned.';
  scaleTargetInitialized = false;
  failed: { reason: string; message: string } | null = null;
  reachable: boolean | null = null; // null = routingState pending (treated as reachable)
  // ServerlessService
  sksMode: SKSMode = 'Proxy';
  sksModeSince: number;
  numActivators = 2;
  activatorSubset: string[] = [];
  // Decider
  readonly collector: MetricCollector;
  private decider: Autoscaler;
  desiredScale = -1;
  excessBurstCapacity: number;
  panicking = false;
  readonly timeline: RevisionSample[] = [];
  coldStarts = 0;
  maxReadyPods = 0;
  private lastReadyCount = 0;
  /** The Running and Ready pods, kept as pods change (the ordered list is rebuilt on demand). */
  private readonly ready = new Set<Pod>();
  private readyList: Pod[] | null = [];
  /** Scrape and decider timers stopped while a tick provably changes nothing (see `startLoops`). */
  private parked = false;
  /** The next scrape and tick on their grids (kept while parked, advanced on waking). */
  private nextScrapeAt = 0;
  private nextTickAt = 0;
  /**
   * A scrape timer is armed and has not run yet. The decider tick parks the timers, but the
   * scrape the last scrape armed is still pending then (the two grids drift apart by rounding,
   * so that scrape may already have run just before the tick): a wake before it runs keeps it
   * rather than arming a second timer for the same instant, which would run as a no-op event.
   * It is the very timer a revision that never parks runs, so the order of events is unchanged
   * (it falls before the next tick, which is a whole interval later).
   */
  private scrapeArmed = false;
  private deleted = false;
  private requeueAt = Infinity;
  /** A reconcile is queued by an informer event (the work queue holds a key once). */
  private enqueued = false;
  private readonly createdAt: number;
  /** Draws the KPA controller's reconcile latency (its informers and work queue). */
  private readonly kpaRng: Rng;

  constructor(
    private readonly host: RevisionHost,
    readonly template: PodTemplate,
    public settings: KpaSettings,
  ) {
    const env = host.env;
    this.createdAt = env.now;
    this.paStateSince = env.now;
    this.sksModeSince = env.now;
    this.replicas = settings.deciderSpec.initialScale;
    this.collector = new MetricCollector(settings);
    this.decider = new Autoscaler(settings.deciderSpec, { nowMs: env.now, readyPods: 0 });
    this.excessBurstCapacity = initialDeciderStatus(settings.deciderSpec).excessBurstCapacity;
    this.numActivators = computeNumActivators(0, settings.deciderSpec);
    this.updateSubset();
    this.kpaRng = host.rngFor(`kpa/${this.key}`);
    // The Deployment starts at the initial scale (revision/resources/deploy.go); the KPA
    // reconciles the new PodAutoscaler when its informer sees it, and patches the Deployment to
    // the scale bounds (min-scale) then.
    this.scaleDeployment(this.replicas, 'initial-scale');
    this.startLoops();
    this.enqueue('PodAutoscaler created');
  }

  get namespace(): string {
    return this.template.namespace;
  }

  get name(): string {
    return this.template.revision;
  }

  get key(): string {
    return `${this.template.namespace}/${this.template.revision}`;
  }

  /** The Running and Ready pods, in creation order. */
  get readyPods(): Pod[] {
    return (this.readyList ??= this.pods.filter((p) => this.ready.has(p)));
  }

  /** Addresses of the private Service: ready and not-ready pods that have an IP and are not terminating. */
  privateEndpoints(): { ready: Pod[]; notReady: Pod[] } {
    const ready: Pod[] = [];
    const notReady: Pod[] = [];
    for (const p of this.pods) {
      if (p.ip === null || p.phase === 'Terminating' || p.phase === 'Terminated' || p.deletionRequested) continue;
      (p.k8sReady ? ready : notReady).push(p);
    }
    return { ready, notReady };
  }

  /** The public Service's endpoints are the activator subset (Proxy mode, or no ready pod), not the pods. */
  get activatorInPath(): boolean {
    return !((this.sksMode === 'Serve' && this.ready.size > 0) || this.activatorSubset.length === 0);
  }

  podsByPhase(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.pods) if (p.phase !== 'Terminated') out[p.phase] = (out[p.phase] ?? 0) + 1;
    return out;
  }

  /** The route reconciler's routingState: active (reachable) or reserve (unreachable). */
  setReachable(reachable: boolean): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.settings = { ...this.settings, deciderSpec: { ...this.settings.deciderSpec, reachable } };
    this.decider.update(this.settings.deciderSpec);
    this.reconcile(reachable ? 'routingState active' : 'routingState reserve');
  }

  /** The revision is deleted: its pods terminate. */
  delete(): void {
    this.deleted = true;
    for (const p of this.pods) p.terminate();
  }

  // ---------------------------------------------------------------- pods and the Deployment

  private scaleDeployment(replicas: number, reason: string): void {
    const env = this.host.env;
    const from = this.replicas;
    this.replicas = replicas;
    // A cold start is the Deployment scaled up from zero: a pod has to start before anything is
    // served (a decider that merely changes its mind from 0 while pods still run is not one).
    if (from === 0 && replicas > 0) this.coldStarts++;
    if (this.host.trace.active && from !== replicas) {
      this.host.trace.emit({ type: 'kpa.scale', t: env.now, namespace: this.namespace, revision: this.name, from, to: replicas, reason });
    }
    this.syncPods();
  }

  /**
   * `kubectl delete pod NAME` (graceful): the pod gets SIGTERM and drains as on a scale-down,
   * and the ReplicaSet, no longer counting it, creates its replacement at once. False when no
   * live pod of this revision has that name.
   */
  deletePod(name: string, why = 'deleted'): boolean {
    const pod = this.pods.find((p) => p.name === name && !p.deletionRequested && p.phase !== 'Terminated');
    if (pod === undefined) return false;
    pod.terminate(why);
    this.syncPods();
    return true;
  }

  /**
   * `kubectl delete pod NAME --grace-period=0 --force`, or its containers crash: the pod dies at
   * once (see Pod.kill) and the ReplicaSet creates its replacement. False for no such live pod.
   */
  killPod(name: string, why: string): boolean {
    const pod = this.pods.find((p) => p.name === name && p.phase !== 'Terminated');
    if (pod === undefined) return false;
    pod.kill(why);
    this.syncPods();
    return true;
  }

  /**
   * The node lifecycle controller evicted these pods of a lost node (Pod.evict): the ReplicaSet,
   * no longer counting them, creates their replacements.
   */
  evictLost(pods: readonly Pod[], why: string): void {
    for (const p of pods) p.evict(why);
    this.syncPods();
  }

  /**
   * The activators' readiness changed (one restarted): the SKS's activator subset follows, and
   * the endpoints are published again, so a restarted activator learns them anew.
   */
  activatorsChanged(): void {
    this.updateSubset();
    this.host.publishEndpoints(this);
  }

  /** The ReplicaSet controller: create or delete pods until the live ones match replicas. */
  private syncPods(): void {
    const live = this.pods.filter((p) => !p.deletionRequested && p.phase !== 'Terminated');
    if (live.length < this.replicas) {
      for (let i = live.length; i < this.replicas; i++) {
        const name = this.host.podName(this.name);
        this.pods.push(new Pod(this.host, name, this.template, this.host.rngFor(`pod/${this.namespace}/${this.name}/${this.podSeq++}`)));
      }
    } else if (live.length > this.replicas) {
      // controller.ActivePods ordering: unscheduled/pending and not-ready pods go first, then
      // the most recently ready, then the newest.
      const victims = [...live].sort((a, b) => {
        const ra = a.k8sReady ? 1 : 0;
        const rb = b.k8sReady ? 1 : 0;
        if (ra !== rb) return ra - rb;
        if (a.readyAt !== b.readyAt) return (b.readyAt ?? 0) - (a.readyAt ?? 0);
        return b.createdAt - a.createdAt;
      });
      for (const p of victims.slice(0, live.length - this.replicas)) p.terminate();
    }
  }

  /** A pod changed phase or readiness. */
  podChanged(pod: Pod): void {
    if (pod.phase === 'Terminated') {
      const i = this.pods.indexOf(pod);
      if (i >= 0) this.pods.splice(i, 1);
    }
    const isReady = pod.k8sReady && pod.phase === 'Running';
    if (isReady !== this.ready.has(pod)) {
      if (isReady) this.ready.add(pod);
      else this.ready.delete(pod);
      this.readyList = null;
    }
    this.wake();
    const ready = this.ready.size;
    // reconcile_resources.go: a Deployment that wants pods and has none available, whose pod's
    // user container has terminated, marks the Revision ContainerHealthy False with the exit code.
    const t = pod.lastTermination;
    if (t !== null && ready === 0 && !this.scaleTargetInitialized && this.failed === null) {
      this.failed = { reason: `ExitCode${t.code}`, message: `Container failed with: ${t.code === 0 && t.message === '' ? 'container exited with no error' : t.message}` };
      this.host.revisionStatusChanged(this);
    }
    this.maxReadyPods = Math.max(this.maxReadyPods, ready);
    this.host.publishEndpoints(this);
    if (ready !== this.lastReadyCount) {
      this.lastReadyCount = ready;
      this.reconcile(`ready pods ${ready}`);
    }
  }

  // ---------------------------------------------------------------- the KPA

  /**
   * The collector's scrape every second and the decider's tick every 2 s (multiscaler.go), each
   * on its own grid from the revision's creation. While a revision is at zero with no metric
   * data, a tick decides nothing (ErrNoData) and a scrape finds no pod: the timers park, and
   * whatever could change that (a pod, an activator stat, a reconcile) wakes them on the same
   * grid, so the ticks that do run are the ones that would have run.
   */
  private startLoops(): void {
    const env = this.host.env;
    this.nextScrapeAt = env.now + SCRAPE_INTERVAL_MS;
    this.nextTickAt = env.now + TICK_INTERVAL_MS;
    this.armScrape();
    this.armTick();
  }

  private armScrape(): void {
    const at = this.nextScrapeAt;
    this.scrapeArmed = true;
    this.host.env.timeoutAt(at).addCallback(() => {
      this.scrapeArmed = false;
      if (this.deleted || this.parked) return;
      const now = this.host.env.now;
      this.collector.scrape(now, this.readyPods, this.host.trace, this.namespace, this.name);
      // env.timeout(interval) from now, as a chain of timers would have it.
      this.nextScrapeAt = now + SCRAPE_INTERVAL_MS;
      this.armScrape();
    });
  }

  private armTick(): void {
    const at = this.nextTickAt;
    this.host.env.timeoutAt(at).addCallback(() => {
      if (this.deleted || this.parked) return;
      const now = this.host.env.now;
      this.tick(false);
      this.nextTickAt = now + TICK_INTERVAL_MS;
      if (!this.host.alwaysTick && this.idle()) this.parked = true;
      else this.armTick();
    });
  }

  /**
   * Nothing a tick or scrape does can change anything until something wakes the revision: no
   * ready pod to scrape and no metric data (so every tick is ErrNoData and keeps the previous
   * decision), and the last sample already says so.
   */
  private idle(): boolean {
    return this.ready.size === 0 && this.collector.averages(this.host.env.now) === null;
  }

  /**
   * Something that may end idleness happened: restart the timers at the grid points they would
   * have reached, the next scrape and tick after now (a timer due at this very instant was
   * scheduled long before whatever woke us, so it ran first, and changed nothing). A scrape
   * still pending from before the park is kept: it is already on the grid (see `scrapeArmed`).
   * The tick is armed first, then the scrape, as the chains order them at an instant they share
   * (the tick's timer was set 2 s before, the scrape's 1 s before).
   */
  private wake(): void {
    if (!this.parked || this.deleted) return;
    this.parked = false;
    const now = this.host.env.now;
    // Repeated addition, as the chain of timers computes its times (not now rounded to the grid).
    let t = this.nextTickAt;
    while (t <= now) t += TICK_INTERVAL_MS;
    this.nextTickAt = t;
    this.armTick();
    if (this.scrapeArmed) return;
    let s = this.nextScrapeAt;
    while (s <= now) s += SCRAPE_INTERVAL_MS;
    this.nextScrapeAt = s;
    this.armScrape();
  }

  /** An activator stat arrived; a non-zero one pokes a decider that wants zero pods. */
  activatorStat(averageConcurrency: number, requestCount: number): void {
    this.wake();
    this.collector.recordActivator(this.host.env.now, averageConcurrency, requestCount);
    if (shouldPoke(this.desiredScale, averageConcurrency)) this.tick(true);
  }

  /** One decider tick (multiscaler.go): decide, and tell the KPA if the decision changed. */
  tick(poke: boolean): void {
    const env = this.host.env;
    const now = env.now;
    const ready = this.ready.size;
    const avg = this.collector.averages(now);
    let result: ScaleResult;
    if (avg === null) result = { desiredPodCount: 0, excessBurstCapacity: 0, scaleValid: false, panicking: this.panicking };
    else result = this.decider.scale(now, { stable: avg.stable, panic: avg.panic, readyPods: ready });
    const spec = this.settings.deciderSpec;
    let notify = false;
    if (result.scaleValid) {
      const u = updateLatestScale({ desiredScale: this.desiredScale, excessBurstCapacity: this.excessBurstCapacity }, result);
      this.desiredScale = u.status.desiredScale;
      this.excessBurstCapacity = u.status.excessBurstCapacity;
      this.panicking = result.panicking;
      notify = u.notify;
    }
    // The KPA acts on a changed decision first, so the record carries the mode it led to.
    if (notify) this.reconcile(poke ? 'activator poke' : 'decider');
    if (this.host.trace.active) {
      // Why, in words (only a trace reader needs it).
      const reason = !result.scaleValid
        ? avg === null
          ? 'no metric data in the stable window (ErrNoData): keeping the previous decision'
          : 'invalid scale'
        : describeDecision(result, avg!, ready, spec.targetValue, spec.panicThreshold);
      this.host.trace.emit({
        type: 'autoscaler.decision',
        t: now,
        namespace: this.namespace,
        revision: this.name,
        inputs: {
          stable: avg?.stable ?? null,
          panic: avg?.panic ?? null,
          readyPods: ready,
          metric: spec.scalingMetric,
          targetValue: spec.targetValue,
          totalValue: spec.totalValue,
          targetBurstCapacity: spec.targetBurstCapacity,
          panicThreshold: spec.panicThreshold,
          poke,
        },
        result: {
          desiredPodCount: result.desiredPodCount,
          excessBurstCapacity: result.excessBurstCapacity,
          scaleValid: result.scaleValid,
          panicking: result.panicking,
          sksMode: this.sksMode,
          activatorInPath: this.activatorInPath,
          replicas: this.replicas,
        },
        reason,
      });
    }
    this.sample();
  }

  /** Appends the scaling state to the timeline when it differs from the last sample. */
  private sample(): void {
    const byPhase = this.podsByPhase();
    const last = this.timeline.at(-1);
    const activatorInPath = this.activatorInPath;
    if (
      last !== undefined &&
      last.desiredPods === this.replicas &&
      last.readyPods === this.ready.size &&
      last.panic === this.panicking &&
      last.excessBurstCapacity === this.excessBurstCapacity &&
      last.activatorInPath === activatorInPath &&
      samePhases(last.podsByPhase, byPhase)
    ) {
      return;
    }
    this.timeline.push({
      tMs: this.host.env.now,
      desiredPods: this.replicas,
      readyPods: this.ready.size,
      podsByPhase: byPhase,
      panic: this.panicking,
      excessBurstCapacity: this.excessBurstCapacity,
      activatorInPath,
    });
  }

  private get isReachable(): boolean {
    return this.reachable !== false;
  }

  private scaleBounds(): { min: number; max: number } {
    const min = this.isReachable ? this.settings.minScale : 0;
    return { min, max: this.settings.maxScale };
  }

  private updateSubset(): void {
    const all = this.host.activatorIps();
    // A consistent-hash subset in Knative; any stable choice keyed by the revision will do.
    const ranked = [...all].sort((a, b) => hashOrder(this.key, a) - hashOrder(this.key, b) || (a < b ? -1 : 1));
    const subset = ranked.slice(0, Math.min(this.numActivators, all.length)).sort();
    if (subset.join(',') !== this.activatorSubset.join(',')) {
      this.activatorSubset = subset;
      this.host.publishEndpoints(this);
    }
  }

  private setPA(state: PAState, reason: string, message: string): void {
    if (this.paState === state && this.paReason === reason) return;
    if (this.paState !== state) this.paStateSince = this.host.env.now;
    this.paState = state;
    this.paReason = reason;
    this.paMessage = message;
    // The revision reconciler watches its PodAutoscaler: the Revision's Active condition follows.
    this.host.revisionStatusChanged(this);
    if (this.host.trace.active) this.host.trace.emit({ type: 'pa.state', t: this.host.env.now, namespace: this.namespace, revision: this.name, state, reason });
    // The PodAutoscaler's status write is an update its own informer sees.
    this.enqueue('PodAutoscaler status changed');
  }

  /**
   * An informer event for this PodAutoscaler: the KPA controller enqueues the PA on every
   * change of the PA itself, its ServerlessService, its Metric, its Services and its pods'
   * Endpoints (pkg/reconciler/autoscaling/kpa/controller.go). The work queue holds a key once,
   * so events while a reconcile is queued coalesce.
   */
  private enqueue(trigger: string): void {
    if (this.enqueued || this.deleted) return;
    this.enqueued = true;
    this.host.env.timeout(Math.max(0, this.host.latencies.reconcile.sample(this.kpaRng))).addCallback(() => {
      this.enqueued = false;
      this.reconcile(trigger);
    });
  }

  private requeue(afterMs: number): void {
    const env = this.host.env;
    // Go's durations are whole nanoseconds, so a positive requeue comes at least 1 ns later; a
    // float delay below the clock's resolution (`stable-window - (now - since)` ≈ 1e-11 ms) would
    // reconcile again at the same instant, with the same answer, forever.
    const at = env.now + (afterMs > 0 ? Math.max(afterMs, 1e-6) : 0);
    if (at >= this.requeueAt && this.requeueAt > env.now) return;
    this.requeueAt = at;
    env.timeoutAt(at).addCallback(() => {
      if (this.requeueAt === at) this.requeueAt = Infinity;
      this.reconcile('requeue');
    });
  }

  /** activeThreshold (kpa.go): ready pods needed to call the PA Active. */
  private activeThreshold(): number {
    const { min } = this.scaleBounds();
    return this.scaleTargetInitialized ? Math.max(min, 1) : Math.max(min, this.settings.deciderSpec.initialScale);
  }

  /** The KPA reconciler (kpa.go ReconcileKind + scaler.scale + computeActiveCondition). */
  reconcile(trigger: string): void {
    if (this.deleted) return;
    this.wake();
    const env = this.host.env;
    const now = env.now;
    const s = this.settings;
    const reachability = this.reachable === false ? 'Unreachable' : '';
    const { min, max } = this.scaleBounds();
    const minReadyBefore = this.activeThreshold();
    let want = boundDesiredScale({
      desiredScale: this.desiredScale,
      paState: this.paState,
      min,
      max,
      initialScale: s.deciderSpec.initialScale,
      scaleTargetInitialized: this.scaleTargetInitialized,
      reachability,
    });
    if (want === undefined) {
      want = this.desiredScale; // metrics are not yet being collected: leave the Deployment alone
    } else {
      const gate = handleScaleToZero({
        desiredScale: want,
        enableScaleToZero: s.enableScaleToZero,
        paState: this.paState,
        stateForMs: now - this.paStateSince,
        stableWindowMs: s.deciderSpec.stableWindowMs,
        activationTimeoutMs: activationTimeoutMs(s.progressDeadlineMs),
        sksMode: this.sksMode,
        sksProxyForMs: this.sksMode === 'Proxy' && this.activatorInPath ? now - this.sksModeSince : 0,
        scaleToZeroGracePeriodMs: s.scaleToZeroGracePeriodMs,
        lastPodRetentionMs: this.reachable === false ? 0 : s.scaleToZeroPodRetentionMs,
        targetBurstCapacity: s.deciderSpec.targetBurstCapacity,
        activatorProbeSucceeded: this.activatorInPath,
      });
      want = gate.desired;
      if (gate.requeueAfterMs !== undefined) this.requeue(gate.requeueAfterMs);
      if (gate.startAsyncProbe) this.requeue(REENQUEUE_PERIOD_MS);
      if (gate.apply && want >= 0 && want !== this.replicas) {
        this.scaleDeployment(want, `${trigger}: decider wants ${this.desiredScale}, bounds [${min}, ${max || '∞'}]${want === 0 ? ', scale-to-zero grace satisfied' : ''}`);
      }
    }
    const ready = this.ready.size;
    const mode = sksMode(want, this.excessBurstCapacity, this.paState);
    const numAct = computeNumActivators(ready, s.deciderSpec);
    if (mode !== this.sksMode || numAct !== this.numActivators) {
      const modeChanged = mode !== this.sksMode;
      this.sksMode = mode;
      if (modeChanged) this.sksModeSince = now;
      this.numActivators = numAct;
      this.updateSubset();
      this.enqueue('ServerlessService changed');
      if (modeChanged && this.host.trace.active) {
        const why =
          mode === 'Serve'
            ? `excess burst capacity ${this.excessBurstCapacity} >= 0 with ${want} pods wanted: requests go straight to the pods`
            : want === 0
              ? 'scaled to zero: the activator buffers requests'
              : `excess burst capacity ${this.excessBurstCapacity} < 0: the activator stays in the path to absorb bursts`;
        this.host.trace.emit({ type: 'sks.mode', t: now, namespace: this.namespace, revision: this.name, mode, numActivators: numAct, reason: why });
      }
      this.host.publishEndpoints(this);
    }
    const ac = computeActiveCondition({ paState: this.paState, want, ready, minReady: minReadyBefore, scaleTargetInitialized: this.scaleTargetInitialized, hasServiceName: true });
    if (ac.scaleTargetInitialized && !this.scaleTargetInitialized) {
      this.scaleTargetInitialized = true;
      this.host.revisionStatusChanged(this);
    }
    if (ac.state !== undefined) this.setPA(ac.state, ac.reason ?? ac.state, ac.message ?? '');
    // A revision whose pods never become ready fails after the progress deadline.
    if (!this.scaleTargetInitialized && this.failed === null) {
      const deadline = this.createdAt + s.progressDeadlineMs;
      if (now >= deadline) {
        this.failed = { reason: 'ProgressDeadlineExceeded', message: 'Initial scale was never achieved' };
        this.host.revisionStatusChanged(this);
      } else this.requeue(deadline - now);
    }
  }
}

function samePhases(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function hashOrder(key: string, ip: string): number {
  let h = 0x811c9dc5;
  const s = `${key}|${ip}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function describeDecision(r: ScaleResult, avg: { stable: number; panic: number }, ready: number, target: number, threshold: number): string {
  const R = Math.max(1, ready);
  const parts = [
    `stable ${round(avg.stable)} / target ${round(target)} → ${Math.ceil(avg.stable / target)} pods`,
    `panic ${round(avg.panic)} / target → ${Math.ceil(avg.panic / target)} pods (${round(Math.ceil(avg.panic / target) / R)}× of ${R} ready, threshold ${threshold}×)`,
  ];
  if (r.panicking) parts.push('panicking: never scale down');
  parts.push(`want ${r.desiredPodCount}`);
  return parts.join('; ');
}

const round = (x: number) => Math.round(x * 1000) / 1000;
