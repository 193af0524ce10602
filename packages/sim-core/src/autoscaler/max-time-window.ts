/**
 * The scale-down delay's sliding maximum (knative/serving pkg/autoscaler/aggregation/max/
 * window.go and timewindow.go): the largest value recorded in the last `duration`, kept with
 * the descending-minima algorithm in a ring of ceil(duration/granularity) entries.
 */

interface Entry {
  value: number;
  index: number;
}

/** window.go `window`: a sliding maximum over the last `size` indexes. */
export class MaxWindow {
  private readonly maxima: Entry[];
  private first = 0;
  private length = 0;

  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError(`window size must be at least 1, got ${size}`);
    this.maxima = Array.from({ length: size }, () => ({ value: 0, index: 0 }));
  }

  private at(i: number): Entry {
    return this.maxima[i % this.maxima.length]!;
  }

  /** Records `v` at `index`; indexes must not decrease. */
  record(index: number, v: number): void {
    // 1. Drop the tail entries not larger than v: older and no larger, they can never be the max again.
    while (this.length > 0 && !(v < this.at(this.first + this.length - 1).value)) this.length--;
    // 2. Drop entries that fell out of the window (oldest first).
    while (this.length > 0 && index - this.maxima[this.first]!.index >= this.maxima.length) {
      this.length--;
      this.first++;
      if (this.first === this.maxima.length) this.first = 0;
    }
    // 2b. Several values for one index keep the largest.
    if (this.length > 0) {
      const last = this.at(this.first + this.length - 1);
      if (last.index === index) {
        if (last.value > v) v = last.value;
        this.length--;
      }
    }
    // 3. Append; the list stays in descending value order.
    const slot = (this.first + this.length) % this.maxima.length;
    this.maxima[slot] = { index, value: v };
    this.length++;
  }

  /**
   * The maximum of the retained entries. Like Knative, entries expire only on `record`; before
   * the first record it reads 0.
   */
  current(): number {
    return this.maxima[this.first]!.value;
  }
}

/**
 * timewindow.go TimeWindow: MaxWindow indexed by `Unix seconds / granularity seconds`. The
 * autoscaler uses duration = scale-down delay, granularity = the 2s tick.
 */
export class MaxTimeWindow {
  private readonly window: MaxWindow;
  private readonly granularitySeconds: number;

  constructor(durationMs: number, granularityMs: number) {
    this.granularitySeconds = Math.trunc(granularityMs / 1000);
    if (this.granularitySeconds < 1) throw new RangeError(`granularity must be at least 1s, got ${granularityMs}ms`);
    this.window = new MaxWindow(Math.ceil(durationMs / granularityMs));
  }

  record(nowMs: number, value: number): void {
    this.window.record(Math.trunc(Math.floor(nowMs / 1000) / this.granularitySeconds), value);
  }

  current(): number {
    return this.window.current();
  }
}
