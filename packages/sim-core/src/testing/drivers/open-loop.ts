import type { Cluster } from '../../cluster/cluster.js';
import type { ClientRequest, ClientResponse } from '../../cluster/types.js';
import type { Event } from '../../engine/event.js';
import { advanceTo } from '../_internals/advance.js';
import { awaitAll } from '../_internals/await-all.js';

export interface OpenLoopOptions {
  /** Requests per simulated second (the starting rate of a ramp). */
  rps: number;
  durationMs: number;
  /** Evenly spaced (default) or Poisson arrivals from the cluster's seeded stream. */
  arrival?: 'uniform' | 'poisson';
  /** A ramp: the rate at the end (linear in between). */
  toRps?: number;
}

/**
 * An open loop: requests arrive at a rate whatever the answers, for `durationMs`; then runs until
 * every request is answered. Arrival times come from a stream forked from the cluster's seed
 * (labelled with the start time), so the same seed sends at the same times. A changing rate is
 * realised by time-changing a unit-rate process: the count follows the rate's integral.
 */
export function openLoop(cluster: Cluster, request: ClientRequest, o: OpenLoopOptions): ClientResponse[] {
  if (!(o.rps >= 0 && (o.toRps ?? o.rps) >= 0 && o.durationMs >= 0)) throw new RangeError(`openLoop: rates and duration must be >= 0, got ${JSON.stringify(o)}`);
  const start = cluster.now;
  const r0 = o.rps / 1000;
  const r1 = (o.toRps ?? o.rps) / 1000;
  const d = o.durationMs;
  // Λ(t) = r0 t + (r1 - r0) t² / 2d, the expected arrivals by t; its inverse maps unit-rate times.
  const total = ((r0 + r1) / 2) * d;
  const inverse = (u: number) => {
    if (r1 === r0) return u / r0;
    const a = (r1 - r0) / (2 * d);
    return (-r0 + Math.sqrt(r0 * r0 + 4 * a * u)) / (2 * a);
  };
  const rng = cluster.rngFor(`testing/open-loop@${start}`);
  const sent: Event<ClientResponse>[] = [];
  const poisson = o.arrival === 'poisson';
  let u = 0;
  let i = 0;
  const next = (): number | undefined => {
    u = poisson ? u - Math.log(1 - rng.next()) : i + 0.5;
    i++;
    return u < total ? start + inverse(u) : undefined;
  };
  let t = next();
  while (t !== undefined) {
    advanceTo(cluster, t);
    sent.push(cluster.send(request));
    t = next();
  }
  advanceTo(cluster, start + d);
  return awaitAll(cluster, sent);
}
