import type { Cluster } from '../../cluster/cluster.js';
import type { ClientRequest, ClientResponse } from '../../cluster/types.js';
import type { LoadPattern } from '../types.js';
import { closedLoop } from './closed-loop.js';
import { openLoop } from './open-loop.js';
import { burst } from './burst.js';
import { advanceTo } from '../_internals/advance.js';

/** Sends a load pattern (as `loadPattern()` generates them) and returns every response. */
export function drive(cluster: Cluster, request: ClientRequest, p: LoadPattern): ClientResponse[] {
  switch (p.kind) {
    case 'constant':
      return openLoop(cluster, request, { rps: p.rps, durationMs: p.durationMs, arrival: 'uniform' });
    case 'poisson':
      return openLoop(cluster, request, { rps: p.rps, durationMs: p.durationMs, arrival: 'poisson' });
    case 'ramp':
      return openLoop(cluster, request, { rps: p.fromRps, toRps: p.toRps, durationMs: p.durationMs, arrival: 'poisson' });
    case 'closed':
      return closedLoop(cluster, request, { users: p.users, durationMs: p.durationMs, thinkMs: p.thinkMs });
    case 'burst': {
      const out: ClientResponse[] = [];
      for (let b = 0; b < p.bursts; b++) {
        if (b > 0) advanceTo(cluster, cluster.now + p.everyMs);
        out.push(...burst(cluster, request, p.requests));
      }
      return out;
    }
  }
}
