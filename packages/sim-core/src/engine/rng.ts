// seedrandom's Alea on its own: the package's index also loads its ARC4 generator, which requires
// node:crypto as it is imported (a few milliseconds of every knsim start) and is never used here.
import seedrandomAlea from 'seedrandom/lib/alea.js';

/** A source of uniform doubles in [0, 1). Randomness is always an explicit object. */
export interface Rng {
  next(): number;
}

export type RngKind = 'alea' | 'mulberry32';

/**
 * mulberry32, the 32-bit generator: state starts at the seed; each draw adds 0x6D2B79F5,
 * mixes, and divides by 2^32. Bit-compatible with the usual JavaScript one-liner and with
 * `shared/tools/simpy_mmc.py`, which is what lets knsim reproduce SimPy's sample path.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const r: Rng = {
    next(): number {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
  return r;
}

/**
 * seedrandom's Alea generator seeded from a string: fast, and identical on every platform.
 * seedrandom seeds it (Baagoe's Mash); the step, three lines, runs here on the generator's own
 * numeric fields, which V8 keeps unboxed, instead of through seedrandom's two closures. The
 * draws are seedrandom's, bit for bit (a test compares them).
 */
export function alea(seed: string): Rng {
  return new AleaRng(seedrandomAlea(seed, { state: true }).state());
}

class AleaRng implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private c: number;

  constructor(state: { s0: number; s1: number; s2: number; c: number }) {
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
    this.c = state.c;
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }
}

/** FNV-1a over a string's UTF-16 code units: a stable 32-bit hash for stream labels. */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * One root seed, independent named streams. A stream is derived from the root seed and its
 * label alone, so adding a component (a new label) never changes another component's draws.
 */
export class RngStreams {
  constructor(
    readonly seed: number | string,
    readonly kind: RngKind = 'alea',
  ) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  }

  /** The stream for a label; the same label always gives a fresh stream with the same draws. */
  fork(label: string): Rng {
    if (this.kind === 'mulberry32') {
      const base = typeof this.seed === 'number' ? this.seed >>> 0 : hashLabel(this.seed);
      return mulberry32((base ^ hashLabel(label)) >>> 0);
    }
    return alea(`${this.seed}\u0000${label}`);
  }

  /** A child family of streams under a label prefix. */
  child(label: string): RngStreams {
    return new RngStreams(`${this.seed}/${label}`, this.kind);
  }
}
