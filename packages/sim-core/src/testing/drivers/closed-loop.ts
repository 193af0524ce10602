import type { Cluster } from '../../cluster/cluster.js';
import type { ClientRequest, ClientResponse } from '../../cluster/types.js';
import type { Event } from '../../engine/event.js';
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
 * until the last answers arrive. Responses in the order they were answered.
 */
export function closedLoop(cluster: Cluster, request: ClientRequest, o: ClosedLoopOptions): ClientResponse[] {
  const env = cluster.env;
  const end = env.now + o.durationMs;
  const think = o.thinkMs ?? 0;
  const out: ClientResponse[] = [];
  const users: Event<unknown>[] = [];
  for (let u = 0; u < o.users; u++) {
    users.push(
      env.process(
        (function* () {
          while (env.now < end) {
            out.push(yield* cluster.send(request));
            if (think > 0) yield* env.timeout(think);
          }
        })(),
        `testing closed-loop user ${u}`,
      ),
    );
  }
  if (users.length > 0) awaitEvent(cluster, env.allOf(users));
  return out;
}
