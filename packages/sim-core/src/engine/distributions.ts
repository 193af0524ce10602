import type { Rng } from './rng.js';
import { parseDuration, DurationError } from './duration.js';

/**
 * Distributions for latencies and service times. Each draws from an Rng passed in, so the
 * randomness stays an explicit, seeded object. Values are in whatever unit the caller uses
 * (the Knative layers use milliseconds).
 */
export interface Distribution {
  readonly kind: 'constant' | 'uniform' | 'exponential' | 'normal' | 'lognormal' | 'empirical';
  /** The distribution's mean (for reports and calibration). */
  readonly mean: number;
  sample(rng: Rng): number;
  /** The spec string that parses back into this distribution. */
  toString(): string;
}

const fmt = (x: number) => String(Number(x.toPrecision(12)));

export function constant(value: number): Distribution {
  checkFinite('constant value', value);
  return { kind: 'constant', mean: value, sample: () => value, toString: () => `const(${fmt(value)})` };
}

export function uniform(min: number, max: number): Distribution {
  checkFinite('uniform min', min);
  checkFinite('uniform max', max);
  if (max < min) throw new RangeError(`uniform needs min <= max, got ${min} > ${max}`);
  const w = max - min;
  return { kind: 'uniform', mean: (min + max) / 2, sample: (r) => min + w * r.next(), toString: () => `uniform(${fmt(min)},${fmt(max)})` };
}

/** Exponential with the given mean, drawn by inversion: -ln(1-u)·mean. */
export function exponential(mean: number): Distribution {
  checkFinite('exponential mean', mean);
  if (!(mean > 0)) throw new RangeError(`exponential mean must be > 0, got ${mean}`);
  return { kind: 'exponential', mean, sample: (r) => -Math.log(1 - r.next()) * mean, toString: () => `exp(${fmt(mean)})` };
}

/** Exponential with the given rate, drawn exactly as SimPy's benchmark does: -ln(1-u)/rate. */
export function exponentialRate(rate: number): Distribution {
  checkFinite('exponential rate', rate);
  if (!(rate > 0)) throw new RangeError(`exponential rate must be > 0, got ${rate}`);
  return { kind: 'exponential', mean: 1 / rate, sample: (r) => -Math.log(1 - r.next()) / rate, toString: () => `exp(${fmt(1 / rate)})` };
}

/** Normal: mean + stddev × a standard normal (ziggurat, see standardNormal). */
export function normal(mean: number, stddev: number): Distribution {
  checkFinite('normal mean', mean);
  checkFinite('normal stddev', stddev);
  if (stddev < 0) throw new RangeError(`normal stddev must be >= 0, got ${stddev}`);
  return { kind: 'normal', mean, sample: (r) => mean + stddev * standardNormal(r), toString: () => `normal(${fmt(mean)},${fmt(stddev)})` };
}

/** The largest lognormal sigma knsim accepts: e^(10·6) ≈ 1e26 times the median at six sigmas, still finite. */
export const MAX_LOGNORMAL_SIGMA = 10;

/** Lognormal given its median (e^mu) and sigma: median·e^(sigma·Z). */
export function lognormal(median: number, sigma: number): Distribution {
  checkFinite('lognormal median', median);
  checkFinite('lognormal sigma', sigma);
  if (!(median > 0)) throw new RangeError(`lognormal median must be > 0, got ${median}`);
  if (sigma < 0) throw new RangeError(`lognormal sigma must be >= 0, got ${sigma}`);
  // Beyond this a sample is often too large to be a time at all (e^(sigma·Z) overflows to Infinity).
  if (sigma > MAX_LOGNORMAL_SIGMA) throw new RangeError(`lognormal sigma must be <= ${MAX_LOGNORMAL_SIGMA} (knsim's limit: a larger one draws delays beyond any run), got ${sigma}`);
  return {
    kind: 'lognormal',
    mean: median * Math.exp((sigma * sigma) / 2),
    sample: (r) => median * Math.exp(sigma * standardNormal(r)),
    toString: () => `lognormal(${fmt(median)},${fmt(sigma)})`,
  };
}

/**
 * Empirical distribution from observed samples, drawn by inverting the piecewise-linear
 * empirical CDF (so it interpolates between observations instead of only repeating them).
 */
export function empirical(samples: readonly number[]): Distribution {
  if (samples.length === 0) throw new RangeError('empirical needs at least one sample');
  for (const s of samples) checkFinite('empirical sample', s);
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  return {
    kind: 'empirical',
    mean,
    sample: (r) => {
      if (n === 1) return sorted[0]!;
      const x = r.next() * (n - 1);
      const i = Math.floor(x);
      const f = x - i;
      return sorted[i]! + f * (sorted[Math.min(i + 1, n - 1)]! - sorted[i]!);
    },
    toString: () => `empirical(${sorted.map(fmt).join(',')})`,
  };
}

/**
 * A standard normal draw by the ziggurat method (Marsaglia & Tsang 2000, 128 layers, with
 * Doornik's 2005 correction: the layer index comes from its own uniform, not from the bits of
 * the draw it scales). About 99% of draws cost two uniforms, a comparison and a product; the
 * rest use exp (the wedges) or log (the tail beyond R). Box–Muller, which knsim used before,
 * needs a log, a square root, a sine and a cosine per pair, and was an eighth of the stack
 * benchmark's time.
 */
export function standardNormal(r: Rng): number {
  for (;;) {
    const u = 2 * r.next() - 1;
    const i = (r.next() * ZIG_LAYERS) | 0;
    const xi = ZIG_X[i]!;
    // Inside the layer's rectangle, under the curve for certain.
    if (Math.abs(u) < ZIG_RATIO[i]!) return u * xi;
    // The base layer's overhang is the tail beyond R.
    if (i === 0) return zigguratTail(r, u < 0);
    // A wedge: accept under the density between this layer's edge and the next one's.
    const x = u * xi;
    const x1 = ZIG_X[i + 1]!;
    const f0 = Math.exp(-0.5 * (xi * xi - x * x));
    const f1 = Math.exp(-0.5 * (x1 * x1 - x * x));
    if (f1 + r.next() * (f0 - f1) < 1) return x;
  }
}

const ZIG_LAYERS = 128;
/** Where the tail starts, and the area of each layer, for 128 layers (Marsaglia & Tsang). */
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
/** Layer edges x[0..128] (x[0] = V/f(R) is the base layer's notional width) and x[i+1]/x[i]. */
const ZIG_X = new Float64Array(ZIG_LAYERS + 1);
const ZIG_RATIO = new Float64Array(ZIG_LAYERS);
{
  const f = (x: number) => Math.exp(-0.5 * x * x);
  ZIG_X[0] = ZIG_V / f(ZIG_R);
  ZIG_X[1] = ZIG_R;
  for (let i = 2; i < ZIG_LAYERS; i++) ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_V / ZIG_X[i - 1]! + f(ZIG_X[i - 1]!)));
  ZIG_X[ZIG_LAYERS] = 0;
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1]! / ZIG_X[i]!;
}

/** A draw from the normal tail beyond R (Marsaglia 1964), on the given side. */
function zigguratTail(r: Rng, negative: boolean): number {
  let x: number;
  let y: number;
  do {
    x = Math.log(1 - r.next()) / ZIG_R;
    y = Math.log(1 - r.next());
  } while (-2 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

function checkFinite(what: string, x: number): void {
  if (!Number.isFinite(x)) throw new RangeError(`${what} must be a finite number, got ${x}`);
}

export class DistributionSpecError extends Error {
  override name = 'DistributionSpecError';
}

/**
 * Parses a distribution spec of durations, as annotations and scenario files write them:
 * `20ms` (constant), `const(20ms)`, `uniform(5ms,15ms)`, `exp(20ms)` (mean),
 * `normal(20ms,5ms)`, `lognormal(20ms,0.5)` (median, sigma), `empirical(10ms,12ms,30ms)`.
 * Plain numbers are milliseconds. Returns values in milliseconds.
 */
export function parseDistribution(spec: string): Distribution {
  // A distribution is immutable (its draws come from the rng passed in), so one parse serves
  // every cluster: each builds its latency model and pod templates from the same few specs.
  let d = parsed.get(spec);
  if (d === undefined) {
    d = Object.freeze(parseDistributionSpec(spec));
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(spec, d);
  }
  return d;
}

/** Specs parsed so far (bounded: a sweep of many distinct specs starts it again). */
const parsed = new Map<string, Distribution>();
const PARSED_LIMIT = 1024;

function parseDistributionSpec(spec: string): Distribution {
  const s = spec.trim();
  const m = /^([a-z]+)\s*\((.*)\)$/i.exec(s);
  try {
    if (m === null) return constant(parseMs(s));
    const name = m[1]!.toLowerCase();
    const args = m[2]!.split(',').map((a) => a.trim()).filter((a) => a !== '');
    const need = (k: number) => {
      if (args.length !== k) throw new DistributionSpecError(`${name} takes ${k} argument${k === 1 ? '' : 's'}, got ${args.length}`);
    };
    switch (name) {
      case 'const':
      case 'constant':
        need(1);
        return constant(parseMs(args[0]!));
      case 'uniform':
        need(2);
        return uniform(parseMs(args[0]!), parseMs(args[1]!));
      case 'exp':
      case 'exponential':
        need(1);
        return exponential(parseMs(args[0]!));
      case 'normal':
        need(2);
        return normal(parseMs(args[0]!), parseMs(args[1]!));
      case 'lognormal':
        need(2);
        return lognormal(parseMs(args[0]!), parseNumber(args[1]!));
      case 'empirical':
        if (args.length === 0) throw new DistributionSpecError('empirical needs at least one sample');
        return empirical(args.map(parseMs));
      default:
        throw new DistributionSpecError(`unknown distribution ${JSON.stringify(name)} (want const, uniform, exp, normal, lognormal or empirical)`);
    }
  } catch (e) {
    if (e instanceof DistributionSpecError || e instanceof DurationError || e instanceof RangeError) {
      throw new DistributionSpecError(`invalid distribution ${JSON.stringify(spec)}: ${e.message}`);
    }
    throw e;
  }
}

function parseMs(a: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(a)) return Number(a);
  return parseDuration(a);
}

function parseNumber(a: string): number {
  const x = Number(a);
  if (a === '' || !Number.isFinite(x)) throw new DistributionSpecError(`${JSON.stringify(a)} is not a number`);
  return x;
}
