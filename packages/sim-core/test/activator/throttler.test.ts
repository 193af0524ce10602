import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Environment } from '../../src/engine/environment.js';
import { RngStreams } from '../../src/engine/rng.js';
import { assignSlice, RevisionThrottler } from '../../src/activator/throttler.js';
import { firstAvailableLBPolicy, randomChoice2Policy, roundRobinPolicy, type PodTracker } from '../../src/activator/lb-policy.js';

const tracker = (i: number, cap = 1, inFlight = 0): PodTracker => ({ dest: `10.0.0.${i}:8012`, ip: `10.0.0.${i}`, pod: `p${i}`, capacity: cap, inFlight });

describe('assignSlice (throttler.go)', () => {
  const pods = [1, 2, 3, 4, 5].map((i) => tracker(i));
  it('gives all pods with CC 0, when not in the subset, or with one activator', () => {
    expect(assignSlice(pods, 0, 2, 0)).toHaveLength(5);
    expect(assignSlice(pods, -1, 2, 10)).toHaveLength(5);
    expect(assignSlice(pods, 0, 1, 10)).toHaveLength(5);
  });
  it('gives one pod by index when there are more activators than pods', () => {
    expect(assignSlice(pods.slice(0, 2), 3, 4, 10).map((t) => t.pod)).toEqual(['p2']);
  });
  it('splits evenly and hands remnant pods to the low indexes, exclusively', () => {
    // 5 pods over 2 activators: size 2, one remnant (pod 5) for index 0.
    expect(assignSlice(pods, 0, 2, 10).map((t) => t.pod)).toEqual(['p1', 'p2', 'p5']);
    expect(assignSlice(pods, 1, 2, 10).map((t) => t.pod)).toEqual(['p3', 'p4']);
  });
  it('covers every pod exactly once across the activator subset (law)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 8 }), (n, acts) => {
        const ts = Array.from({ length: n }, (_, i) => tracker(i + 1));
        const seen = new Map<string, number>();
        for (let i = 0; i < acts; i++) for (const t of assignSlice(ts, i, acts, 5)) seen.set(t.pod, (seen.get(t.pod) ?? 0) + 1);
        if (acts <= n) {
          expect(seen.size).toBe(n);
          for (const c of seen.values()) expect(c).toBe(1);
        }
      }),
    );
  });
});

describe('load-balancing policies (lb_policy.go)', () => {
  it('first available takes the first pod with a free slot', () => {
    expect(firstAvailableLBPolicy([tracker(1, 1, 1), tracker(2, 1, 0), tracker(3, 1, 0)])?.pod).toBe('p2');
    expect(firstAvailableLBPolicy([tracker(1, 1, 1)])).toBeNull();
  });
  it('round robin starts after the last pick and skips full pods', () => {
    const rr = roundRobinPolicy();
    const ts = [tracker(1, 10), tracker(2, 10), tracker(3, 10)];
    expect([rr(ts), rr(ts), rr(ts), rr(ts)].map((t) => t?.pod)).toEqual(['p1', 'p2', 'p3', 'p1']);
    ts[1]!.inFlight = 10;
    expect([rr(ts), rr(ts)].map((t) => t?.pod)).toEqual(['p3', 'p1']);
  });
  it('random choice of two prefers the less loaded pod', () => {
    const pick = randomChoice2Policy(new RngStreams(3).fork('lb'));
    const ts = [tracker(1, Infinity, 5), tracker(2, Infinity, 0)];
    for (let i = 0; i < 20; i++) expect(pick(ts)?.pod).toBe('p2');
  });
});

describe('RevisionThrottler', () => {
  it('buffers requests while there is no pod and releases them FIFO once one is healthy', () => {
    const env = new Environment();
    const th = new RevisionThrottler(env, 1, new RngStreams(1).fork('t'));
    const order: number[] = [];
    for (let i = 0; i < 3; i++) {
      env.process(
        (function* () {
          const t = yield* th.acquire();
          order.push(i);
          yield* env.timeout(10);
          th.release(t);
        })(),
      );
    }
    env.run({ until: 100 });
    expect(order).toEqual([]);
    expect(th.queued).toBe(3);
    th.updateBackends([{ ip: '10.0.0.1', pod: 'p1' }]);
    env.run({ until: 200 });
    expect(order).toEqual([0, 1, 2]); // CC 1: one at a time, in arrival order
    expect(env.now).toBe(200);
  });

  it('never exceeds containerConcurrency per pod (law)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 40 }), (cc, pods, arrivals) => {
        const env = new Environment();
        const th = new RevisionThrottler(env, cc, new RngStreams(2).fork('t'));
        th.updateBackends(Array.from({ length: pods }, (_, i) => ({ ip: `10.0.0.${i + 1}`, pod: `p${i}` })));
        const inFlight = new Map<string, number>();
        let served = 0;
        for (const a of arrivals) {
          env.process(
            (function* () {
              yield* env.timeout(a);
              const t = yield* th.acquire();
              inFlight.set(t.pod, (inFlight.get(t.pod) ?? 0) + 1);
              expect(inFlight.get(t.pod)!).toBeLessThanOrEqual(cc);
              yield* env.timeout(7);
              inFlight.set(t.pod, inFlight.get(t.pod)! - 1);
              th.release(t);
              served++;
            })(),
          );
        }
        env.run();
        expect(served).toBe(arrivals.length);
      }),
    );
  });
});
