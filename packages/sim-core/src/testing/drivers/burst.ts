import type { Cluster } from '../../cluster/cluster.js';
import type { ClientRequest, ClientResponse } from '../../cluster/types.js';
import { awaitAll } from '../_internals/await-all.js';

/** Sends `n` requests at the same instant and runs until all are answered; responses in the order sent. */
export function burst(cluster: Cluster, request: ClientRequest, n: number): ClientResponse[] {
  const sent = Array.from({ length: n }, () => cluster.send(request));
  return awaitAll(cluster, sent);
}
