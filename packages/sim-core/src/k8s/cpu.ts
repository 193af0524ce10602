import type { Environment } from '../engine/environment.js';
import type { Event } from '../engine/event.js';

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
 * One piece of CPU work: `cpuMs` of CPU time at one full core, plus wall time that uses no CPU
 * (`afterMs` after the work, `minWallMs` the least the whole takes: work run beside a sleep, as a
 * Go handler's goroutines are). Wait on `event`, then hand the job back with `end` whichever way
 * the wait ended.
 */
export class CpuJob {
  /** CPU time still to run (ms at one core). */
  remaining: number;
  /** Share of a core it runs at now (slow jobs). */
  rate = 0;
  ended = false;
  readonly startedAt: number;
  constructor(
    readonly group: CpuGroup,
    cpuMs: number,
    readonly afterMs: number,
    readonly minWallMs: number,
    /** Runs at a full core to the end (the allowance was idle when it started): no recompute. */
    readonly fast: boolean,
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
  /** Slow (shared) jobs of this group. */
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

  /** Starts `cpuMs` of work now (see CpuJob). */
  run(cpuMs: number, afterMs = 0, minWallMs = 0): CpuJob {
    return this.node.start(this, cpuMs, afterMs, minWallMs);
  }

  /** The job's request is done with it (answered, or abandoned): its CPU is free again. */
  end(job: CpuJob): void {
    this.node.end(job);
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
 * The common case costs one timeout: work that arrives while every job runs at a full core and
 * one more still fits, in a container without a limit, runs at a full core to its end (it is not
 * slowed afterwards by later arrivals, which share what is left).
 */
export class NodeCpu {
  /** Jobs running at a full core to their end. */
  private fastJobs = 0;
  private readonly slow: CpuJob[] = [];
  private readonly groups = new Set<CpuGroup>();
  private lastT = 0;
  private timerGen = 0;

  constructor(
    private readonly env: Environment,
    /** Allocatable cores. */
    readonly cores: number,
  ) {}

  /** A container's cgroup on this node (`requestCores`, `limitCores` 0 when unset). */
  group(name: string, requestCores: number, limitCores: number): CpuGroup {
    return new CpuGroup(this, name, requestCores, limitCores);
  }

  /** Jobs running now (fast and shared), for the tests. */
  get running(): number {
    return this.fastJobs + this.slow.length;
  }

  start(g: CpuGroup, cpuMs: number, afterMs: number, minWallMs: number): CpuJob {
    const env = this.env;
    const now = env.now;
    if (g.quotaMs === Infinity && this.slow.length === 0 && this.fastJobs + 1 <= this.cores + EPS) {
      this.fastJobs++;
      g.usedMs += cpuMs;
      return new CpuJob(g, cpuMs, afterMs, minWallMs, true, env.timeout(afterMs + Math.max(cpuMs, minWallMs)), now);
    }
    this.advance(now);
    const job = new CpuJob(g, cpuMs, afterMs, minWallMs, false, env.event(), now);
    if (g.quotaMs !== Infinity) {
      const p = Math.floor(now / CFS_PERIOD_MS);
      if (p !== g.period) {
        g.period = p;
        g.usedInPeriod = 0;
      }
    }
    this.slow.push(job);
    g.slowJobs++;
    this.groups.add(g);
    this.recompute();
    return job;
  }

  end(job: CpuJob): void {
    if (job.ended) return;
    job.ended = true;
    if (job.fast) {
      this.fastJobs--;
      if (this.slow.length > 0) {
        this.advance(this.env.now);
        this.recompute();
      }
      return;
    }
    const i = this.slow.indexOf(job);
    if (i < 0) return; // its CPU work had finished (it waited out its wall time)
    this.advance(this.env.now);
    this.remove(i);
    this.recompute();
  }

  private remove(i: number): void {
    const job = this.slow[i]!;
    const last = this.slow.pop()!;
    if (i < this.slow.length) this.slow[i] = last;
    const g = job.group;
    if (--g.slowJobs === 0) {
      g.alloc = 0;
      this.groups.delete(g);
    }
  }

  /** Runs every shared job at its rate from the last instant to `now`. */
  private advance(now: number): void {
    const dt = now - this.lastT;
    this.lastT = now;
    if (dt <= 0) return;
    for (const job of this.slow) job.remaining -= job.rate * dt;
    for (const g of this.groups) {
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
    else env.timeoutAt(at).addCallback(() => job.event.succeed());
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
    for (const g of this.groups) {
      if (g.quotaMs !== Infinity && g.period !== period) {
        g.period = period;
        g.usedInPeriod = 0;
      }
    }
    // Water-filling by weight over the cores the full-core jobs leave.
    let capacity = Math.max(0, this.cores - this.fastJobs);
    const open: CpuGroup[] = [];
    for (const g of this.groups) {
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
    let next = Infinity;
    for (const job of this.slow) {
      const g = job.group;
      job.rate = g.alloc / g.slowJobs;
      if (job.rate > 0) next = Math.min(next, job.remaining / job.rate);
    }
    for (const g of this.groups) {
      if (g.quotaMs === Infinity) continue;
      if (g.alloc > 0) next = Math.min(next, (g.quotaMs - g.usedInPeriod) / g.alloc);
      next = Math.min(next, (period + 1) * CFS_PERIOD_MS - now);
    }
    const gen = ++this.timerGen;
    if (next === Infinity) return;
    this.env.timeout(Math.max(0, next)).addCallback(() => {
      if (gen !== this.timerGen) return;
      this.advance(this.env.now);
      this.recompute();
    });
  }
}

/**
 * The CPU of a system pod knsim does not place on its nodes (the gateway's Envoy, the
 * activator): a node of its own as large as its CPU limit, so its per-request work queues for
 * cores once it is busy.
 */
export function systemPodCpu(env: Environment, name: string, limitCores: number): CpuGroup {
  return new NodeCpu(env, limitCores).group(name, limitCores, 0);
}

/** istio-ingressgateway's CPU limit (Istio's gateway chart values: resources.limits.cpu 2000m). */
export const GATEWAY_CPU_LIMIT_CORES = 2;
/** The activator's CPU limit (knative/serving config/core/deployments/activator.yaml: limits.cpu 1000m). */
export const ACTIVATOR_CPU_LIMIT_CORES = 1;
