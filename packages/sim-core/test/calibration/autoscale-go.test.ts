import { describe, expect, it } from 'vitest';
import { runExperiment } from './hey-load.js';
import { Cluster } from '../../src/index.js';
import { AUTOSCALE_GO_SERVICE, URL_BASE } from './hey-load.js';

/**
 * The published autoscale-go run (knative/docs code-samples/serving/autoscale-go README:
 * `hey -z 30s -c 50 "...?sleep=100&prime=10000&bloat=5"` → 178.8 req/s, p50 0.2801 s, p99
 * 0.5457 s, 5 pods), reproduced from mechanisms with the parameters in docs/calibration.md, and
 * the doc's other experiments as predictions. A change that moves a figure out of its band fails.
 */
const CLIENT = { latencies: { clientToLoadBalancer: 'lognormal(60ms,0.1)' } };
const within = (x: number, target: number, tol: number) => expect(Math.abs(x - target) / target).toBeLessThanOrEqual(tol);

describe('the published autoscale-go run (docs/calibration.md)', () => {
  const run = runExperiment('sleep=100&prime=10000&bloat=5', { c: 50, durationMs: 30_000 }, CLIENT);

  it('requests/s and p50 within 15 % of the published run, 5 pods at the end', () => {
    within(run.summary.rps, 178.8, 0.15);
    within(run.summary.p50, 0.2801, 0.15);
    expect(run.readyPodsAtEnd).toBe(5);
    expect(run.summary.statuses).toEqual({ 200: run.summary.requests });
  });

  it('p99: knsim predicts 0.77 s against the published 0.546 s (not yet within the 25 % asked: docs/calibration.md)', () => {
    // Held where it is so that a change that moves it shows; the gap is the first seconds on one pod.
    within(run.summary.p99, 0.768, 0.1);
  });

  it('the slow requests are those of the first seconds, while one pod holds all 50 workers; the steady state is tight', () => {
    // docs/calibration.md, "The p99 gap": every request over the published 0.455 s histogram
    // bucket started before the new pods were Ready (8 s), and none after 9 s is over 0.46 s.
    const slow = run.responses.filter((r) => r.latencyMs > 455);
    expect(slow.length).toBeGreaterThan(300);
    for (const r of slow) expect(r.startMs - run.startMs).toBeLessThan(8_000);
    const steady = run.responses.filter((r) => r.startMs - run.startMs > 9_000).map((r) => r.latencyMs);
    expect(Math.max(...steady)).toBeLessThan(460);
  });
});

describe("the doc's other experiments (predictions, docs/calibration.md)", () => {
  it('-c 100 for 60 s: twice the load scales to about twice the pods (desired 100 / 10)', () => {
    const r = runExperiment('sleep=100&prime=10000&bloat=5', { c: 100, durationMs: 60_000 }, CLIENT);
    expect(r.readyPodsAtEnd).toBeGreaterThanOrEqual(8);
    expect(r.readyPodsAtEnd).toBeLessThanOrEqual(10);
    within(r.summary.rps, 212, 0.15);
  });

  it('-q 100 (per worker, 50 workers) with sleep=10: short requests need one pod; with sleep=1000, 50 in flight need five', () => {
    const short = runExperiment('sleep=10', { c: 50, qps: 100, durationMs: 60_000 }, CLIENT);
    expect(short.readyPodsAtEnd).toBe(1);
    const long = runExperiment('sleep=1000', { c: 50, qps: 100, durationMs: 60_000 }, CLIENT);
    expect(long.readyPodsAtEnd).toBe(5);
    within(long.summary.p50, 1.07, 0.05);
  });

  it('-q 100 with prime=40000000 (~1 CPU-second a request): CPU-bound pods, latency far above the CPU time', () => {
    const r = runExperiment('prime=40000000', { c: 50, qps: 100, durationMs: 60_000 }, CLIENT);
    expect(r.readyPodsAtEnd).toBe(5);
    expect(r.summary.p50).toBeGreaterThan(3);
  });

  it('-c 5 with bloat=1000: 5 GB held on one pod without a memory limit (the node has room); over a limit it is OOMKilled', () => {
    const r = runExperiment('bloat=1000', { c: 5, durationMs: 60_000 }, CLIENT);
    expect(r.readyPodsAtEnd).toBe(1);
    expect(r.restarts).toBe(0);
    const c = new Cluster({ seed: 1 });
    c.apply(AUTOSCALE_GO_SERVICE.replace('      - image: ghcr.io/knative/autoscale-go:latest\n', '      - image: ghcr.io/knative/autoscale-go:latest\n        resources:\n          limits:\n            memory: 2Gi\n'));
    c.waitForReady();
    const out: number[] = [];
    for (let i = 0; i < 5; i++) c.send({ url: `${URL_BASE}/?bloat=1000` }).addCallback((e) => out.push(e.value!.status));
    c.runFor(30_000);
    expect(out).toContain(502);
    expect(c.pods('autoscale-go-00001')[0]!.restarts).toBeGreaterThanOrEqual(1);
  });
});
