import { QUEUE_SERVING_PORT } from '../queue/queue-proxy.js';
import type { Environment } from '../engine/environment.js';
import type { Event } from '../engine/event.js';
import { Deque } from '../engine/deque.js';
import type { Rng } from '../engine/rng.js';
import { policyFor, type LBPolicy, type PodTracker } from './lb-policy.js';

/** A request waiting for a pod slot (a class: see RequestContext in k8s/network.ts). */
class Waiter {
  cancelled = false;
  constructor(readonly ev: Event<PodTracker>) {}
}

/**
 * The pods of a revision this activator sends to (throttler.go assignSlice): with
 * containerConcurrency 0, or when this activator is not in the revision's activator subset,
 * or with at most one pod, all of them; otherwise an even slice by this activator's index,
 * and the remnant pods exclusive to the activators with index < remnants.
 */
export function assignSlice(trackers: readonly PodTracker[], selfIndex: number, numActivators: number, cc: number): PodTracker[] {
  const pods = trackers.length;
  if (cc === 0 || selfIndex < 0 || pods <= 1 || numActivators <= 1) return [...trackers];
  if (numActivators > pods) return [trackers[selfIndex % pods]!];
  const size = Math.floor(pods / numActivators);
  const remnants = pods % numActivators;
  const slice = trackers.slice(selfIndex * size, selfIndex * size + size);
  if (selfIndex < remnants) slice.push(trackers[pods - remnants + selfIndex]!);
  return slice;
}

/**
 * One activator's revisionThrottler: a breaker whose capacity follows the pods assigned to
 * this activator (containerConcurrency × pods, or unbounded with CC 0 once one pod exists),
 * a FIFO of waiting requests (Go's waiters are roughly FIFO; knsim makes it exact), and the
 * load-balancing policy chosen by containerConcurrency. Requests wait here while the
 * revision has no healthy pod: this is where a cold request is buffered.
 */
export class RevisionThrottler {
  private all: PodTracker[] = [];
  private assigned: PodTracker[] = [];
  private readonly waiters = new Deque<Waiter>();
  private waiting = 0;
  inFlight = 0;
  capacity = 0;
  readonly policyName: string;
  private readonly policy: LBPolicy;
  private selfIndex = -1;
  private numActivators = 1;

  constructor(
    private readonly env: Environment,
    readonly containerConcurrency: number,
    rng: Rng,
  ) {
    const p = policyFor(containerConcurrency, rng);
    this.policyName = p.name;
    this.policy = p.policy;
  }

  get queued(): number {
    return this.waiting;
  }

  get podCount(): number {
    return this.assigned.length;
  }

  /** Healthy pods as (ip, pod) pairs; in-flight counts of pods that stay are kept. */
  updateBackends(pods: ReadonlyArray<{ ip: string; pod: string }>): void {
    const prev = new Map(this.all.map((t) => [t.dest, t]));
    const cap = this.containerConcurrency === 0 ? Infinity : this.containerConcurrency;
    this.all = pods
      .map(({ ip, pod }) => prev.get(`${ip}:${QUEUE_SERVING_PORT}`) ?? { dest: `${ip}:${QUEUE_SERVING_PORT}`, ip, pod, capacity: cap, inFlight: 0 })
      .sort((a, b) => (a.dest < b.dest ? -1 : a.dest > b.dest ? 1 : 0));
    this.recompute();
  }

  /** This activator's place in the revision's activator subset (index −1: not in it). */
  updateActivators(selfIndex: number, numActivators: number): void {
    this.selfIndex = selfIndex;
    this.numActivators = numActivators;
    this.recompute();
  }

  private recompute(): void {
    this.assigned = assignSlice(this.all, this.selfIndex, this.numActivators, this.containerConcurrency);
    this.capacity = this.containerConcurrency === 0 ? (this.assigned.length > 0 ? Infinity : 0) : this.containerConcurrency * this.assigned.length;
    this.drain();
  }

  private tryPick(): PodTracker | null {
    if (this.inFlight >= this.capacity) return null;
    const t = this.policy(this.assigned);
    if (t === null) return null;
    t.inFlight++;
    this.inFlight++;
    return t;
  }

  /** Reserves a pod with a free slot at once when nobody is waiting for one; null otherwise. */
  tryAcquire(): PodTracker | null {
    return this.waiting === 0 ? this.tryPick() : null;
  }

  /** Waits for a pod with a free slot (FIFO behind earlier requests) and reserves it. */
  *acquire(): Generator<Event<any>, PodTracker, any> {
    const now = this.tryAcquire();
    if (now !== null) return now;
    return yield* this.waitForSlot();
  }

  /** Queues behind earlier requests for a slot (after `tryAcquire` found none). */
  *waitForSlot(): Generator<Event<any>, PodTracker, any> {
    const w = new Waiter(this.env.event<PodTracker>());
    this.waiters.push(w);
    this.waiting++;
    let got = false;
    try {
      const t = yield* w.ev;
      got = true;
      return t;
    } finally {
      if (!got) {
        if (w.ev.triggered) this.release(w.ev.value);
        else {
          w.cancelled = true;
          this.waiting--;
        }
      }
    }
  }

  release(t: PodTracker): void {
    t.inFlight--;
    this.inFlight--;
    this.drain();
  }

  private drain(): void {
    while (this.waiting > 0) {
      const head = this.waiters.peek()!;
      if (head.cancelled) {
        this.waiters.shift();
        continue;
      }
      const t = this.tryPick();
      if (t === null) return;
      this.waiters.shift();
      this.waiting--;
      head.ev.succeed(t);
    }
    while (this.waiters.length > 0 && this.waiters.peek()!.cancelled) this.waiters.shift();
  }
}
