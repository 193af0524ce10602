import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cluster, type ClientResponse, type ClusterOptions } from '../../src/index.js';

/**
 * `hey` as the Knative docs run it, through the library (what `knsim hey` does from the CLI): `c` workers,
 * each sending its next request when the previous one answers, for `durationMs`; with `qps`,
 * each worker waits for its own ticker (hey's -q is per worker: `time.Tick(1s / qps)`).
 */
export function hey(cluster: Cluster, url: string, o: { c: number; durationMs: number; qps?: number }): ClientResponse[] {
  const env = cluster.env;
  const end = env.now + o.durationMs;
  const out: ClientResponse[] = [];
  const tick = o.qps !== undefined ? 1000 / o.qps : 0;
  for (let u = 0; u < o.c; u++) {
    env.process(
      (function* () {
        let next = env.now + tick;
        while (env.now < end) {
          if (tick > 0) {
            yield* env.timeoutAt(Math.max(env.now, next));
            next = Math.max(next + tick, env.now);
            if (env.now >= end) break;
          }
          out.push(yield* cluster.send({ url }));
        }
      })(),
    );
  }
  cluster.runFor(o.durationMs);
  // hey stops at -z: requests still in flight are not counted.
  return out.filter((r) => r.endMs <= end);
}

export interface HeySummary {
  requests: number;
  rps: number;
  p10: number;
  p50: number;
  p99: number;
  slowest: number;
  statuses: Record<string, number>;
}

export function summarize(rs: ClientResponse[], durationMs: number): HeySummary {
  const lat = rs.map((r) => r.latencyMs / 1000).sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  const statuses: Record<string, number> = {};
  for (const r of rs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return { requests: rs.length, rps: rs.length / (durationMs / 1000), p10: q(0.1), p50: q(0.5), p99: q(0.99), slowest: lat[lat.length - 1] ?? NaN, statuses };
}

/** The docs' service.yaml (autoscaling.knative.dev/target "10"): docs/calibration/service.yaml, the calibration's own manifest. */
export const AUTOSCALE_GO_SERVICE = readFileSync(fileURLToPath(new URL('../../../../docs/calibration/service.yaml', import.meta.url)), 'utf8');

/**
 * The cluster of the published run (docs/calibration.md): Knative's autoscaler as it was then
 * (target utilisation 100 %, no activator in the path once pods exist) and the era's user
 * container CPU request.
 */
export function publishedEraCluster(extra: ClusterOptions = {}): Cluster {
  return new Cluster({
    seed: 1,
    ...extra,
    config: {
      'config-autoscaler': { 'container-concurrency-target-percentage': '100', 'target-burst-capacity': '0' },
      'config-defaults': { 'revision-cpu-request': '400m' },
      ...(extra.config ?? {}),
    },
  });
}

export const URL_BASE = 'http://autoscale-go.default.example.com';

/** The run: apply, one request (the doc's curl, which leaves a pod up), then hey. */
export function runExperiment(query: string, o: { c: number; durationMs: number; qps?: number }, extra: ClusterOptions = {}) {
  const c = publishedEraCluster(extra);
  c.apply(AUTOSCALE_GO_SERVICE);
  c.waitForReady();
  const first = hey(c, `${URL_BASE}/?sleep=100&prime=10000&bloat=5`, { c: 1, durationMs: 1 });
  void first;
  c.runFor(5_000);
  const startMs = c.env.now;
  const rs = hey(c, `${URL_BASE}/?${query}`, o);
  const rev = c.revision('autoscale-go-00001');
  return { cluster: c, startMs, responses: rs, summary: summarize(rs, o.durationMs), readyPodsAtEnd: rev.readyPods.length, maxReadyPods: rev.maxReadyPods, restarts: c.pods('autoscale-go-00001').reduce((n, p) => n + p.restarts, 0) };
}
