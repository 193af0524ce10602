import type { Rng } from '../engine/rng.js';

/** The activator's view of one pod of a revision (pkg/activator/net/throttler.go podTracker). */
export interface PodTracker {
  readonly dest: string; // "ip:port"
  readonly ip: string;
  readonly pod: string;
  /** Per-pod slots: containerConcurrency, or Infinity when it is 0. */
  capacity: number;
  inFlight: number;
}

/** Picks a pod with a free slot, or null. Targets are sorted by "ip:port". */
export type LBPolicy = (targets: readonly PodTracker[]) => PodTracker | null;

const intn = (rng: Rng, n: number) => Math.floor(rng.next() * n);

/**
 * randomChoice2Policy (lb_policy.go), for containerConcurrency 0: two distinct random pods,
 * the one with fewer requests in flight, a coin flip on a tie; a single pod is taken as is.
 */
export function randomChoice2Policy(rng: Rng): LBPolicy {
  return (targets) => {
    const l = targets.length;
    if (l === 0) return null;
    if (l === 1) return targets[0]!;
    let r1 = 0;
    let r2 = 1;
    if (l > 2) {
      r1 = intn(rng, l);
      r2 = intn(rng, l - 1);
      if (r2 >= r1) r2++;
    }
    let pick = targets[r1]!;
    const alt = targets[r2]!;
    if (pick.inFlight > alt.inFlight) pick = alt;
    else if (pick.inFlight === alt.inFlight && intn(rng, 2) === 0) pick = alt;
    return pick;
  };
}

/** firstAvailableLBPolicy, for containerConcurrency 1–3: the first pod (by "ip:port") with a free slot. */
export const firstAvailableLBPolicy: LBPolicy = (targets) => {
  for (const t of targets) if (t.inFlight < t.capacity) return t;
  return null;
};

/** newRoundRobinPolicy, for containerConcurrency > 3: from the pod after the last pick, skipping full pods. */
export function roundRobinPolicy(): LBPolicy {
  let idx = 0;
  return (targets) => {
    const l = targets.length;
    if (idx >= l) idx = 0;
    for (let i = 0; i < l; i++) {
      const p = (idx + i) % l;
      const t = targets[p]!;
      if (t.inFlight < t.capacity) {
        idx = p + 1;
        return t;
      }
    }
    return null;
  };
}

/** The policy Knative picks by containerConcurrency (throttler.go newRevisionThrottler). */
export function policyFor(containerConcurrency: number, rng: Rng): { name: string; policy: LBPolicy } {
  if (containerConcurrency === 0) return { name: 'randomChoice2', policy: randomChoice2Policy(rng) };
  if (containerConcurrency <= 3) return { name: 'firstAvailable', policy: firstAvailableLBPolicy };
  return { name: 'roundRobin', policy: roundRobinPolicy() };
}
