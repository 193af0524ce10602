import type { Cluster } from '../../cluster/cluster.js';
import type { ClientRequest, ClientResponse } from '../../cluster/types.js';
import { startClosedLoop } from '../../cluster/closed-loop.js';
import { awaitEvent } from '../_internals/advance.js';

export interface ClosedLoopOptions {
  /** Virtual users, each sending its next request when its previous one is answered. */
  users: number;
  durationMs: number;
  /** A user's pause between an answer and its next request (default 0). */
  thinkMs?: number;
}

/**
 * A closed loop: `users` users for `durationMs` (a user starts no request after it), then runs
 * until the last answers arrive. Responses in the order they were answered. The loop is
 * `startClosedLoop`'s (the one `knsim hey` drives); this keeps every answer, for a test.
 */
export function closedLoop(cluster: Cluster, request: ClientRequest, o: ClosedLoopOptions): ClientResponse[] {
  const out: ClientResponse[] = [];
  if (o.users <= 0) return out;
  const done = startClosedLoop(cluster, { users: o.users, request, durationMs: o.durationMs, ...(o.thinkMs !== undefined ? { thinkMs: o.thinkMs } : {}), onResponse: (r) => out.push(r) });
  awaitEvent(cluster, done);
  return out;
}
