import type { Rng } from '@knsim/sim-core';

/**
 * Send times (ms, absolute) of open-loop loads, from a seeded stream. Rates are per second.
 * A non-constant rate λ(t) is realised by time-changing a unit-rate process: the k-th event of
 * a unit Poisson process (or the k-th integer, for evenly spaced arrivals) is sent at
 * Λ⁻¹(k), where Λ is the cumulative rate. So a ramp from A to B over D seconds sends
 * ≈ (A+B)/2·D requests, and the same seed gives the same times.
 */
export type Arrival = 'poisson' | 'uniform';

function* unitEvents(rng: Rng, arrival: Arrival): Generator<number> {
  let s = 0;
  for (;;) {
    s += arrival === 'poisson' ? -Math.log(1 - rng.next()) : 1;
    yield s;
  }
}

/** Constant rate over [start, start + duration). */
export function* constantArrivals(rng: Rng, arrival: Arrival, rps: number, startMs: number, durationMs: number): Generator<number> {
  if (rps <= 0) return;
  // Compare in unit time (events of a rate-1 process), where uniform arrivals are the integers
  // 0, 1, 2…: dividing by rps/1000 first rounds 34 rps × 1 s's 35th arrival to 999.99… ms.
  const total = (rps * durationMs) / 1000;
  for (const k of unitEvents(rng, arrival)) {
    const s = arrival === 'uniform' ? k - 1 : k;
    if (s >= total) return;
    const t = startMs + (s * 1000) / rps;
    if (t >= startMs + durationMs) return;
    yield t;
  }
}

/** A linear ramp of the rate from `from` to `to` over the duration. */
export function* rampArrivals(rng: Rng, arrival: Arrival, from: number, to: number, startMs: number, durationMs: number): Generator<number> {
  const a = from / 1000; // per ms
  const b = (to - from) / 1000 / durationMs; // per ms²
  const total = a * durationMs + (b * durationMs * durationMs) / 2;
  for (const k0 of unitEvents(rng, arrival)) {
    const k = arrival === 'uniform' ? k0 - 0.5 : k0;
    if (k >= total) return;
    // Solve a·t + b·t²/2 = k for t ≥ 0, in the form without cancellation (also right for b = 0);
    // rounding near the end of a ramp down to 0 can still land on the window's end, and so can
    // adding the start (5000 + 2999.9999999999995 is 8000), so the absolute time is compared.
    const t = startMs + (2 * k) / (a + Math.sqrt(Math.max(0, a * a + 2 * b * k)));
    if (!(t < startMs + durationMs)) return;
    yield t;
  }
}

/** Consecutive stages of constant rates. */
export function* stepArrivals(rng: Rng, arrival: Arrival, stages: ReadonlyArray<{ rps: number; durationMs: number }>, startMs: number): Generator<number> {
  let t0 = startMs;
  for (const s of stages) {
    yield* constantArrivals(rng, arrival, s.rps, t0, s.durationMs);
    t0 += s.durationMs;
  }
}

/** A baseline rate plus `requests` sent at once every `everyMs`, first at `atMs` into the load. */
export function* burstArrivals(rng: Rng, arrival: Arrival, rps: number, burst: { requests: number; everyMs: number; atMs: number }, startMs: number, durationMs: number): Generator<number> {
  const base = rps > 0 ? constantArrivals(rng, arrival, rps, startMs, durationMs) : (function* () {})();
  let nextBase = base.next();
  let burstAt = startMs + burst.atMs;
  const end = startMs + durationMs;
  for (;;) {
    const b = burstAt < end ? burstAt : Infinity;
    const n = nextBase.done ? Infinity : nextBase.value;
    if (b === Infinity && n === Infinity) return;
    if (b <= n) {
      for (let i = 0; i < burst.requests; i++) yield b;
      burstAt += burst.everyMs;
    } else {
      yield n;
      nextBase = base.next();
    }
  }
}

/**
 * Replay of per-minute invocation counts: minute m's `count` requests spread over that minute,
 * evenly (`uniform`) or at random times (`poisson`: a Poisson process conditioned on the count).
 */
export function* traceArrivals(rng: Rng, spread: Arrival, counts: readonly number[], startMs: number): Generator<number> {
  for (let m = 0; m < counts.length; m++) {
    const n = counts[m]!;
    const t0 = startMs + m * 60_000;
    if (spread === 'uniform') {
      for (let i = 0; i < n; i++) yield t0 + ((i + 0.5) * 60_000) / n;
    } else if (n <= SORTED_DRAWS_MAX) {
      const ts = Array.from({ length: n }, () => rng.next() * 60_000).sort((a, b) => a - b);
      for (const t of ts) yield t0 + t;
    } else {
      // Too many to hold: the same order statistics drawn in order, in constant memory (the
      // k-th smallest of the remaining n-k uniforms above x is 1 - (1-x)·U^(1/(n-k))).
      let x = 0;
      for (let k = 0; k < n; k++) {
        x = 1 - (1 - x) * Math.pow(1 - rng.next(), 1 / (n - k));
        yield t0 + x * 60_000;
      }
    }
  }
}

/** Up to this many arrivals in a trace minute are drawn and sorted; beyond, drawn in order. */
const SORTED_DRAWS_MAX = 1_000_000;
