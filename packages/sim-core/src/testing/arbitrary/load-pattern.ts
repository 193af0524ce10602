import fc from 'fast-check';
import type { LoadPattern } from '../types.js';

export interface LoadPatternOptions {
  /** Most requests a pattern sends, in expectation (default 100). */
  maxRequests?: number;
  /** Longest pattern (default 30 s). */
  maxDurationMs?: number;
  /** Which shapes (default all). */
  kinds?: ReadonlyArray<LoadPattern['kind']>;
}

/**
 * A load as plain data for `drive()`: constant or Poisson open loops, a ramp, bursts, or
 * closed-loop users; every shape sized so it sends at most `maxRequests` in expectation (a
 * closed loop's think time is long enough for that). Shrinks toward one request.
 */
export function loadPattern(o: LoadPatternOptions = {}): fc.Arbitrary<LoadPattern> {
  const maxN = Math.max(1, o.maxRequests ?? 100);
  const maxS = Math.max(1, Math.floor((o.maxDurationMs ?? 30_000) / 1000));
  const seconds = fc.integer({ min: 1, max: maxS });
  const count = fc.integer({ min: 1, max: maxN });
  const all: Record<LoadPattern['kind'], fc.Arbitrary<LoadPattern>> = {
    constant: fc.tuple(count, seconds).map(([n, s]) => ({ kind: 'constant' as const, rps: n / s, durationMs: s * 1000 })),
    poisson: fc.tuple(count, seconds).map(([n, s]) => ({ kind: 'poisson' as const, rps: n / s, durationMs: s * 1000 })),
    // (from + to) / 2 × duration = n: a share f of 2n/s starts the ramp, the rest ends it.
    ramp: fc.tuple(count, seconds, fc.integer({ min: 0, max: 100 })).map(([n, s, f]) => ({ kind: 'ramp' as const, fromRps: (2 * n * f) / 100 / s, toRps: (2 * n * (100 - f)) / 100 / s, durationMs: s * 1000 })),
    burst: fc
      .tuple(fc.integer({ min: 1, max: Math.min(5, maxN) }), fc.integer({ min: 1, max: maxN }), seconds)
      .map(([bursts, n, s]) => ({ kind: 'burst' as const, bursts, requests: Math.max(1, Math.floor(n / bursts)), everyMs: Math.max(100, Math.floor((s * 1000) / bursts)) })),
    closed: fc.tuple(fc.integer({ min: 1, max: Math.min(10, maxN) }), seconds, fc.integer({ min: 0, max: 2000 })).map(([users, s, extra]) => ({
      kind: 'closed' as const,
      users,
      durationMs: s * 1000,
      // Each user sends at most duration / think requests.
      thinkMs: Math.ceil((users * s * 1000) / maxN) + extra,
    })),
  };
  const kinds = o.kinds ?? (Object.keys(all) as Array<LoadPattern['kind']>);
  return fc.oneof(...kinds.map((k) => all[k]));
}
