/**
 * The kit's own clock driving, with a guard: a simulation that keeps processing events without
 * its clock moving is in a livelock (a callback re-scheduling itself at the same instant), and a
 * test must fail with the time it happened at, not hang. `Cluster.runFor` and `Environment.run`
 * would spin forever; these step one event at a time and count.
 */
import type { Cluster } from '../../cluster/cluster.js';
import type { Event } from '../../engine/event.js';
import { LawViolation } from '../laws/law-violation.js';

/** Events at one instant after which the clock is taken to be stuck. */
const STUCK = 200_000;

function stuck(cluster: Cluster): never {
  throw new LawViolation('progress', `the clock is stuck at t=${cluster.now} ms: ${STUCK} events processed without time moving (a livelock in the simulation)`, { atMs: cluster.now });
}

/** Runs until `untilMs` (events before it), like `cluster.runUntil`. */
export function advanceTo(cluster: Cluster, untilMs: number): void {
  const env = cluster.env;
  let at = env.now;
  let n = 0;
  while (env.peek() < untilMs) {
    env.step();
    if (env.now !== at) {
      at = env.now;
      n = 0;
    } else if (++n > STUCK) stuck(cluster);
  }
  cluster.runUntil(Math.max(env.now, untilMs));
}

/** Runs until `ev` has been processed, and returns its value (throws its error). */
export function awaitEvent<T>(cluster: Cluster, ev: Event<T>): T {
  const env = cluster.env;
  let at = env.now;
  let n = 0;
  while (!ev.processed) {
    if (env.pending === 0) break;
    env.step();
    if (env.now !== at) {
      at = env.now;
      n = 0;
    } else if (++n > STUCK) stuck(cluster);
  }
  // Hands back the value, or the error, as Environment.run does (and reports an empty schedule).
  return env.run({ until: ev }) as T;
}
