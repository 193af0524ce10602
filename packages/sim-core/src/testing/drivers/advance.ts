import type { Cluster } from '../../cluster/cluster.js';
import { advanceTo } from '../_internals/advance.js';

/**
 * Runs the simulated clock forward by `ms`, like `cluster.runFor`, but fails with a
 * `LawViolation` ("progress") when the clock stops moving — a livelock in the simulation
 * — rather than spinning forever. Every driver of the kit advances time this way.
 */
export function advance(cluster: Cluster, ms: number): void {
  advanceTo(cluster, cluster.now + ms);
}
