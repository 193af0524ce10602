import type { Environment } from '../engine/environment.js';
import { PENDING, type Event } from '../engine/event.js';

/** The CFS bandwidth period a CPU limit is enforced over (the kernel's cpu.cfs_period_us default, 100 ms). */
export const CFS_PERIOD_MS = 100;

/**
 * The weight of a container without a CPU request: kubelet's MilliCPUToShares gives it the
 * kernel's minimum cpu.shares, 2 (pkg/kubelet/cm/helpers_linux.go MinShares), i.e. 2/1024 of a
 * core's weight.
 */
const MIN_WEIGHT = 2 / 1024;
const EPS = 1e-9;

/**
 * One piece of shared CPU work: `cpuMs` of CPU time at one full core, plus wall time that uses
 * no CPU (`afterMs` after the work, `minWallMs` the least the whole takes: work run beside a
 * sleep, as a Go handler's goroutines are). Its waiter holds `event`.
 */
export class CpuJob {
  /** CPU time still to run (ms at one core). */
  remaining: number;
  /** Share of a core it runs at now (slow jobs). */
  rate = 0;
  /** Its place in its node's shared jobs while its CPU work runs. */
  index = -1;
  readonly startedAt: number;
  constructor(
    readonly group: CpuGroup,
    cpuMs: number,
    readonly afterMs: number,
    readonly minWallMs: number,
    readonly event: Event<any>,
    now: number,
  ) {
    this.remaining = cpuMs;
    this.startedAt = now;
  }
}

/**
 * One container's cgroup on a node: its weight under contention is its CPU request (cpu.shares),
 * and a CPU limit is a CFS quota of `limit × 100 ms` per 100 ms period: the container may run on
 * as many cores as it has work until the period's quota is spent, then it is throttled until the
 * next period.
 */
export class CpuGroup {
  /** Slow (shared) jobs of this group (more than 0: it is in its node's list of groups with shared work). */
  slowJobs = 0;
  /** Cores it runs on now (slow jobs). */
  alloc = 0;
  /** CPU time (ms) used in the current CFS period, and which period that is. */
  usedInPeriod = 0;
  period = -1;
  readonly weight: number;
  /** CPU ms per period (Infinity without a limit). */
  readonly quotaMs: number;
  /** Total CPU time this container has used (ms), for `kubectl top` and the tests. */
  usedMs = 0;

  constructor(
    readonly node: NodeCpu,
    readonly name: string,
    /** Request and limit in cores (0: none). */
    requestCores: number,
    readonly limitCores: number,
  ) {
    this.weight = Math.max(requestCores, MIN_WEIGHT);
    this.quotaMs = limitCores > 0 ? limitCores * CFS_PERIOD_MS : Infinity;
  }

  get throttled(): boolean {
    return this.usedInPeriod >= this.quotaMs - EPS;
  }

  /** Starts `cpuMs` of work now (see CpuJob); wait on the event it returns, then hand it to `end`. */
  run(cpuMs: number, afterMs = 0, minWallMs = 0): Event<any> {
    return this.node.start(this, cpuMs, afterMs, minWallMs);
  }

  /**
   * The work's request is done with it (answered, or abandoned): shared work leaves the node.
   * (Work on a full core that is abandoned runs on to its end, as a handler does after its
   * client left: nothing is saved by stopping it.)
   */
  end(ev: Event<any>): void {
    this.node.end(ev);
  }
}

/**
 * A node's CPUs as an event-driven processor-sharing server. Each runnable piece of work runs on
 * at most one core; when a node's work exceeds its cores, cores are shared among the containers
 * with work in proportion to their CPU requests (the CFS weights), each container's share split
 * evenly among its requests, and no container gets more than it has work for (water-filling).
 * Rates are recomputed when a job arrives or leaves, a quota runs out or a period starts, and
 * one timer is armed at the next such instant.
 *
 * The common case costs one timeout: work that arrives while the node has a core for every job
 * and one more, in a container without a limit, runs at a full core to its end (it is not slowed
 * afterwards by later arrivals, which share what is left).
 */
export class NodeCpu {
  /** When the CPU work of each job running at a full core ends (its wall time after that takes no core). */
  private readonly fastEnds: number[] = [];
  private readonly slow: CpuJob[] = [];
  /**
   * The groups with shared work, in the order they got it (a list, not a Set: a Set that
   * empties and fills again on every busy period reallocates its table each time).
   */
  private readonly groups: CpuGroup[] = [];
  private lastT = 0;
  private armedAt = Infinity;

  constructor(
    private readonly env: Environment,
    /** Allocatable cores. */
    readonly cores: number,
  ) {
    // Made as a value, then stored: V8 pretenures `this.f = () => …` (docs/kernel.md, "Closures written into properties").
    const onTimer = (ev: Event<any>): void => this.timerFired(ev);
    this.onTimer = onTimer;
  }

  /** A container's cgroup on this node (`requestCores`, `limitCores` 0 when unset). */
  group(name: string, requestCores: number, limitCores: number): CpuGroup {
    return new CpuGroup(this, name, requestCores, limitCores);
  }

  /** Full-core work that has ended gives its core back. */
  private purge(now: number): void {
    const f = this.fastEnds;
    for (let i = f.length - 1; i >= 0; i--) {
      if (f[i]! <= now) {
        f[i] = f[f.length - 1]!;
        f.pop();
      }
    }
  }

  start(g: CpuGroup, cpuMs: number, afterMs: number, minWallMs: number): Event<any> {
    const env = this.env;
    const now = env.now;
    // Every job runs on at most one core, so while the node has a core for each (this one
    // included) nobody's rate changes: the new work runs at a full core without a recompute.
    if (g.quotaMs === Infinity) this.purge(now);
    if (g.quotaMs === Infinity && this.fastEnds.length + this.slow.length + 1 <= this.cores + EPS) {
      this.fastEnds.push(now + cpuMs);
      g.usedMs += cpuMs;
      return env.timeout(afterMs + Math.max(cpuMs, minWallMs));
    }
    this.advance(now);
    const job = new CpuJob(g, cpuMs, afterMs, minWallMs, env.event(), now);
    if (g.quotaMs !== Infinity) {
      const p = Math.floor(now / CFS_PERIOD_MS);
      if (p !== g.period) {
        g.period = p;
        g.usedInPeriod = 0;
      }
    }
    job.index = this.slow.length;
    this.slow.push(job);
    // The waiter's event carries its job until it is triggered (a pending event has no value
    // yet), so `end` finds the job without a map from events to jobs.
    job.event._value = job;
    if (++g.slowJobs === 1) this.groups.push(g);
    this.recompute();
    return job.event;
  }

  end(ev: Event<any>): void {
    // Only a pending shared job's event holds its job: full-core work and finished work have
    // nothing to give back.
    if (ev._state !== PENDING || !(ev._value instanceof CpuJob)) return;
    const job = ev._value;
    ev._value = undefined;
    this.advance(this.env.now);
    this.remove(job.index);
    this.recompute();
  }

  private remove(i: number): void {
    const slow = this.slow;
    const job = slow[i]!;
    const last = slow.pop()!;
    if (i < slow.length) {
      slow[i] = last;
      last.index = i;
    }
    const g = job.group;
    if (--g.slowJobs === 0) {
      g.alloc = 0;
      const groups = this.groups;
      groups.splice(groups.indexOf(g), 1);
    }
  }

  /** Runs every shared job at its rate from the last instant to `now`. */
  private advance(now: number): void {
    const dt = now - this.lastT;
    this.lastT = now;
    if (dt <= 0) return;
    for (const job of this.slow) job.remaining -= job.rate * dt;
    const groups = this.groups;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      const used = g.alloc * dt;
      g.usedInPeriod += used;
      g.usedMs += used;
    }
  }

  /** The job's CPU work is done: its wall time (if any is left) runs out, then its waiter resumes. */
  private complete(job: CpuJob): void {
    const env = this.env;
    const at = Math.max(env.now, job.startedAt + job.minWallMs) + job.afterMs;
    if (at <= env.now) job.event.succeed();
    else job.event.succeedAt(at);
  }

  /** Shares the cores among the containers with shared work, and arms the next timer. */
  private recompute(): void {
    const now = this.env.now;
    // Finished work leaves first; a new CFS period refills the quotas.
    for (let i = this.slow.length - 1; i >= 0; i--) {
      const job = this.slow[i]!;
      if (job.remaining <= EPS) {
        this.remove(i);
        this.complete(job);
      }
    }
    const period = Math.floor(now / CFS_PERIOD_MS + EPS);
    const groups = this.groups;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (g.quotaMs !== Infinity && g.period !== period) {
        g.period = period;
        g.usedInPeriod = 0;
      }
    }
    // Water-filling by weight over the cores the full-core jobs leave.
    this.purge(now);
    let capacity = Math.max(0, this.cores - this.fastEnds.length);
    let next = Infinity;
    if (groups.length === 1) {
      // One container with shared work (a lone busy container): no weights,
      // and every job runs at the same rate, so the first to end is the one with least work
      // left (rounding of a division by the same number keeps the order: the same instant).
      const g = groups[0]!;
      g.alloc = g.throttled ? 0 : Math.min(g.slowJobs, capacity);
      const rate = g.alloc / g.slowJobs;
      let least = Infinity;
      for (const job of this.slow) {
        job.rate = rate;
        if (job.remaining < least) least = job.remaining;
      }
      if (rate > 0) next = least / rate;
    } else {
      const open: CpuGroup[] = [];
      for (const g of groups) {
        g.alloc = 0;
        if (!g.throttled) open.push(g);
      }
      for (let changed = true; changed && open.length > 0; ) {
        changed = false;
        let weights = 0;
        for (const g of open) weights += g.weight;
        for (let i = open.length - 1; i >= 0; i--) {
          const g = open[i]!;
          if (g.slowJobs <= (capacity * g.weight) / weights + EPS) {
            g.alloc = g.slowJobs;
            capacity -= g.slowJobs;
            open.splice(i, 1);
            changed = true;
          }
        }
        if (!changed) for (const g of open) g.alloc = (capacity * g.weight) / weights;
      }
      for (const job of this.slow) {
        const g = job.group;
        job.rate = g.alloc / g.slowJobs;
        if (job.rate > 0) next = Math.min(next, job.remaining / job.rate);
      }
    }
    // A full-core job's CPU ending frees its core for the shared work.
    if (this.slow.length > 0) for (const e of this.fastEnds) next = Math.min(next, e - now);
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (g.quotaMs === Infinity) continue;
      if (g.alloc > 0) next = Math.min(next, (g.quotaMs - g.usedInPeriod) / g.alloc);
      next = Math.min(next, (period + 1) * CFS_PERIOD_MS - now);
    }
    if (next === Infinity) return;
    // One timer: an armed one that fires no later than needed is kept (if early, it finds
    // nothing due and arms the next), so a busy node does not pile up stale timers.
    const at = now + Math.max(0, next);
    if (at >= this.armedAt) return;
    this.armedAt = at;
    const timer = this.env.timeoutAt(at);
    this.timer = timer;
    timer.addCallback(this.onTimer);
  }

  /** The armed timer (an earlier one that was replaced finds it is not this, and does nothing). */
  private timer: Event<any> | null = null;
  private readonly onTimer: (ev: Event<any>) => void;
  private timerFired(ev: Event<any>): void {
    if (ev !== this.timer) return;
    this.timer = null;
    this.armedAt = Infinity;
    this.advance(this.env.now);
    this.recompute();
  }
}

/**
 * The CPU of a system pod knsim does not place on its nodes (the gateway's Envoy, the
 * activator): as many cores as its CPU limit, serving each request's CPU work in arrival order,
 * each piece run to its end on the core that frees first. Not shared like a container's work on
 * a node (NodeCpu): a piece (0.35 ms for Envoy, 0.2 ms for the activator) is far shorter than
 * any time slice that could share it — Envoy's worker threads (one per core) run each event to
 * completion, Go preempts a goroutine only after 10 ms, CFS's slices are milliseconds — so a busy
 * gateway or activator queues its work rather than slowing every piece at once (docs/cluster.md,
 * "CPU"). Work whose request is abandoned runs to its end, as a handler does after its client
 * left, so there is nothing to hand back when a request ends. Each piece costs one timeout, busy
 * or not.
 */
export class SystemPodCpu {
  /** When each core finishes the work it has been given. */
  private readonly freeAt: Float64Array;
  /** Total CPU time used (ms), for the tests. */
  usedMs = 0;

  constructor(
    private readonly env: Environment,
    readonly name: string,
    /** Cores (its CPU limit; a fraction counts as a whole core). */
    cores: number,
  ) {
    this.freeAt = new Float64Array(Math.max(1, Math.ceil(cores)));
  }

  /** Starts `cpuMs` of work now, with `afterMs` of wall time after it and `minWallMs` the least the whole takes (see CpuJob). */
  run(cpuMs: number, afterMs = 0, minWallMs = 0): Event<any> {
    const env = this.env;
    const now = env.now;
    const f = this.freeAt;
    let k = 0;
    for (let i = 1; i < f.length; i++) if (f[i]! < f[k]!) k = i;
    this.usedMs += cpuMs;
    // A free core: the work starts now (the same timeout as a free core on a node).
    if (f[k]! <= now) {
      f[k] = now + cpuMs;
      return env.timeout(afterMs + Math.max(cpuMs, minWallMs));
    }
    // Every core busy: it starts when the first one frees.
    const end = f[k]! + cpuMs;
    f[k] = end;
    return env.timeout(Math.max(end - now, minWallMs) + afterMs);
  }
}

/**
 * The CPU part of each component's per-request processing time (docs/calibration.md): Envoy
 * 0.35 ms (Istio's performance page: 0.35 vCPU per 1000 requests/s through a proxy); the
 * activator and queue-proxy, Go reverse proxies, 0.2 ms each (Go's httputil.ReverseProxy at
 * about 5,000 requests/s a core). The rest of the processing latency is waiting, not CPU.
 */
export const PER_REQUEST_CPU_MS = Object.freeze({ gateway: 0.35, activator: 0.2, queueProxy: 0.2 });

/** istio-ingressgateway's CPU limit (Istio's gateway chart values: resources.limits.cpu 2000m). */
export const GATEWAY_CPU_LIMIT_CORES = 2;
/** The activator's CPU limit (knative/serving config/core/deployments/activator.yaml: limits.cpu 1000m). */
export const ACTIVATOR_CPU_LIMIT_CORES = 1;
