import type { Cluster } from '../../cluster/cluster.js';
import type { ClientRequest, ClientResponse } from '../../cluster/types.js';
import { awaitEvent } from '../_internals/advance.js';

/**
 * Sends `n` requests one after another, each when the previous one is answered (`curl` in a
 * loop, `knsim curl -n`), and returns the responses in order.
 */
export function sendN(cluster: Cluster, request: ClientRequest, n: number): ClientResponse[] {
  const out: ClientResponse[] = [];
  for (let i = 0; i < n; i++) out.push(awaitEvent(cluster, cluster.send(request)));
  return out;
}
