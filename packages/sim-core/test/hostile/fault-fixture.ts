import { Cluster, type ClientResponse, type ClusterOptions } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';

/** The Service the fault tests hit: `app`, two pods held (min-scale 2), each request 2 s. */
export const URL = 'http://app.default.example.com/';

export function cluster(seed: number, opts: ClusterOptions = {}, annotations: Record<string, string> = {}): Cluster {
  const c = new Cluster({ seed, ...opts });
  c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '2', 'knsim.dev/service-time': 'const(2s)', ...annotations } }));
  c.waitForReady();
  return c;
}

/** `n` requests, one every `everyMs` from now; answers in the order they arrive. */
export function send(c: Cluster, n: number, everyMs: number): { sent: () => number; answers: ClientResponse[] } {
  const answers: ClientResponse[] = [];
  let sent = 0;
  for (let i = 0; i < n; i++) {
    c.env.timeout(i * everyMs).addCallback(() => {
      sent++;
      c.send({ url: URL }).addCallback((e) => answers.push(e.value as ClientResponse));
    });
  }
  return { sent: () => sent, answers };
}

/** A fault schedule's pod fault: kills (or deletes) one of app's Running pods, chosen by `seed`; none Running, nothing. */
export function killOrDeleteAPod(c: Cluster, seed: number, kind: 'kill' | 'delete'): void {
  const live = c.pods('app-00001').filter((p) => p.status === 'Running');
  if (live.length === 0) return;
  const pod = live[seed % live.length]!.name;
  if (kind === 'kill') c.killPod('app-00001', pod);
  else c.deletePod('app-00001', pod);
}
