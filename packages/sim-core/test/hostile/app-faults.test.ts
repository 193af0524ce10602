import { describe, expect, it } from 'vitest';
import { Cluster, NotFoundError, UserInputError, type ClientResponse, type KnsimTraceEvent } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';

/**
 * Issue 15, faults: `Cluster.appErrors` and `Cluster.appSlow`, a revision's program that fails a
 * fraction of its requests (500, passed on by queue-proxy and the proxies) or answers more slowly
 * for a window, then recovers.
 */
const URL = 'http://app.default.example.com/';

function cluster(seed: number) {
  const c = new Cluster({ seed });
  c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '2', 'knsim.dev/service-time': 'const(20ms)' } }));
  c.waitForReady();
  return c;
}

/** One request every 50 ms for `ms`; answers with the time each was sent. */
function steady(c: Cluster, ms: number): { sent: number; answers: ClientResponse[] } {
  const out = { sent: 0, answers: [] as ClientResponse[] };
  for (let t = 0; t < ms; t += 50) {
    c.env.timeout(t).addCallback(() => {
      out.sent++;
      c.send({ url: URL }).addCallback((e) => out.answers.push(e.value as ClientResponse));
    });
  }
  return out;
}

describe('app faults for a window (issue 15, faults)', () => {
  it('appErrors: about the fraction of requests inside the window answer 500, none outside, all answered', () => {
    const c = cluster(1);
    const faults: KnsimTraceEvent[] = [];
    c.trace.on('fault', (e) => faults.push(e));
    const load = steady(c, 30_000);
    c.runFor(10_000);
    const from = c.now;
    c.appErrors('app-00001', 0.5, 10_000);
    c.runFor(40_000);
    expect(load.answers).toHaveLength(load.sent);
    const inside = load.answers.filter((r) => r.startMs >= from + 100 && r.startMs < from + 9_900);
    const outside = load.answers.filter((r) => r.startMs < from - 100 || r.startMs >= from + 10_100);
    const failed = inside.filter((r) => r.status === 500);
    expect(failed.every((r) => r.body === 'Internal Server Error\n')).toBe(true);
    expect(failed.length / inside.length).toBeGreaterThan(0.4);
    expect(failed.length / inside.length).toBeLessThan(0.6);
    expect(inside.filter((r) => r.status !== 200 && r.status !== 500)).toEqual([]);
    expect(outside.filter((r) => r.status !== 200)).toEqual([]);
    expect(faults.map((e) => e.type === 'fault' && [e.fault, e.phase, e.t])).toEqual([
      ['appErrors', 'start', from],
      ['appErrors', 'end', from + 10_000],
    ]);
  });

  it('appSlow: requests inside the window take the added latency, then it recovers', () => {
    const c = cluster(2);
    const load = steady(c, 30_000);
    c.runFor(10_000);
    const from = c.now;
    c.appSlow('app-00001', 700, 10_000);
    c.runFor(40_000);
    expect(load.answers).toHaveLength(load.sent);
    expect(load.answers.every((r) => r.status === 200)).toBe(true);
    const inside = load.answers.filter((r) => r.startMs >= from + 100 && r.startMs < from + 9_900);
    const after = load.answers.filter((r) => r.startMs >= from + 12_000);
    expect(Math.min(...inside.map((r) => r.latencyMs))).toBeGreaterThanOrEqual(720);
    expect(Math.max(...after.map((r) => r.latencyMs))).toBeLessThan(500);
  });

  it('bad arguments are user errors; an unknown revision is NotFound', () => {
    const c = cluster(3);
    expect(() => c.appErrors('app-00001', 1.5, 1000)).toThrow(UserInputError);
    expect(() => c.appErrors('app-00001', 0.5, Infinity)).toThrow(UserInputError);
    expect(() => c.appSlow('app-00001', -1, 1000)).toThrow(UserInputError);
    expect(() => c.appSlow('nope-00001', 10, 1000)).toThrow(NotFoundError);
  });
});
