/**
 * The autoscaler's metric windows (knative/serving pkg/autoscaler/aggregation/bucketing.go):
 * a ring of per-granularity sums with a linear window average (TimedFloat64Buckets, the
 * default) or an exponentially weighted one (WeightedFloat64Buckets).
 *
 * Time is milliseconds since the simulation's epoch, which plays the Unix epoch: Knative
 * indexes buckets by `Unix seconds / granularity seconds`, so granularities are whole seconds.
 * Knative's zero `time.Time` ("never written") is −∞ here, so a write at t = 0 is an ordinary
 * write.
 */

/** Minimal decay multiplier of the weighted average (bucketing.go minExponent). */
export const MIN_EXPONENT = 0.2;
/** The weights of the weighted average should sum to at least this (weightPrecision). */
export const WEIGHT_PRECISION = 0.9999;
/** Linear averages are rounded to this many decimals, so float noise never reads as load. */
export const PRECISION = 6;

/** math.Round(f·10ⁿ)/10ⁿ, with Go's halves-away-from-zero. */
export function roundToNDigits(n: number, f: number): number {
  const p = 10 ** n;
  return goRound(f * p) / p;
}

function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * The weighted average's decay for `nb` buckets: enough that the weights of the window sum to
 * WEIGHT_PRECISION, but at least MIN_EXPONENT so huge windows do not degrade to a plain mean.
 */
export function computeSmoothingCoeff(nb: number): number {
  return Math.max(1 - Math.pow(ONE_MINUS_WEIGHT_PRECISION, 1 / nb), MIN_EXPONENT);
}

// Go folds the constant 1 − weightPrecision exactly (0.0001); in float64, 1 − 0.9999 is
// 0.00009999999999998899, which shifts every weight by an ulp or so.
const ONE_MINUS_WEIGHT_PRECISION = 0.0001;

const NEVER = Number.NEGATIVE_INFINITY;

// Go's `%` keeps the sign; indexes are never negative for non-negative times, this only guards.
const mod = (i: number, n: number) => ((i % n) + n) % n;

export class TimedFloat64Buckets {
  protected buckets: number[];
  /** When the first write of the current run of data happened (undefined: Knative's zero time). */
  protected firstWrite: number | undefined = undefined;
  protected lastWrite = NEVER;
  protected readonly granularityMs: number;
  protected window: number;
  /** Sum of all buckets, including ones outside [firstWrite, lastWrite]. */
  protected windowTotal = 0;

  constructor(windowMs: number, granularityMs = 1000) {
    if (!(granularityMs >= 1000) || granularityMs % 1000 !== 0) {
      // Knative divides Unix seconds by int(granularity.Seconds()); below 1s that divides by zero.
      throw new RangeError(`bucket granularity must be whole seconds, got ${granularityMs}ms`);
    }
    this.granularityMs = granularityMs;
    this.window = windowMs;
    this.buckets = new Array<number>(Math.ceil(windowMs / granularityMs)).fill(0);
  }

  get windowMs(): number {
    return this.window;
  }
  get bucketCount(): number {
    return this.buckets.length;
  }
  /** Last bucket written (ms), or −∞. */
  get lastWriteMs(): number {
    return this.lastWrite;
  }
  /** Start of the current run of data (ms), or undefined. */
  get firstWriteMs(): number | undefined {
    return this.firstWrite;
  }

  protected truncate(ms: number): number {
    return Math.floor(ms / this.granularityMs) * this.granularityMs;
  }

  protected timeToIndex(ms: number): number {
    return Math.trunc(Math.floor(ms / 1000) / (this.granularityMs / 1000));
  }

  /** No data for more than a window. */
  isEmpty(nowMs: number): boolean {
    return this.truncate(nowMs) - this.lastWrite > this.window;
  }

  /**
   * Adds `value` to the bucket of `nowMs`. Values a window or more older than the last write are
   * dropped; a write after a window of silence clears everything and restarts the partial
   * window; a write after a shorter gap zeroes the buckets of the gap.
   */
  record(nowMs: number, value: number): void {
    const bucketTime = this.truncate(nowMs);
    const writeIdx = this.timeToIndex(nowMs);
    if (this.lastWrite !== bucketTime) {
      if (!(bucketTime + this.window > this.lastWrite)) return;
      if (this.firstWrite === undefined || this.firstWrite > bucketTime) this.firstWrite = bucketTime;
      if (bucketTime > this.lastWrite) {
        if (bucketTime - this.lastWrite >= this.window) {
          this.firstWrite = bucketTime;
          this.buckets.fill(0);
          this.windowTotal = 0;
        } else {
          for (let i = this.timeToIndex(this.lastWrite) + 1; i <= writeIdx; i++) {
            const idx = mod(i, this.buckets.length);
            this.windowTotal -= this.buckets[idx]!;
            this.buckets[idx] = 0;
          }
        }
        this.lastWrite = bucketTime;
      }
      // Otherwise lastWrite − window < bucketTime < lastWrite: a late value for a live bucket.
    }
    this.buckets[mod(writeIdx, this.buckets.length)]! += value;
    this.windowTotal += value;
  }

  // How many buckets hold data of the current run: firstWrite..lastWrite inclusive.
  private writtenBuckets(): number {
    if (this.firstWrite === undefined) return Number.POSITIVE_INFINITY; // Go: Sub saturates.
    return Math.trunc((this.lastWrite - this.firstWrite) / this.granularityMs) + 1;
  }

  /**
   * The mean of the buckets since the first write of the current run (so after idle the first
   * value v averages to v), over the part of the window that is not stale; 0 once the last write
   * is a window old. Rounded to 6 decimals.
   */
  windowAverage(nowMs: number): number {
    const now = this.truncate(nowMs);
    const d = now - this.lastWrite;
    if (d <= 0) {
      const numB = Math.min(this.writtenBuckets(), this.buckets.length);
      return roundToNDigits(PRECISION, this.windowTotal / numB);
    }
    if (d < this.window) {
      const stIdx = this.timeToIndex(this.lastWrite);
      const eIdx = this.timeToIndex(now);
      let ret = this.windowTotal;
      for (let i = stIdx + 1; i <= eIdx; i++) ret -= this.buckets[mod(i, this.buckets.length)]!;
      const numB = Math.min(this.writtenBuckets(), this.buckets.length - (eIdx - stIdx));
      return roundToNDigits(PRECISION, ret / numB);
    }
    return 0;
  }

  /**
   * Visits the live buckets newest first, with each bucket's start time (ms); Knative keeps this
   * as a test helper, knsim's traces use it too.
   */
  forEachBucket(nowMs: number, fn: (timeMs: number, value: number) => void): void {
    const now = this.truncate(nowMs);
    const numBuckets = this.buckets.length - Math.trunc((now - this.lastWrite) / this.granularityMs);
    let bucketTime = this.lastWrite;
    let si = this.timeToIndex(bucketTime);
    for (let k = 0; k < numBuckets; k++) {
      fn(bucketTime, this.buckets[mod(si, this.buckets.length)]!);
      si--;
      bucketTime -= this.granularityMs;
    }
  }

  /**
   * Changes the window, keeping the newest buckets that fit. Knative reads the wall clock here
   * (`time.Now()`); knsim passes the time in.
   */
  resizeWindow(windowMs: number, nowMs: number): void {
    if (windowMs === this.window) return;
    const numBuckets = Math.ceil(windowMs / this.granularityMs);
    const newBuckets = new Array<number>(numBuckets).fill(0);
    let newTotal = 0;
    if (this.truncate(nowMs) - this.lastWrite <= this.window) {
      const oldNumBuckets = this.buckets.length;
      let tIdx = this.timeToIndex(this.lastWrite);
      for (let k = 0; k < Math.min(numBuckets, oldNumBuckets); k++) {
        const oi = mod(tIdx, oldNumBuckets);
        newBuckets[mod(tIdx, numBuckets)] = this.buckets[oi]!;
        newTotal += this.buckets[oi]!;
        tIdx--;
      }
      // The earliest time data might have been written at.
      this.firstWrite = this.lastWrite - (oldNumBuckets - 1) * this.granularityMs;
    } else {
      this.firstWrite = undefined;
    }
    this.window = windowMs;
    this.buckets = newBuckets;
    this.windowTotal = newTotal;
  }
}

/**
 * The `weighted-exponential` aggregation: avg = Σ bucket[lastWrite−i]·m(1−m)^(i+z), z the whole
 * buckets since the last write, m = computeSmoothingCoeff(buckets). Not rounded, as in Knative.
 */
export class WeightedFloat64Buckets extends TimedFloat64Buckets {
  private smoothing: number;

  constructor(windowMs: number, granularityMs = 1000) {
    super(windowMs, granularityMs);
    this.smoothing = computeSmoothingCoeff(Math.ceil(windowMs / granularityMs));
  }

  get smoothingCoeff(): number {
    return this.smoothing;
  }

  override windowAverage(nowMs: number): number {
    const now = this.truncate(nowMs);
    if (this.isEmpty(now)) return 0;
    const totalB = this.buckets.length;
    let numB = totalB;
    let multiplier = this.smoothing;
    // Start with the zeros since the last write: skip straight to m(1−m)^z.
    if (now > this.lastWrite) {
      const numZ = Math.trunc((now - this.lastWrite) / this.granularityMs);
      multiplier *= (1 - this.smoothing) ** numZ;
      numB -= numZ;
    }
    const startIdx = this.timeToIndex(this.lastWrite) + totalB;
    let ret = 0;
    for (let i = 0; i < numB; i++) {
      ret += this.buckets[mod(startIdx - i, totalB)]! * multiplier;
      multiplier *= 1 - this.smoothing;
    }
    return ret;
  }

  override resizeWindow(windowMs: number, nowMs: number): void {
    super.resizeWindow(windowMs, nowMs);
    this.smoothing = computeSmoothingCoeff(Math.ceil(windowMs / this.granularityMs));
  }
}
