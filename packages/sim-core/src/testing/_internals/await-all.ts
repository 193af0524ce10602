import type { Cluster } from '../../cluster/cluster.js';
import type { ClientResponse } from '../../cluster/types.js';
import type { Event } from '../../engine/event.js';
import { awaitEvent } from './advance.js';

/** Runs the cluster until every one of `sent` is answered; the responses in the order sent. */
export function awaitAll(cluster: Cluster, sent: ReadonlyArray<Event<ClientResponse>>): ClientResponse[] {
  if (sent.length > 0) awaitEvent(cluster, cluster.env.allOf(sent));
  return sent.map((e) => e.value);
}
